"""Data: the national points table of 2017 (in force since 1 April 2017) and the categories of
Shanghai's high-end and shortage catalogue (高精尖缺, pilot standards in force since 1 January 2023).

Every number of the table is here, as data. A later table is a new version with a later date of
effect (never an edit of this one). Texts are given in the four languages of the portal; the
untranslated column holds the default language (Simplified Chinese), as modeltranslation expects.
"""

from datetime import date
from decimal import Decimal

from django.db import migrations

LANGUAGES = ("zh_hans", "en", "ja", "ko")


def tr(name, zh, en, ja, ko):
    texts = dict(zip(LANGUAGES, (zh, en, ja, ko), strict=True))
    return {name: zh, **{f"{name}_{code}": text for code, text in texts.items()}}


TABLE = {
    "version": "2017",
    **tr(
        "title",
        "外国人来华工作分类标准（试行）计分表（2017年版）",
        "Points table of the classification standards for foreigners working in China (trial), 2017",
        "外国人来華就労分類基準（試行）ポイント表（2017年版）",
        "외국인 중국 내 취업 분류 기준(시행) 점수표(2017년판)",
    ),
    **tr(
        "source_note",
        "《外国人来华工作分类标准（试行）》所附计分表，随国家外国专家局等部门《关于全面实施外国人来华工作许可制度的通知》"
        "印发，自2017年4月1日起在全国实施。累计85分以上为A类，60分以上为B类，60分以下为C类。"
        "B类原则上不超过60周岁；上海对急需紧缺岗位目录所列岗位的人才放宽至70周岁。",
        "The points table annexed to the Classification standards for foreigners working in China (trial), "
        "issued with the notice of the State Administration of Foreign Experts Affairs and other authorities "
        "on fully implementing the work-permit system, in force nationwide from 1 April 2017. 85 points or "
        "more: class A; 60 or more: class B; below 60: class C. Class B is for people aged 60 or under in "
        "principle; Shanghai allows up to 70 for posts in its catalogue of urgently needed posts.",
        "『外国人来華就労分類基準（試行）』の附属ポイント表。国家外国専門家局などが「外国人来華就労許可制度の全面実施に"
        "関する通知」とともに公布し、2017年4月1日から全国で施行。合計85点以上はA類、60点以上はB類、60点未満はC類。"
        "B類は原則として60歳以下ですが、上海では急募職種目録に掲げる職位の人材について70歳まで緩和しています。",
        "「외국인 중국 내 취업 분류 기준(시행)」 부속 점수표. 국가외국전문가국 등이 「외국인 중국 내 취업허가 제도 전면 "
        "시행에 관한 통지」와 함께 발표했으며 2017년 4월 1일부터 전국에서 시행. 합계 85점 이상은 A류, 60점 이상은 B류, "
        "60점 미만은 C류. B류는 원칙적으로 60세 이하이며, 상하이는 긴급 수요 직위 목록에 오른 직위의 인재에 대해 "
        "70세까지 완화합니다.",
    ),
    "effective_from": date(2017, 4, 1),
    "is_published": True,
    "threshold_a": 85,
    "threshold_b": 60,
    "salary_multiple_a": Decimal("6"),
    "salary_multiple_b": Decimal("4"),
    "minimum_age": 18,
    "class_b_max_age": 60,
    "class_b_max_age_exception": 70,
}

# (code, kind, max points, label, explanation, bands); a band is (input, lower, upper, choice, points).
EXPERIENCE_BANDS = (
    [("related_experience_years", 0, 2, "", 0)]
    + [("related_experience_years", years, years + 1, "", 5 + years - 2) for years in range(2, 17)]
    + [("related_experience_years", 17, None, "", 20)]
)

