"""The initial catalogue of reason codes, in four languages. Administrators may add more."""

from django.db import migrations

# code, kind, English, 简体中文, 日本語, 한국어
REASONS = [
    (
        "doc_missing",
        "defect",
        "A required document is missing.",
        "缺少必需的材料。",
        "必要な書類が不足しています。",
        "필요한 서류가 누락되었습니다.",
    ),
    (
        "doc_illegible",
        "defect",
        "A document is illegible or incomplete.",
        "材料字迹不清或内容不完整。",
        "書類が判読できないか、不完全です。",
        "서류를 알아볼 수 없거나 내용이 불완전합니다.",
    ),
    (
        "doc_lapsed",
        "defect",
        "A document has lapsed: it was issued more than 6 months ago, or it has expired.",
        "材料已失效：出具时间超过 6 个月或已过有效期。",
        "書類の有効期間が過ぎています（発行から6か月を超えているか、期限切れです）。",
        "서류의 유효 기간이 지났습니다(발급 후 6개월이 지났거나 만료되었습니다).",
    ),
    (
        "doc_not_translated",
        "defect",
        "A document in a foreign language lacks a Chinese translation stamped by the employer.",
        "外文材料未附经用人单位盖章的中文译文。",
        "外国語の書類に、雇用機関が押印した中国語訳が添付されていません。",
        "외국어 서류에 고용 기관이 날인한 중국어 번역문이 첨부되어 있지 않습니다.",
    ),
    (
        "doc_not_authenticated",
        "defect",
        "The degree certificate has not been authenticated.",
        "学历学位证书未经认证。",
        "学位証明書が認証されていません。",
        "학위증명서가 인증되지 않았습니다.",
    ),
    (
        "data_mismatch",
        "defect",
        "Information in the form does not match the documents.",
        "申请表填写的信息与材料不一致。",
        "申請書の記載内容が書類と一致しません。",
        "신청서에 기재된 내용이 서류와 일치하지 않습니다.",
    ),
    (
        "photo_noncompliant",
        "defect",
        "The photo does not meet the requirements.",
        "照片不符合要求。",
        "写真が要件を満たしていません。",
        "사진이 요건을 충족하지 않습니다.",
    ),
    (
        "contract_incomplete",
        "defect",
        "The employment contract does not state the post, the salary or the term.",
        "劳动合同未载明工作岗位、薪酬或期限。",
        "雇用契約に職務、給与または期間が記載されていません。",
        "근로계약서에 직무, 급여 또는 계약 기간이 명시되어 있지 않습니다.",
    ),
    (
        "criteria_not_met",
        "refusal",
        "The applicant does not meet the criteria of the class applied for.",
        "申请人不符合所申请类别的条件。",
        "申請者は申請した類別の基準を満たしていません。",
        "신청인이 신청한 유형의 기준을 충족하지 않습니다.",
    ),
    (
        "false_information",
        "refusal",
        "False information or forged documents were submitted.",
        "提交了虚假信息或伪造材料。",
        "虚偽の情報または偽造された書類が提出されました。",
        "허위 정보 또는 위조된 서류가 제출되었습니다.",
    ),
    (
        "documents_not_provided",
        "refusal",
        "The requested documents were not provided within the time allowed.",
        "未在规定期限内补正所需材料。",
        "求められた書類が期限内に提出されませんでした。",
        "요청된 서류가 기한 내에 제출되지 않았습니다.",
    ),
    (
        "employer_not_eligible",
        "refusal",
        "The employer is not eligible to sponsor foreign staff.",
        "用人单位不具备聘用外籍人员的条件。",
        "雇用機関は外国人職員を受け入れる資格を有していません。",
        "고용 기관이 외국인 직원을 초청할 자격을 갖추지 못했습니다.",
    ),
    (
        "age_limit",
        "refusal",
        "The applicant exceeds the age limit of the class applied for.",
        "申请人超过所申请类别的年龄上限。",
        "申請者は申請した類別の年齢上限を超えています。",
        "신청인이 신청한 유형의 연령 상한을 초과합니다.",
    ),
    (
        "obtained_by_fraud",
        "revocation",
        "The permit was obtained by fraud.",
        "以欺骗手段取得工作许可。",
        "就労許可が不正な手段により取得されました。",
        "취업허가를 부정한 방법으로 취득했습니다.",
    ),
    (
        "employment_ended",
        "revocation",
        "The employment ended and the permit was not cancelled.",
        "聘用关系已终止但未注销工作许可。",
        "雇用関係が終了したにもかかわらず、就労許可が抹消されていません。",
        "고용 관계가 종료되었으나 취업허가가 말소되지 않았습니다.",
    ),
    (
        "serious_violation",
        "revocation",
        "The holder seriously violated the law in China.",
        "持证人在华有严重违法行为。",
        "許可の保持者が中国で重大な法令違反を行いました。",
        "허가 보유자가 중국에서 중대한 법령 위반을 했습니다.",
    ),
]


def load(apps, schema_editor):
    reason_code = apps.get_model("permits", "ReasonCode")
    for code, kind, en, zh, ja, ko in REASONS:
        reason_code.objects.update_or_create(
            code=code,
            defaults={
                "kind": kind,
                "text": zh,
                "text_zh_hans": zh,
                "text_en": en,
                "text_ja": ja,
                "text_ko": ko,
            },
        )


def unload(apps, schema_editor):
    apps.get_model("permits", "ReasonCode").objects.filter(code__in=[row[0] for row in REASONS]).delete()


class Migration(migrations.Migration):
    dependencies = [("permits", "0002_review")]
    operations = [migrations.RunPython(load, unload)]
