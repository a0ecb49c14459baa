"""Demo data for ``seed_demo``: two events, the eight overseas liaison offices, three service
stations, this year's award rounds and a supervising unit. Idempotent: rows are found by their
English name or code. Contacts are invented (example.cn addresses), not the offices' real ones.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.utils import timezone

from talent_portal.accounts.models import Organization

from .models import (
    Audience,
    Award,
    AwardRound,
    Event,
    EventStatus,
    EventType,
    LiaisonOffice,
    ServiceStation,
    StationOperator,
    SupervisingUnit,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
LANGUAGES = ("zh_hans", "en", "ja", "ko")


def tr(name, zh, en, ja, ko) -> dict:
    texts = dict(zip(LANGUAGES, (zh, en, ja, ko), strict=True))
    return {name: zh, **{f"{name}_{code}": text for code, text in texts.items()}}


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=SHANGHAI)


def _events(today: date) -> list[dict]:
    visit_day = today + timedelta(days=30)
    fair_day = today + timedelta(days=60)
    return [
        {
            "event_type": EventType.SITE_VISIT,
            **tr(
                "title",
                "外国专家看浦东",
                "Foreign experts see Pudong",
                "外国人専門家が見る浦東",
                "외국인 전문가 푸둥 탐방",
            ),
            **tr(
                "description",
                "参观张江科学城和陆家嘴金融区，与园区企业和外国专家交流。名额有限，额满后进入候补名单。",
                "A visit to Zhangjiang Science City and the Lujiazui financial district, with meetings with "
                "companies of the parks and other foreign experts. Places are limited; once they are taken, "
                "registrations join the waiting list.",
                "張江サイエンスシティと陸家嘴金融地区を訪れ、パークの企業や他の外国人専門家と交流します。"
                "定員に限りがあり、満員後の申込みはキャンセル待ちになります。",
                "장장 과학성과 루자쭈이 금융지구를 방문하고 단지 내 기업 및 다른 외국인 전문가와 교류합니다. "
                "정원이 한정되어 있으며, 마감 후 신청은 대기자 명단에 오릅니다.",
            ),
            **tr(
                "venue",
                "上海市浦东新区张江科学会堂（集合地点）",
                "Zhangjiang Science Hall, Pudong New Area (meeting point)",
                "浦東新区 張江科学会堂（集合場所）",
                "푸둥신구 장장 과학회당(집합 장소)",
            ),
            "starts_at": _at(visit_day, 9, 30),
            "ends_at": _at(visit_day, 16, 0),
            "capacity": 2,
            "registration_opens_at": _at(today - timedelta(days=1), 9),
            "registration_closes_at": _at(visit_day - timedelta(days=1), 18),
            "cancellation_until": _at(visit_day - timedelta(days=2), 18),
            "audience": Audience.FOREIGN_EXPERTS,
            "languages": ["zh", "en"],
        },
        {
            "event_type": EventType.RECRUITMENT_FAIR,
            "series": "go-to-shanghai",
            "edition": 5,
            **tr(
                "title",
                "“到上海去”海外人才招聘会（慕尼黑）",
                '"Go to Shanghai" overseas recruitment fair (Munich)',
                "「上海へ行こう」海外人材採用説明会（ミュンヘン）",
                "'상하이로 가자' 해외 인재 채용박람회(뮌헨)",
            ),
            **tr(
                "description",
                "上海用人单位与海外高层次人才现场洽谈，达成的聘用意向在门户登记并由人才确认。",
                "Shanghai employers meet high-level talent abroad. Hiring intentions agreed on the spot are "
                "recorded on the portal and confirmed by the talent.",
                "上海の雇用主が海外のハイレベル人材と面談します。その場で合意した採用意向はポータルに登録され、"
                "人材本人が確認します。",
                "상하이 고용주가 해외 고급 인재를 현장에서 만납니다. 현장에서 합의한 채용 의향은 포털에 등록되고 "
                "인재 본인이 확인합니다.",
            ),
            **tr(
                "venue",
                "德国慕尼黑国际会议中心",
                "ICM Munich, Germany",
                "ドイツ・ミュンヘン国際会議場",
                "독일 뮌헨 국제회의센터",
            ),
            "starts_at": _at(fair_day, 16, 0),
            "ends_at": _at(fair_day, 23, 0),
            "capacity": 300,
            "registration_opens_at": _at(today - timedelta(days=1), 9),
            "registration_closes_at": _at(fair_day - timedelta(days=1), 18),
            "audience": Audience.ALL,
            "languages": ["zh", "en", "de"],
        },
    ]


_OFFICE_SERVICES = tr(
    "services",
    "介绍上海的外国人工作许可和人才政策，组织海外招聘和交流活动，帮助人才联系上海用人单位。",
    "Information on Shanghai's work permits and talent policies, overseas recruitment and exchange "
    "events, and contacts with employers in Shanghai.",
    "上海の外国人就労許可と人材政策の案内、海外での採用・交流イベントの開催、上海の雇用主との橋渡し。",
    "상하이의 외국인 취업허가와 인재 정책 안내, 해외 채용·교류 행사 개최, 상하이 고용주와의 연결.",
)

# (English city, city in four languages, ISO countries)
_OFFICES = [
    ("San Francisco", ("旧金山", "San Francisco", "サンフランシスコ", "샌프란시스코"), ["USA"]),
    ("New York", ("纽约", "New York", "ニューヨーク", "뉴욕"), ["USA"]),
    ("Toronto", ("多伦多", "Toronto", "トロント", "토론토"), ["CAN"]),
    ("London", ("伦敦", "London", "ロンドン", "런던"), ["GBR"]),
    ("Paris", ("巴黎", "Paris", "パリ", "파리"), ["FRA"]),
    ("Munich", ("慕尼黑", "Munich", "ミュンヘン", "뮌헨"), ["DEU"]),
    ("Osaka", ("大阪", "Osaka", "大阪", "오사카"), ["JPN"]),
    ("Sydney", ("悉尼", "Sydney", "シドニー", "시드니"), ["AUS"]),
]

_STATIONS = [
    {
        **tr(
            "name",
            "虹桥国际人才一站式服务中心",
            "Hongqiao international talent one-stop service centre",
            "虹橋国際人材ワンストップサービスセンター",
            "훙차오 국제 인재 원스톱 서비스센터",
        ),
        "operator": StationOperator.DISTRICT,
        "district": "minhang",
        **tr(
            "address",
            "闵行区申长路 988 弄（示例）",
            "988 Shenchang Road, Minhang (example)",
            "閔行区申長路988弄（例）",
            "민항구 선창로 988(예시)",
        ),
        **tr("hours", "工作日 9:00–17:00", "Working days 9:00–17:00", "平日 9:00～17:00", "평일 9:00~17:00"),
        **tr(
            "services",
            "35项政务服务和30项生活服务：工作许可、居留许可、社保、住房、子女入学、医疗。",
            "35 government services and 30 life services: work and residence permits, social insurance, "
            "housing, schooling, medical care.",
            "行政サービス35項目と生活サービス30項目：就労・居留許可、社会保険、住宅、子どもの就学、医療。",
            "행정 서비스 35개와 생활 서비스 30개: 취업·거류 허가, 사회보험, 주택, 자녀 입학, 의료.",
        ),
        "topics": ["permits", "housing", "schooling", "medical", "social_insurance", "other"],
        "languages": ["zh", "en", "ja", "ko"],
        "phone": "+86 21 0000 0001",
        "email": "hongqiao-station@example.cn",
        "position": 1,
    },
    {
        **tr(
            "name",
            "浦东新区海外人才服务站",
            "Pudong overseas talent service station",
            "浦東新区海外人材サービスステーション",
            "푸둥신구 해외 인재 서비스스테이션",
        ),
        "operator": StationOperator.DISTRICT,
        "district": "pudong",
        **tr(
            "address",
            "浦东新区合欢路 2 号（示例）",
            "2 Hehuan Road, Pudong (example)",
            "浦東新区合歓路2号（例）",
            "푸둥신구 허환로 2(예시)",
        ),
        **tr("hours", "工作日 9:00–17:00", "Working days 9:00–17:00", "平日 9:00～17:00", "평일 9:00~17:00"),
        **tr(
            "services",
            "工作许可和居留许可咨询，社保和住房公积金。",
            "Advice on work and residence permits; social insurance and the housing fund.",
            "就労・居留許可の相談、社会保険と住宅積立金。",
            "취업·거류 허가 상담, 사회보험과 주택적립금.",
        ),
        "topics": ["permits", "social_insurance", "housing"],
        "languages": ["zh", "en"],
        "email": "pudong-station@example.cn",
        "position": 2,
    },
    {
        **tr(
            "name",
            "张江科学城人才服务站",
            "Zhangjiang Science City talent station",
            "張江サイエンスシティ人材ステーション",
            "장장 과학성 인재 스테이션",
        ),
        "operator": StationOperator.EMPLOYER,
        "district": "pudong",
        **tr(
            "address",
            "浦东新区张江路 100 号（示例）",
            "100 Zhangjiang Road, Pudong (example)",
            "浦東新区張江路100号（例）",
            "푸둥신구 장장로 100(예시)",
        ),
        **tr(
            "hours",
            "周一至周六 9:00–18:00",
            "Monday to Saturday 9:00–18:00",
            "月～土 9:00～18:00",
            "월~토 9:00~18:00",
        ),
        **tr(
            "services",
            "子女入学和医疗服务咨询。",
            "Help with schooling and medical care.",
            "子どもの就学と医療の相談。",
            "자녀 입학과 의료 상담.",
        ),
        "topics": ["schooling", "medical"],
        "languages": ["zh", "en", "ko"],
        "position": 3,
    },
]


def seed() -> None:
    """Create the demo outreach data (nothing changes on a second run)."""
    today = timezone.localdate()
    for data in _events(today):
        if not Event.objects.filter(title_en=data["title_en"]).exists():
            Event.objects.create(**data, status=EventStatus.PUBLISHED, published_at=timezone.now())
    for position, (city_en, cities, countries) in enumerate(_OFFICES, start=1):
        zh, en, ja, ko = cities
        if LiaisonOffice.objects.filter(city_en=city_en).exists():
            continue
        LiaisonOffice.objects.create(
            **tr(
                "name",
                f"上海市科委驻{zh}联络处",
                f"Shanghai Science and Technology Commission liaison office, {en}",
                f"上海市科学技術委員会 {ja}連絡事務所",
                f"상하이시 과학기술위원회 {ko} 연락사무소",
            ),
            **tr("city", zh, en, ja, ko),
            **_OFFICE_SERVICES,
            countries=countries,
            email=f"liaison-{en.lower().replace(' ', '-')}@example.cn",
            established_year=2002,
            position=position,
        )
    staff = get_user_model().objects.filter(email="station@demo.talent.example.cn").first()
    for data in _STATIONS:
        station = ServiceStation.objects.filter(name_en=data["name_en"]).first()
        if station is None:
            station = ServiceStation.objects.create(**data)
        if staff is not None and data["position"] == 1:
            station.staff.add(staff)
    for award in Award.objects.all():
        AwardRound.objects.get_or_create(
            award=award,
            year=today.year,
            defaults={
                "nominations_open_on": date(today.year, 1, 1),
                "nominations_close_on": date(today.year, 12, 31),
            },
        )
    incubator = Organization.objects.filter(uscc="91310118MA1JL0AB1X").first()
    if incubator is not None:
        SupervisingUnit.objects.get_or_create(organization=incubator)