FACTORS = [
    (
        "salary",
        "range",
        20,
        ("在华年薪", "Annual salary paid in China", "中国で支払われる年収", "중국 내 연봉"),
        (
            "在华税前年薪（人民币）：45万元及以上20分；35万至45万元（不含）17分；25万至35万元（不含）14分；"
            "15万至25万元（不含）11分；7万至15万元（不含）8分；5万至7万元（不含）5分；5万元以下0分。",
            "Gross annual salary paid in China, in CNY: 450,000 or more, 20 points; 350,000–449,999, 17; "
            "250,000–349,999, 14; 150,000–249,999, 11; 70,000–149,999, 8; 50,000–69,999, 5; below 50,000, 0.",
            "中国で支払われる税引前の年収（人民元）：45万元以上 20点、35万〜45万元未満 17点、25万〜35万元未満 14点、"
            "15万〜25万元未満 11点、7万〜15万元未満 8点、5万〜7万元未満 5点、5万元未満 0点。",
            "중국에서 지급되는 세전 연봉(위안): 45만 위안 이상 20점, 35만~45만 위안 미만 17점, 25만~35만 위안 미만 "
            "14점, 15만~25만 위안 미만 11점, 7만~15만 위안 미만 8점, 5만~7만 위안 미만 5점, 5만 위안 미만 0점.",
        ),
        [
            ("annual_salary_cny", 450000, None, "", 20),
            ("annual_salary_cny", 350000, 450000, "", 17),
            ("annual_salary_cny", 250000, 350000, "", 14),
            ("annual_salary_cny", 150000, 250000, "", 11),
            ("annual_salary_cny", 70000, 150000, "", 8),
            ("annual_salary_cny", 50000, 70000, "", 5),
            ("annual_salary_cny", 0, 50000, "", 0),
        ],
    ),
    (
        "education",
        "choice",
        20,
        (
            "学历或国际通用职业技能资格",
            "Education or qualification",
            "学歴または国際的な職業資格",
            "학력 또는 국제 직업 자격",
        ),
        (
            "博士学位或国际通用的顶级职业技能资格证书20分；硕士学位15分；学士学位10分；学士以下0分。",
            "A doctorate, or an internationally recognised top-level vocational certificate, 20 points; a "
            "master's degree, 15; a bachelor's degree, 10; below a bachelor's degree, 0.",
            "博士号または国際的に通用する最上級の職業技能資格 20点、修士号 15点、学士号 10点、学士未満 0点。",
            "박사 학위 또는 국제적으로 통용되는 최상위 직업기능 자격증 20점, 석사 학위 15점, 학사 학위 10점, "
            "학사 미만 0점.",
        ),
        [
            ("education", None, None, "doctorate", 20),
            ("education", None, None, "master", 15),
            ("education", None, None, "bachelor", 10),
            ("education", None, None, "none", 0),
        ],
    ),
    (
        "experience",
        "range",
        20,
        ("相关工作经历", "Related work experience", "関連する職務経験", "관련 경력"),
        (
            "与拟任岗位相关的工作年限：满2年5分，此后每增加1年加1分，最高20分；不满2年0分。",
            "Years of work experience related to the post: 2 years, 5 points, and 1 more point for each "
            "further full year, up to 20; under 2 years, 0.",
            "予定する職務に関連する職務経験年数：2年で5点、以後1年ごとに1点を加算し最高20点。2年未満は0点。",
            "예정 직무와 관련된 경력 연수: 2년 5점, 이후 만 1년마다 1점씩 더해 최고 20점. 2년 미만 0점.",
        ),
        EXPERIENCE_BANDS,
    ),
    (
        "months_in_china",
        "range",
        15,
        (
            "年度在华工作时间",
            "Months a year worked in China",
            "年間の中国での就労期間",
            "연간 중국 내 근무 기간",
        ),
        (
            "每年在华工作时间：9个月及以上15分；6至8个月10分；3至5个月5分；不足3个月0分。",
            "Months a year worked in China: 9 or more, 15 points; 6 to 8, 10; 3 to 5, 5; under 3, 0.",
            "年間の中国での就労月数：9か月以上 15点、6〜8か月 10点、3〜5か月 5点、3か月未満 0点。",
            "연간 중국 내 근무 개월 수: 9개월 이상 15점, 6~8개월 10점, 3~5개월 5점, 3개월 미만 0점.",
        ),
        [
            ("months_in_china_per_year", 9, None, "", 15),
            ("months_in_china_per_year", 6, 9, "", 10),
            ("months_in_china_per_year", 3, 6, "", 5),
            ("months_in_china_per_year", 0, 3, "", 0),
        ],
    ),
    (
        "chinese",
        "choice",
        5,
        ("汉语水平", "Chinese language", "中国語能力", "중국어 능력"),
        (
            "汉语水平考试（HSK）五级或六级5分；四级4分；三级3分；二级2分；一级1分。曾为中国国籍，"
            "或取得以中文授课的学位，5分。本项合计不超过5分。",
            "HSK level 5 or 6, 5 points; HSK 4, 4; HSK 3, 3; HSK 2, 2; HSK 1, 1. A former Chinese national, "
            "or a degree from a programme taught in Chinese, 5. Never more than 5 in total.",
            "HSK 5級または6級 5点、4級 4点、3級 3点、2級 2点、1級 1点。元中国籍の方、または中国語で授業が行われる"
            "課程で学位を取得した方は5点。この項目は合計5点が上限です。",
            "HSK 5급 또는 6급 5점, 4급 4점, 3급 3점, 2급 2점, 1급 1점. 과거 중국 국적자이거나 중국어로 강의하는 "
            "과정에서 학위를 취득한 경우 5점. 이 항목은 합계 5점을 넘지 않습니다.",
        ),
        [
            ("hsk_level", None, None, "1", 1),
            ("hsk_level", None, None, "2", 2),
            ("hsk_level", None, None, "3", 3),
            ("hsk_level", None, None, "4", 4),
            ("hsk_level", None, None, "5", 5),
            ("hsk_level", None, None, "6", 5),
            ("former_chinese_national", None, None, "true", 5),
            ("degree_taught_in_chinese", None, None, "true", 5),
        ],
    ),
    (
        "work_location",
        "choice",
        10,
        ("工作地区", "Work location", "勤務地", "근무 지역"),
        (
            "在西部地区、东北等老工业基地或国家级贫困县工作10分；在上海工作0分。",
            "Work in the western region, a north-eastern old industrial base or a poverty-alleviation county, "
            "10 points; in Shanghai, 0.",
            "西部地域、東北などの旧工業基地、または国の指定する貧困県で勤務する場合 10点。上海での勤務は0点。",
            "서부 지역, 동북 등 노후 공업기지 또는 국가 지정 빈곤현에서 근무하는 경우 10점. 상하이 근무는 0점.",
        ),
        [
            ("work_location", None, None, "western_region", 10),
            ("work_location", None, None, "northeast_industrial_base", 10),
            ("work_location", None, None, "poverty_county", 10),
            ("work_location", None, None, "shanghai", 0),
        ],
    ),
    (
        "age",
        "range",
        15,
        ("年龄", "Age", "年齢", "연령"),
        (
            "18至25岁10分；26至45岁15分；46至55岁10分；56至60岁5分；60岁以上0分。",
            "Aged 18 to 25, 10 points; 26 to 45, 15; 46 to 55, 10; 56 to 60, 5; over 60, 0.",
            "18〜25歳 10点、26〜45歳 15点、46〜55歳 10点、56〜60歳 5点、61歳以上 0点。",
            "18~25세 10점, 26~45세 15점, 46~55세 10점, 56~60세 5점, 60세 초과 0점.",
        ),
        [
            ("age", 18, 26, "", 10),
            ("age", 26, 46, "", 15),
            ("age", 46, 56, "", 10),
            ("age", 56, 61, "", 5),
            ("age", 61, None, "", 0),
        ],
    ),
    (
        "extras",
        "flags",
        5,
        ("其他加分项", "Extras", "その他の加点項目", "기타 가점 항목"),
        (
            "毕业于世界知名高校、曾在世界500强企业工作、拥有自主知识产权（专利等），或在华连续工作5年及以上，"
            "5分；符合多项的只计一次。",
            "A degree from a top foreign university, work experience at a Fortune 500 company, a patent or other "
            "intellectual property of one's own, or at least 5 years' continuous work in China: 5 points, "
            "counted once however many apply.",
            "世界的に著名な大学の卒業、フォーチュン・グローバル500企業での勤務経験、自ら保有する特許などの知的財産、"
            "または中国での5年以上の継続勤務：5点。複数該当しても加算は1回のみです。",
            "세계 유명 대학 졸업, 포춘 글로벌 500대 기업 근무 경력, 본인 소유의 특허 등 지식재산권, 또는 중국 내 "
            "5년 이상 연속 근무: 5점. 여러 항목에 해당해도 한 번만 가산합니다.",
        ),
        [
            ("extras", None, None, "top_university", 5),
            ("extras", None, None, "fortune_500", 5),
            ("extras", None, None, "patent", 5),
            ("extras", None, None, "five_years_in_china", 5),
        ],
    ),
    (
        "local_bonus",
        "direct",
        10,
        ("地方鼓励性加分", "Local bonus", "地方の奨励加点", "지방 장려 가점"),
        (
            "0至10分，由省级（含直辖市）主管部门根据本地急需人才情况确定标准。",
            "0 to 10 points, by criteria the province or municipality sets for the talent it needs.",
            "0〜10点。省（直轄市を含む）の主管部門が、地域で必要とする人材に応じて基準を定めます。",
            "0~10점. 성(직할시 포함) 주관 부서가 지역에 필요한 인재에 따라 기준을 정합니다.",
        ),
        [],
    ),
]

