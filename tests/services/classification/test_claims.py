"""Recognition claims: who sees, certifies and decides what; evidence; benefits; query counts."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from services.classification import actions, selectors
from services.classification.engine import assess
from services.classification.models import ClaimEvidence, RecognitionClaim, TalentCategory
from talent_portal.core.errors import Forbidden, InvalidInput, NotAllowed, NotFound
from talent_portal.core.models import AuditEvent
from tests.factories import OrganizationFactory, UserFactory
from tests.services.classification.factories import (
    PNG_BYTES,
    CriterionFactory,
    RecognitionClaimFactory,
    ShortagePostFactory,
    pdf_upload,
    profile,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def organization():
    return OrganizationFactory(verified=True)


@pytest.fixture
def hr(organization):
    return UserFactory(member_of=organization)


@pytest.fixture
def claim(organization):
    return RecognitionClaimFactory(organization=organization, with_evidence=True)


def _shortage_category():
    return TalentCategory.objects.get(code="shortage")


# --- Filing -------------------------------------------------------------------------------------


def test_an_applicant_claims_a_shortage_post_with_evidence(user, organization):
    post = ShortagePostFactory()
    claim = actions.claim_create(
        actor=user,
        category=_shortage_category(),
        shortage_post=post,
        organization_uscc=organization.uscc.lower(),
        statement="I design chips.",
        evidence=[pdf_upload()],
    )
    assert (claim.status, claim.shortage_post, claim.criterion, claim.organization) == (
        "submitted",
        post,
        None,
        organization,
    )
    evidence = claim.evidence.get()
    assert (evidence.content_type, evidence.original_name) == ("application/pdf", "diploma.pdf")
    assert "diploma" not in evidence.file.name
    assert AuditEvent.objects.filter(action="claim_created", object_id=str(claim.pk)).exists()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (pdf_upload(name="cv.pdf", content=b"MZ\x90\x00 not a pdf"), "PDF, JPEG or PNG"),
        (pdf_upload(name="fake.pdf", content=b"<html><script>alert(1)</script></html>"), "PDF, JPEG or PNG"),
        (pdf_upload(name="huge.pdf", content=b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024)), "10 MB"),
    ],
)
def test_evidence_is_checked_by_its_content_and_size(user, organization, upload, message):
    criterion = CriterionFactory()
    with pytest.raises(InvalidInput) as error:
        actions.claim_create(
            actor=user,
            category=criterion.category,
            criterion=criterion,
            organization_uscc=organization.uscc,
            statement="x",
            evidence=[upload],
        )
    assert message in error.value.fields["evidence"][0]
    assert not RecognitionClaim.objects.exists()


def test_a_png_is_accepted_whatever_its_name(user, organization):
    criterion = CriterionFactory()
    claim = actions.claim_create(
        actor=user,
        category=criterion.category,
        criterion=criterion,
        organization_uscc=organization.uscc,
        statement="x",
        evidence=[pdf_upload(name="scan.pdf", content=PNG_BYTES)],
    )
    assert claim.evidence.get().content_type == "image/png"


def test_filing_checks_every_field_at_once(user):
    criterion = CriterionFactory()
    other = CriterionFactory()
    with pytest.raises(InvalidInput) as error:
        actions.claim_create(
            actor=user,
            category=criterion.category,
            criterion=other,
            organization_uscc="91310115MA1H7XY40X",
            statement=" ",
            evidence=[],
        )
    assert set(error.value.fields) == {"criterion", "organization_uscc", "statement", "evidence"}


def test_one_open_claim_per_category(user, organization):
    criterion = CriterionFactory()
    data = {
        "category": criterion.category,
        "criterion": criterion,
        "organization_uscc": organization.uscc,
        "statement": "x",
    }
    actions.claim_create(actor=user, evidence=[pdf_upload()], **data)
    with pytest.raises(NotAllowed):
        actions.claim_create(actor=user, evidence=[pdf_upload()], **data)


# --- Who sees what ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("applicant", 200),
        ("other_applicant", 404),
        ("hr_of_named_organisation", 200),
        ("hr_of_another_organisation", 404),
        ("officer", 200),
        ("anonymous", 302),
    ],
)
def test_claim_page_and_evidence_by_role(client, claim, hr, officer, who, status):
    people = {
        "applicant": claim.applicant,
        "other_applicant": UserFactory(),
        "hr_of_named_organisation": hr,
        "hr_of_another_organisation": UserFactory(member_of=OrganizationFactory(verified=True)),
        "officer": officer,
        "anonymous": None,
    }
    if people[who] is not None:
        client.force_login(people[who])
    evidence = claim.evidence.get()
    assert client.get(reverse("classification:claim", args=[claim.pk])).status_code == status
    response = client.get(reverse("classification:claim_evidence", args=[claim.pk, evidence.pk]))
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "application/pdf"
        assert "attachment" in response["Content-Disposition"]
        assert b"".join(response.streaming_content).startswith(b"%PDF")
        assert AuditEvent.objects.filter(action="claim_evidence_viewed", actor=people[who]).exists()


def test_evidence_has_no_public_url(claim):
    from django.conf import settings

    evidence = claim.evidence.get()
    assert evidence.file.url.startswith(settings.MEDIA_URL)
    assert settings.MEDIA_URL == "/media-not-served-publicly/"


def test_evidence_of_another_claim_is_not_reachable_through_mine(client, claim):
    mine = RecognitionClaimFactory(with_evidence=True)
    client.force_login(mine.applicant)
    other_file = claim.evidence.get()
    response = client.get(reverse("classification:claim_evidence", args=[mine.pk, other_file.pk]))
    assert response.status_code == 404


def test_an_applicant_never_sees_another_applicants_claim_in_the_api(api_client, claim):
    api_client.force_authenticate(UserFactory())
    assert api_client.get("/api/v1/classification/claims/").json() == []
    assert api_client.get(f"/api/v1/classification/claims/{claim.pk}/").status_code == 404
    evidence = claim.evidence.get()
    url = f"/api/v1/classification/claims/{claim.pk}/evidence/{evidence.pk}/"
    assert api_client.get(url).status_code == 404


# --- Certification and decision -----------------------------------------------------------------


def test_only_members_of_the_named_organisation_certify(claim, hr):
    outsider = UserFactory(member_of=OrganizationFactory(verified=True))
    with pytest.raises(Forbidden):
        actions.claim_certify(actor=outsider, claim=claim)
    with pytest.raises(Forbidden):
        actions.claim_certify(actor=claim.applicant, claim=claim)
    former = UserFactory(member_of=claim.organization)
    former.memberships.update(ended_at=timezone.now())
    with pytest.raises(Forbidden):
        actions.claim_certify(actor=former, claim=claim)
    claim = actions.claim_certify(actor=hr, claim=claim, note="She leads our design team.")
    assert (claim.status, claim.certified_by) == ("certified", hr)
    with pytest.raises(NotAllowed):
        actions.claim_certify(actor=hr, claim=claim)


def test_only_officers_decide_and_only_certified_claims(claim, hr, officer):
    with pytest.raises(NotAllowed):
        actions.claim_recognise(actor=officer, claim=claim)
    claim = actions.claim_certify(actor=hr, claim=claim)
    for person in (hr, claim.applicant, UserFactory()):
        with pytest.raises(Forbidden):
            actions.claim_recognise(actor=person, claim=claim)
    with pytest.raises(InvalidInput):
        actions.claim_refuse(actor=officer, claim=claim, reason="  ")
    claim = actions.claim_refuse(actor=officer, claim=claim, reason="The prize is not on the list.")
    assert (claim.status, claim.decided_by, claim.decision_reason) == (
        "refused",
        officer,
        "The prize is not on the list.",
    )
    with pytest.raises(NotAllowed):
        actions.claim_recognise(actor=officer, claim=claim)


def test_an_officer_does_not_decide_their_own_claim(organization, hr):
    own = RecognitionClaimFactory(
        applicant=UserFactory(duties=["work_permit_officer"]), organization=organization
    )
    actions.claim_certify(actor=hr, claim=own)
    with pytest.raises(Forbidden):
        actions.claim_recognise(actor=own.applicant, claim=own)


def test_adding_evidence_is_for_the_applicant_while_the_claim_is_open(claim, hr):
    actions.claim_add_evidence(actor=claim.applicant, claim=claim, upload=pdf_upload(name="more.pdf"))
    assert claim.evidence.count() == 2
    with pytest.raises(NotFound):
        actions.claim_add_evidence(actor=hr, claim=claim, upload=pdf_upload())


@pytest.mark.parametrize(
    ("who", "status"),
    [("applicant", 404), ("hr_of_named_organisation", 404), ("officer", 302), ("anonymous", 302)],
)
def test_the_decision_page_is_for_officers(client, claim, hr, officer, who, status):
    people = {
        "applicant": claim.applicant,
        "hr_of_named_organisation": hr,
        "officer": officer,
        "anonymous": None,
    }
    claim.status = "certified"
    claim.save()
    if people[who]:
        client.force_login(people[who])
    response = client.post(
        reverse("classification:claim_decide", args=[claim.pk]), {"decision": "recognise", "reason": ""}
    )
    assert response.status_code == status
    claim.refresh_from_db()
    assert claim.status == ("recognised" if who == "officer" else "certified")


# --- Benefits for later applications ------------------------------------------------------------


def test_a_recognised_category_gives_its_class_and_benefits(organization, hr, officer):
    category = TalentCategory.objects.get(code="top_scientist")
    claim = RecognitionClaimFactory(
        organization=organization, category=category, criterion=category.criteria.first()
    )
    applicant = claim.applicant
    today = timezone.localdate()
    assert selectors.recognised_category_codes_for(applicant, on=today) == frozenset()
    actions.claim_certify(actor=hr, claim=claim)
    actions.claim_recognise(actor=officer, claim=claim)

    assert selectors.recognised_category_codes_for(applicant, on=today) == {"top_scientist"}
    assert selectors.recognised_category_codes_for(applicant, on=today - timedelta(days=1)) == frozenset()
    benefits = selectors.benefits_of(applicant, on=today)
    assert (benefits.talent_class, benefits.green_channel, benefits.max_validity_years) == ("A", True, 5)
    result = assess(profile(age=75, recognised_category_codes=benefits.category_codes), on=today)
    assert (result.category, result.decided_by) == ("A", "recognised_category")


def test_application_choices_offer_claimable_criteria_and_posts_in_force():
    post = ShortagePostFactory()
    ShortagePostFactory(effective_from=date(2099, 1, 1))
    choices = selectors.application_choices(on=None)
    assert [code for code, _label in choices["shortage_posts"]] == [post.code]
    assert "talent_programme" in dict(choices["criteria_a"])
    assert "bachelor_with_experience" not in dict(choices["criteria_b"])


# --- The whole flow through the pages and the API -----------------------------------------------


def test_claim_filed_certified_and_recognised_through_the_pages(client, organization, hr, officer):
    post = ShortagePostFactory()
    applicant = UserFactory(preferred_language="ja")
    client.force_login(applicant)
    response = client.post(
        "/ja/classification/claims/new/",
        {
            "category": "shortage",
            "shortage_post": post.pk,
            "organization_uscc": organization.uscc,
            "statement": "チップ設計を担当しています。",
            "evidence": pdf_upload(),
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    claim = RecognitionClaim.objects.get(applicant=applicant)

    client.force_login(hr)
    assert claim.pk in [c.pk for c in client.get("/ko/classification/employer/claims/").context["claims"]]
    page = client.get(f"/ko/classification/claims/{claim.pk}/")
    assert page.context["certification_form"] is not None
    client.post(f"/ko/classification/claims/{claim.pk}/certify/", {"note": ""})

    client.force_login(officer)
    assert [c.pk for c in client.get("/zh-hans/classification/officer/claims/").context["claims"]] == [
        claim.pk
    ]
    response = client.post(
        f"/zh-hans/classification/claims/{claim.pk}/decide/", {"decision": "refuse", "reason": ""}
    )
    claim.refresh_from_db()
    assert claim.status == "certified"  # a refusal without reasons is not recorded
    client.post(
        f"/zh-hans/classification/claims/{claim.pk}/decide/", {"decision": "recognise", "reason": "OK"}
    )
    claim.refresh_from_db()
    assert claim.status == "recognised"
    assert selectors.recognised_category_codes_for(applicant, on=timezone.localdate()) == {"shortage"}


def test_claims_through_the_api(api_client, organization, hr, officer):
    criterion = TalentCategory.objects.get(code="high_end").criteria.first()
    applicant = UserFactory()
    api_client.force_authenticate(applicant)
    response = api_client.post(
        "/api/v1/classification/claims/",
        {
            "category": "high_end",
            "criterion": criterion.pk,
            "organization_uscc": organization.uscc,
            "statement": "Selected for the programme in 2025.",
            "evidence": [pdf_upload()],
        },
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "submitted"
    assert body["evidence"][0]["url"].startswith(f"/api/v1/classification/claims/{body['id']}/evidence/")
    assert api_client.get(body["evidence"][0]["url"]).status_code == 200

    api_client.force_authenticate(officer)
    response = api_client.post(f"/api/v1/classification/claims/{body['id']}/recognise/", {}, format="json")
    assert response.status_code == 409
    api_client.force_authenticate(hr)
    response = api_client.post(f"/api/v1/classification/claims/{body['id']}/certify/", {}, format="json")
    assert response.json()["status"] == "certified"
    api_client.force_authenticate(officer)
    response = api_client.post(f"/api/v1/classification/claims/{body['id']}/refuse/", {}, format="json")
    assert response.status_code == 400
    response = api_client.post(
        f"/api/v1/classification/claims/{body['id']}/refuse/",
        {"reason": "Not a listed programme."},
        format="json",
    )
    assert response.json()["status"] == "refused"
    api_client.force_authenticate(applicant)
    assert api_client.get(f"/api/v1/classification/claims/{body['id']}/").json()["decision_reason"] == (
        "Not a listed programme."
    )


def test_creating_a_claim_through_the_api_needs_sign_in(api_client):
    assert api_client.get("/api/v1/classification/claims/").status_code == 401


# --- Lists make the same number of queries whatever their length ---------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


def _make_claims(count, **kwargs):
    for _ in range(count):
        RecognitionClaimFactory(with_evidence=True, **kwargs)


@pytest.mark.parametrize("who", ["applicant", "hr", "officer"])
def test_claim_lists_have_a_fixed_number_of_queries(client, organization, hr, officer, who):
    applicant = UserFactory()
    person, url, kwargs = {
        "applicant": (applicant, "/en/classification/claims/", {"applicant": applicant}),
        "hr": (hr, "/en/classification/employer/claims/", {"organization": organization}),
        "officer": (officer, "/en/classification/officer/claims/", {"certified": True}),
    }[who]
    client.force_login(person)
    _make_claims(1, **kwargs)
    _queries(client, url)  # warm the session
    few = _queries(client, url)
    _make_claims(6, **kwargs)
    many = _queries(client, url)
    assert len(client.get(url).context["claims"]) == 7
    assert few == many


def test_the_claims_api_list_has_a_fixed_number_of_queries(api_client, officer):
    api_client.force_authenticate(officer)
    url = "/api/v1/classification/claims/"
    _make_claims(1)
    _queries(api_client, url)  # the officer's duties are read once, then cached on the user
    few = _queries(api_client, url)
    _make_claims(6)
    many = _queries(api_client, url)
    assert len(api_client.get(url).json()) == 7
    assert few == many
    assert ClaimEvidence.objects.count() == 7


def test_the_catalogue_page_has_a_fixed_number_of_queries(client):
    few = _queries(client, "/en/classification/catalogue/")
    for _ in range(5):
        ShortagePostFactory()
        CriterionFactory()
    many = _queries(client, "/en/classification/catalogue/")
    assert few == many
