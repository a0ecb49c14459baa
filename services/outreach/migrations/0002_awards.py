"""Data: the awards foreign experts can be nominated for, with their nomination rules.

The Chinese Government Friendship Award (national; at most 4 ranked nominees from a province per
round, one nomination channel per person, no previous laureates) and the Shanghai Magnolia awards
(Silver, then Gold at least 2 years later, then Honorary Citizen at least 2 years after that;
Silver normally after at least 2 years' work in Shanghai). Source: the seed document (STCSM's 2022
reply, part 2). Texts in the four languages; the untranslated column holds the default language
(Simplified Chinese), as modeltranslation expects.
"""

from django.db import migrations

LANGUAGES = ("zh_hans", "en", "ja", "ko")


def tr(name, zh, en, ja, ko):
    texts = dict(zip(LANGUAGES, (zh, en, ja, ko), strict=True))
    return {name: zh, **{f"{name}_{code}": text for code, text in texts.items()}}


SOURCE = tr(
    "source_note",
    "上海市科学技术委员会2022年关于引进外国人才工作的答复（第二部分）。",
    "The Shanghai Science and Technology Commission's 2022 reply on attracting foreign talent (part 2).",
    "上海市科学技術委員会の2022年の外国人材誘致に関する回答（第2部）。",
    "상하이시 과학기술위원회의 2022년 외국 인재 유치에 관한 답변(제2부).",
)

AWARDS = [
    {
        "code": "friendship",
        "position": 1,
        "level": "national",
        **tr(
            "name",
            "中国政府友谊奖",
            "Chinese Government Friendship Award",
            "中国政府友誼賞",
            "중국 정부 우의상",
        ),
        **tr(
            "description",
            "中国政府授予为中国经济社会发展作出突出贡献的外国专家的最高奖项。每轮每个省级地区最多推荐4名排序人选，"
            "每人只能通过一个渠道推荐，已获奖者不再推荐。",
            "China's highest award for foreign experts who have made outstanding contributions to the "
            "country's economic and social development. Each province ranks at most 4 nominees per round; "
            "a person is nominated through one channel only, and previous laureates are not nominated again.",
            "中国の経済・社会の発展に際立った貢献をした外国人専門家に中国政府が授与する最高の賞。各省級地域は"
            "毎回最大4名の順位付き候補者を推薦し、1人は1つの経路でのみ推薦され、既受賞者は再推薦されません。",
            "중국의 경제·사회 발전에 뛰어난 공헌을 한 외국인 전문가에게 중국 정부가 수여하는 최고의 상. 각 성급 "
            "지역은 회차마다 순위를 매긴 후보를 최대 4명 추천하며, 한 사람은 하나의 경로로만 추천되고 기수상자는 "
            "다시 추천되지 않습니다.",
        ),
        "max_ranked_per_round": 4,
        "single_channel": True,
        "excludes_previous_laureates": True,
        "required_materials": ["nomination_form", "curriculum_vitae", "contributions"],
    },
    {
        "code": "magnolia_silver",
        "position": 2,
        "level": "municipal",
        **tr(
            "name",
            "上海市白玉兰纪念奖",
            "Shanghai Magnolia Silver Award",
            "上海市白玉蘭記念賞",
            "상하이시 백옥란 기념상",
        ),
        **tr(
            "description",
            "上海市授予为本市经济社会发展作出贡献的外国人士的奖项。被提名人一般应在上海工作2年以上，由用人单位说明并提供证明。",
            "Shanghai's award for foreigners who have contributed to the city's economic and social "
            "development. Nominees have normally worked in Shanghai for at least 2 years, as the employer "
            "states with evidence.",
            "上海市の経済・社会の発展に貢献した外国人に上海市が授与する賞。候補者は原則として上海で2年以上働いて"
            "いることが必要で、雇用主が証拠とともに申告します。",
            "상하이시의 경제·사회 발전에 공헌한 외국인에게 상하이시가 수여하는 상. 후보자는 원칙적으로 상하이에서 "
            "2년 이상 근무했어야 하며, 고용주가 증빙과 함께 밝힙니다.",
        ),
        "min_years_in_shanghai": 2,
        "excludes_previous_laureates": True,
        "required_materials": ["nomination_form", "curriculum_vitae", "contributions", "shanghai_work"],
    },
    {
        "code": "magnolia_gold",
        "position": 3,
        "level": "municipal",
        **tr(
            "name",
            "上海市白玉兰荣誉奖",
            "Shanghai Magnolia Gold Award",
            "上海市白玉蘭栄誉賞",
            "상하이시 백옥란 영예상",
        ),
        **tr(
            "description",
            "授予已获白玉兰纪念奖至少2年、继续作出重要贡献的外国人士。",
            "For laureates of the Magnolia Silver Award who have made further important contributions at "
            "least 2 years after receiving it.",
            "白玉蘭記念賞の受賞から少なくとも2年後に、さらに重要な貢献をした受賞者に授与されます。",
            "백옥란 기념상을 받은 지 최소 2년이 지나 더 중요한 공헌을 한 수상자에게 수여됩니다.",
        ),
        "prerequisite": "magnolia_silver",
        "years_after_prerequisite": 2,
        "excludes_previous_laureates": True,
        "required_materials": ["nomination_form", "curriculum_vitae", "contributions"],
    },
    {
        "code": "honorary_citizen",
        "position": 4,
        "level": "municipal",
        **tr(
            "name",
            "上海市荣誉市民",
            "Honorary Citizen of Shanghai",
            "上海市栄誉市民",
            "상하이시 명예시민",
        ),
        **tr(
            "description",
            "上海市授予外国人士的最高荣誉，授予已获白玉兰荣誉奖至少2年的人士。",
            "Shanghai's highest honour for a foreigner, for laureates of the Magnolia Gold Award at least 2 "
            "years after receiving it.",
            "上海市が外国人に授与する最高の栄誉で、白玉蘭栄誉賞の受賞から少なくとも2年後の受賞者に授与されます。",
            "상하이시가 외국인에게 수여하는 최고의 영예로, 백옥란 영예상을 받은 지 최소 2년이 지난 수상자에게 "
            "수여됩니다.",
        ),
        "prerequisite": "magnolia_gold",
        "years_after_prerequisite": 2,
        "excludes_previous_laureates": True,
        "required_materials": ["nomination_form", "curriculum_vitae", "contributions"],
    },
]


def load(apps, schema_editor):
    Award = apps.get_model("outreach", "Award")
    created = {}
    for data in AWARDS:
        data = dict(data)
        prerequisite = data.pop("prerequisite", None)
        code = data.pop("code")
        award, _created = Award.objects.update_or_create(
            code=code, defaults={**data, **SOURCE, "prerequisite": created.get(prerequisite)}
        )
        created[code] = award


def unload(apps, schema_editor):
    Award = apps.get_model("outreach", "Award")
    for data in reversed(AWARDS):
        Award.objects.filter(code=data["code"], rounds__isnull=True, grants__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("outreach", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