# (code, class, derived, lowest education, fewest years, age below, evidence in four languages)
DIRECT_CRITERIA = [
    (
        "talent_programme",
        "A",
        False,
        "",
        None,
        None,
        (
            "人才计划入选通知或证书。",
            "The selection letter or certificate of the talent programme.",
            "人材計画の選定通知または証書。",
            "인재 계획 선정 통지서 또는 증서.",
        ),
    ),
    (
        "listed_achievement",
        "A",
        False,
        "",
        None,
        None,
        (
            "获奖证书、院士或会员证明，或其他官方证明材料。",
            "The award certificate, proof of membership, or other official proof of the achievement.",
            "受賞証書、会員であることの証明書、またはその他の公的な証明書類。",
            "수상 증서, 회원 증명서 또는 기타 공식 증빙 서류.",
        ),
    ),
    (
        "encouraged_post",
        "A",
        False,
        "",
        None,
        None,
        (
            "劳动合同及用人单位出具的岗位和职级说明。",
            "The employment contract and the employer's description of the post and its level.",
            "雇用契約書と、雇用機関による職位および職級の説明書。",
            "고용 계약서와 고용 기관이 발급한 직위 및 직급 설명서.",
        ),
    ),
    (
        "innovation_talent",
        "A",
        False,
        "",
        None,
        None,
        (
            "创新创业项目证明材料：企业登记、投资到位或规定所列的认定文件。",
            "Proof of the venture or innovation project: registration, investment received, or the recognition "
            "the rules name.",
            "イノベーション・起業プロジェクトの証明書類：企業登記、投資の受入れ、または規定に定める認定書類。",
            "혁신·창업 프로젝트 증빙 서류: 기업 등기, 투자 유치 또는 규정에 명시된 인정 서류.",
        ),
    ),
    (
        "young_postdoc",
        "A",
        False,
        "",
        None,
        40,
        (
            "知名高校博士学位证书及博士后岗位证明。",
            "The doctoral degree certificate from a top university and proof of the post-doctoral position.",
            "著名大学の博士学位証書と、ポスドク職に就いていることの証明書。",
            "유명 대학 박사 학위증과 박사후 연구원 직위 증명서.",
        ),
    ),
    (
        "bachelor_with_experience",
        "B",
        True,
        "bachelor",
        2,
        None,
        (
            "学位证书及相关工作经历证明。",
            "The degree certificate and proof of the related work experience.",
            "学位証書と関連する職務経験の証明書。",
            "학위증과 관련 경력 증명서.",
        ),
    ),
    (
        "skill_certificate",
        "B",
        False,
        "",
        None,
        None,
        (
            "国际通用的职业技能资格证书。",
            "The internationally recognised vocational skill certificate.",
            "国際的に通用する職業技能資格の証書。",
            "국제적으로 통용되는 직업기능 자격증.",
        ),
    ),
    (
        "language_teacher",
        "B",
        False,
        "",
        None,
        None,
        (
            "母语国家国籍证明、学位证书及语言教学资格证书。",
            "Proof of native-speaker nationality, the degree certificate and a language-teaching qualification.",
            "母語話者であることを示す国籍の証明、学位証書、語学教育の資格証明書。",
            "모국어 사용 국가 국적 증명, 학위증, 어학 교육 자격증.",
        ),
    ),
]

