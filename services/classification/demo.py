"""Demo data for ``seed_demo``: an example local average wage and example shortage posts.

Everything here is marked ``is_example`` and says so in its text: these are not official figures
or catalogue entries. Idempotent: rows are found by year or code.
"""

from datetime import date

from django.utils import timezone

from .models import Education, LocalAverageWage, ShortagePost

LANGUAGES = ("zh_hans", "en", "ja", "ko")

# An example of the order of magnitude of Shanghai's average wage, not the official figure.
EXAMPLE_ANNUAL_WAGE_CNY = 150000
EXAMPLE_WAGE_SOURCE = "Example figure for the demonstration portal, not the official Shanghai average wage"

CATALOGUE_START = date(2023, 1, 1)

# (code, industry, title in four languages, requirements in four languages)
EXAMPLE_POSTS = [
    (
        "example-ic-design",
        "integrated_circuits",
        (
            "数字集成电路设计工程师（示例）",
            "Digital IC design engineer (example)",
            "デジタルIC設計エンジニア（例）",
            "디지털 IC 설계 엔지니어(예시)",
        ),
        (
            "示例条目：微电子或相关专业学士及以上学位，2年以上芯片设计相关工作经历。",
            "Example entry: a bachelor's degree or higher in microelectronics or a related field, and at least 2 "
            "years' experience in chip design.",
            "例示用の項目：マイクロエレクトロニクスまたは関連分野の学士以上の学位と、2年以上のチップ設計の経験。",
            "예시 항목: 마이크로전자공학 또는 관련 분야 학사 이상 학위와 2년 이상의 칩 설계 경력.",
        ),
    ),
    (
        "example-clinical-research",
        "biomedicine",
        (
            "临床研究医学专家（示例）",
            "Clinical research physician (example)",
            "臨床研究医師（例）",
            "임상연구 의사(예시)",
        ),
        (
            "示例条目：医学学士及以上学位，2年以上新药临床研究工作经历。",
            "Example entry: a medical degree (bachelor's or higher) and at least 2 years' experience in clinical "
            "trials of new medicines.",
            "例示用の項目：医学の学士以上の学位と、2年以上の新薬臨床試験の経験。",
            "예시 항목: 의학 학사 이상 학위와 2년 이상의 신약 임상시험 경력.",
        ),
    ),
    (
        "example-ml-scientist",
        "artificial_intelligence",
        (
            "机器学习算法科学家（示例）",
            "Machine-learning scientist (example)",
            "機械学習アルゴリズム研究者（例）",
            "머신러닝 알고리즘 연구원(예시)",
        ),
        (
            "示例条目：计算机或数学相关专业学士及以上学位，2年以上机器学习算法研发经历。",
            "Example entry: a bachelor's degree or higher in computing or mathematics, and at least 2 years' "
            "experience developing machine-learning algorithms.",
            "例示用の項目：情報科学または数学関連分野の学士以上の学位と、2年以上の機械学習アルゴリズム開発の経験。",
            "예시 항목: 컴퓨터 또는 수학 관련 분야 학사 이상 학위와 2년 이상의 머신러닝 알고리즘 개발 경력.",
        ),
    ),
    (
        "example-quant-risk",
        "finance",
        (
            "量化风险分析师（示例）",
            "Quantitative risk analyst (example)",
            "クオンツ・リスクアナリスト（例）",
            "계량 리스크 분석가(예시)",
        ),
        (
            "示例条目：金融工程或相关专业学士及以上学位，2年以上金融机构风险管理工作经历。",
            "Example entry: a bachelor's degree or higher in financial engineering or a related field, and at "
            "least 2 years' risk-management experience at a financial institution.",
            "例示用の項目：金融工学または関連分野の学士以上の学位と、金融機関での2年以上のリスク管理の経験。",
            "예시 항목: 금융공학 또는 관련 분야 학사 이상 학위와 금융기관에서 2년 이상의 리스크 관리 경력.",
        ),
    ),
]


def _translated(name: str, texts) -> dict:
    return {name: texts[0], **{f"{name}_{code}": text for code, text in zip(LANGUAGES, texts, strict=True)}}


def seed() -> list[str]:
    """Create the example wage (this year and last) and the example shortage posts; say what was made."""
    made = []
    this_year = timezone.localdate().year
    for year in (this_year - 1, this_year):
        _wage, created = LocalAverageWage.objects.get_or_create(
            year=year,
            effective_from=date(year, 1, 1),
            defaults={
                "annual_amount_cny": EXAMPLE_ANNUAL_WAGE_CNY,
                "source": EXAMPLE_WAGE_SOURCE,
                "is_example": True,
            },
        )
        if created:
            made.append(f"example local average wage {year}")
    for code, industry, title, requirements in EXAMPLE_POSTS:
        _post, created = ShortagePost.objects.get_or_create(
            code=code,
            effective_from=CATALOGUE_START,
            defaults={
                "industry": industry,
                "min_education": Education.BACHELOR,
                "min_experience_years": 2,
                "is_example": True,
                **_translated("title", title),
                **_translated("requirements", requirements),
            },
        )
        if created:
            made.append(f"example shortage post {code}")
    return made