CATEGORIES = [
    {
        "code": "high_end",
        "position": 1,
        "grants_class": "A",
        "green_channel": True,
        "max_validity_years": 5,
        "uses_shortage_posts": False,
        "name": ("高端人才", "High-end talent", "ハイレベル人材", "고급 인재"),
        "description": (
            "按照上海试行标准（附件1）认定为A类的外国高端人才：入选人才计划者、创新创业领军人才，"
            "以及在市场鼓励岗位任职的高级专业人才。",
            "Foreign high-end talent whom Shanghai's pilot standards (Annex 1) admit to class A: people selected "
            "for talent programmes, leaders of innovation and enterprise, and senior professionals in posts the "
            "market encourages.",
            "上海の試行基準（附属文書1）によりA類と認められる外国のハイレベル人材：人材計画に選ばれた方、"
            "イノベーション・起業を率いる方、市場が奨励する職位に就く上級専門人材。",
            "상하이 시행 기준(부속서 1)에 따라 A류로 인정되는 외국 고급 인재: 인재 계획 선정자, 혁신·창업을 "
            "이끄는 인재, 시장이 장려하는 직위의 고급 전문 인력.",
        ),
        "criteria": [
            (
                (
                    "入选国家或上海市人才计划。",
                    "Selected for a national or Shanghai talent programme.",
                    "国または上海市の人材計画に選ばれていること。",
                    "국가 또는 상하이시 인재 계획에 선정되었을 것.",
                ),
                (
                    "人才计划入选通知或证书。",
                    "The selection letter or certificate of the programme.",
                    "人材計画の選定通知または証書。",
                    "인재 계획 선정 통지서 또는 증서.",
                ),
            ),
            (
                (
                    "在上海重点产业担任高级管理或高级技术岗位，且薪酬达到市场认可的高端水平。",
                    "Holds a senior management or senior technical post in a key Shanghai industry, with a salary "
                    "the market recognises as high-end.",
                    "上海の重点産業で上級管理職または上級技術職に就き、市場でハイレベルと認められる報酬を得ていること。",
                    "상하이 중점 산업에서 고위 관리직 또는 고급 기술직을 맡고, 시장에서 고급 수준으로 인정되는 보수를 "
                    "받을 것.",
                ),
                (
                    "劳动合同、用人单位出具的岗位说明及个人所得税纳税记录。",
                    "The employment contract, the employer's description of the post, and individual income tax "
                    "records.",
                    "雇用契約書、雇用機関による職位の説明書、個人所得税の納税記録。",
                    "고용 계약서, 고용 기관의 직위 설명서, 개인소득세 납세 기록.",
                ),
            ),
            (
                (
                    "创办或领导获得较大规模投资或拥有核心知识产权的创新型企业。",
                    "Founded or leads an innovative enterprise that has raised significant investment or holds core "
                    "intellectual property.",
                    "相当規模の投資を受けた、または中核となる知的財産を持つ革新的企業を創業し、または率いていること。",
                    "상당한 규모의 투자를 유치했거나 핵심 지식재산권을 보유한 혁신 기업을 창업했거나 이끌고 있을 것.",
                ),
                (
                    "企业登记证明、投资到位证明及专利等知识产权证书。",
                    "The company registration, proof of the investment received, and patent or other IP "
                    "certificates.",
                    "企業登記の証明、投資受入れの証明、特許などの知的財産権の証書。",
                    "기업 등기 증명, 투자 유치 증명, 특허 등 지식재산권 증서.",
                ),
            ),
        ],
    },
    {
        "code": "high_skilled",
        "position": 2,
        "grants_class": "A",
        "green_channel": True,
        "max_validity_years": 5,
        "uses_shortage_posts": False,
        "name": ("高技能人才", "High-skilled talent", "高度技能人材", "고숙련 인재"),
        "description": (
            "具有国际公认的顶尖技能水平、按照试行标准认定为A类的外国技能人才。",
            "Foreign craftspeople and technicians with top-level, internationally recognised skills, whom the "
            "pilot standards admit to class A.",
            "国際的に認められた最高水準の技能を持ち、試行基準によりA類と認められる外国の技能人材。",
            "국제적으로 인정받는 최고 수준의 기능을 갖추고 시행 기준에 따라 A류로 인정되는 외국 기능 인재.",
        ),
        "criteria": [
            (
                (
                    "在世界技能大赛或同等级别的国际技能竞赛中获得奖牌。",
                    "Won a medal at the WorldSkills Competition or an international skills contest of the same "
                    "level.",
                    "技能五輪国際大会（ワールドスキルズ）または同等の国際技能競技大会でメダルを獲得したこと。",
                    "국제기능올림픽(월드스킬스) 또는 같은 수준의 국제 기능 경진대회에서 메달을 획득했을 것.",
                ),
                (
                    "竞赛主办方颁发的获奖证书。",
                    "The medal certificate issued by the competition's organisers.",
                    "大会主催者が発行したメダル獲得の証明書。",
                    "대회 주최 측이 발급한 메달 수상 증명서.",
                ),
            ),
            (
                (
                    "持有国际通用的最高等级职业资格，并在上海重点产业从事技能岗位工作。",
                    "Holds the highest grade of an internationally recognised vocational qualification and works "
                    "in a skilled post in a key Shanghai industry.",
                    "国際的に通用する職業資格の最上級を保有し、上海の重点産業で技能職に就いていること。",
                    "국제적으로 통용되는 직업 자격의 최고 등급을 보유하고 상하이 중점 산업의 기능직에 종사할 것.",
                ),
                (
                    "职业资格证书及劳动合同。",
                    "The qualification certificate and the employment contract.",
                    "職業資格の証書と雇用契約書。",
                    "직업 자격증과 고용 계약서.",
                ),
            ),
        ],
    },
    {
        "code": "top_scientist",
        "position": 3,
        "grants_class": "A",
        "green_channel": True,
        "max_validity_years": 5,
        "uses_shortage_posts": False,
        "name": ("顶尖科学家", "Top scientist", "トップサイエンティスト", "최고 과학자"),
        "description": (
            "具有国际顶尖学术地位的科学家，如重大国际奖项获得者、各国科学院或工程院院士。",
            "Scientists of the highest international standing, such as laureates of major international prizes "
            "and members of national academies of sciences or engineering.",
            "主要な国際賞の受賞者や各国の科学アカデミー・工学アカデミーの会員など、国際的に最高水準の地位にある科学者。",
            "주요 국제상 수상자, 각국 과학원·공학원 회원 등 국제적으로 최고 수준의 학술적 지위를 가진 과학자.",
        ),
        "criteria": [
            (
                (
                    "重大国际奖项获得者（诺贝尔奖、图灵奖、菲尔兹奖、沃尔夫奖、阿贝尔奖、拉斯克奖、京都奖、邵逸夫奖"
                    "或同等级别奖项）。",
                    "Laureate of a major international prize (the Nobel, Turing, Fields, Wolf, Abel, Lasker, Kyoto or "
                    "Shaw prize, or one of equal standing).",
                    "主要な国際賞（ノーベル賞、チューリング賞、フィールズ賞、ウルフ賞、アーベル賞、ラスカー賞、京都賞、"
                    "ショウ賞、またはこれらと同等の賞）の受賞者であること。",
                    "주요 국제상(노벨상, 튜링상, 필즈상, 울프상, 아벨상, 래스커상, 교토상, 쇼상 또는 이에 준하는 상) "
                    "수상자일 것.",
                ),
                (
                    "获奖证书或颁奖机构的正式公告。",
                    "The prize certificate or the prize-giving body's official announcement.",
                    "受賞証書または授与機関の公式発表。",
                    "수상 증서 또는 시상 기관의 공식 발표.",
                ),
            ),
            (
                (
                    "各国科学院或工程院院士。",
                    "Member of a national academy of sciences or engineering.",
                    "各国の科学アカデミーまたは工学アカデミーの会員であること。",
                    "각국 과학원 또는 공학원 회원일 것.",
                ),
                (
                    "院士证书或该院正式公布的院士名单。",
                    "The academy's certificate or its official list of members.",
                    "アカデミーの会員証書または公式の会員名簿。",
                    "학술원 회원 증서 또는 공식 회원 명단.",
                ),
            ),
        ],
    },
    {
        "code": "shortage",
        "position": 4,
        "grants_class": "B",
        "green_channel": False,
        "max_validity_years": 2,
        "uses_shortage_posts": True,
        "name": (
            "急需紧缺人才",
            "Urgently needed and shortage talent",
            "緊急需要・不足人材",
            "긴급 수요·부족 인재",
        ),
        "description": (
            "在上海急需紧缺岗位目录（集成电路、生物医药、人工智能、金融）所列岗位工作的专业人才，按B类管理，"
            "年龄可放宽至70周岁，不受市场需求数量限制。",
            "Professionals in a post of Shanghai's catalogue of urgently needed posts (integrated circuits, "
            "biomedicine, artificial intelligence and finance). They hold class B up to the age of 70, outside "
            "the market-demand quota.",
            "上海の急募職種目録（集積回路、バイオ医薬、人工知能、金融）に掲げる職位で働く専門人材。B類として扱われ、"
            "年齢は70歳まで緩和され、市場需要に応じた人数枠の対象外となります。",
            "상하이 긴급 수요 직위 목록(집적회로, 바이오의약, 인공지능, 금융)에 오른 직위에서 일하는 전문 인력. "
            "B류로 관리되며 연령은 70세까지 완화되고, 시장 수요에 따른 인원 한도의 적용을 받지 않습니다.",
        ),
        "criteria": [
            (
                (
                    "在目录所列岗位工作，具有学士及以上学位和2年以上相关工作经历，并经用人单位认定。",
                    "Works in a post of the catalogue, has at least a bachelor's degree and 2 years' related "
                    "experience, and is certified by the employer.",
                    "目録に掲げる職位で勤務し、学士以上の学位と2年以上の関連職務経験を有し、雇用機関の認定を受けていること。",
                    "목록에 오른 직위에서 근무하고, 학사 이상 학위와 2년 이상의 관련 경력을 갖추며, 고용 기관의 인정을 "
                    "받을 것.",
                ),
                (
                    "学位证书、相关工作经历证明及用人单位出具的岗位认定材料。",
                    "The degree certificate, proof of the related experience, and the employer's certification of "
                    "the post.",
                    "学位証書、関連職務経験の証明書、雇用機関による職位の認定書類。",
                    "학위증, 관련 경력 증명서, 고용 기관의 직위 인정 서류.",
                ),
            ),
        ],
    },
]

CATALOGUE_EFFECTIVE_FROM = date(2023, 1, 1)


def load(apps, schema_editor):
    PointsTable = apps.get_model("classification", "PointsTable")
    Factor = apps.get_model("classification", "Factor")
    Band = apps.get_model("classification", "Band")
    DirectCriterion = apps.get_model("classification", "DirectCriterion")
    TalentCategory = apps.get_model("classification", "TalentCategory")
    Criterion = apps.get_model("classification", "Criterion")

    table = PointsTable.objects.create(**TABLE)
    for position, (code, kind, max_points, label, explanation, bands) in enumerate(FACTORS, start=1):
        factor = Factor.objects.create(
            table=table,
            code=code,
            position=position,
            kind=kind,
            max_points=max_points,
            **tr("label", *label),
            **tr("explanation", *explanation),
        )
        Band.objects.bulk_create(
            Band(factor=factor, input=name, lower=lower, upper=upper, choice=choice, points=points)
            for name, lower, upper, choice, points in bands
        )
    for code, grants, derived, education, years, age_below, evidence in DIRECT_CRITERIA:
        DirectCriterion.objects.create(
            table=table,
            code=code,
            grants_class=grants,
            is_derived=derived,
            min_education=education,
            min_experience_years=years,
            age_below=age_below,
            **tr("evidence", *evidence),
        )
    for data in CATEGORIES:
        data = dict(data)
        criteria = data.pop("criteria")
        name, description = data.pop("name"), data.pop("description")
        category = TalentCategory.objects.create(
            effective_from=CATALOGUE_EFFECTIVE_FROM,
            **data,
            **tr("name", *name),
            **tr("description", *description),
        )
        for position, (text, evidence) in enumerate(criteria, start=1):
            Criterion.objects.create(
                category=category, position=position, **tr("text", *text), **tr("evidence", *evidence)
            )


def unload(apps, schema_editor):
    apps.get_model("classification", "PointsTable").objects.filter(version=TABLE["version"]).delete()
    apps.get_model("classification", "TalentCategory").objects.filter(
        code__in=[data["code"] for data in CATEGORIES], effective_from=CATALOGUE_EFFECTIVE_FROM
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("classification", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
