"""Pages for signing up and out, one's profile and tokens, and organisation management.

Signing in (password, second factor, session end) is in ``sign_in_views.py``.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from talent_portal.core.audit import audit_record
from talent_portal.core.errors import DomainError
from talent_portal.core.text import sentence_with_user_data
from talent_portal.core.views import apply_domain_error, officer_required

from . import actions, selectors
from .forms import (
    ApiTokenForm,
    CreditStandingForm,
    EmailChangeForm,
    EmployerRegistrationForm,
    InvitationForm,
    OrganizationForm,
    ProfileForm,
    RegistrationForm,
    VerificationDecisionForm,
)
from .models import Duty, Membership, Organization, User

ORGANIZATION_FIELDS = ("kind", "uscc", "name_zh", "name_en", "district", "address", "industry", "zone")


def safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def register(request):
    if request.user.is_authenticated:
        return redirect("dashboards:home")
    form = RegistrationForm(request.POST or None, initial={"preferred_language": translation.get_language()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = actions.user_register(
                actor=request.user,
                email=data["email"],
                password=data["password1"],
                full_name=data["full_name"],
                preferred_language=data["preferred_language"],
                privacy_notice_version=form.privacy_notice_version,
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            return render(request, "accounts/check_inbox.html", {"email": user.email})
    return render(request, "accounts/register.html", {"form": form})


def verify_email(request, token):
    try:
        user = actions.user_verify_email(actor=request.user, token=token)
    except DomainError as error:
        return render(
            request, "accounts/link_problem.html", {"message": error.message}, status=error.status_code
        )
    messages.success(request, _("Your e-mail address is confirmed. You can sign in now."))
    if request.user.is_authenticated and request.user.pk == user.pk:
        return redirect("dashboards:home")
    return redirect(f"{reverse('accounts:login')}?email={user.email}")


@require_POST
def resend_verification(request):
    email = request.POST.get("email", "").strip()
    user = User.objects.filter(email__iexact=email, is_active=True).first()
    if user is not None:
        actions.user_send_verification(actor=request.user, user=user)
    # The same answer whether or not the address has an account.
    messages.info(request, _("If an unconfirmed account uses this address, a new link is on its way."))
    return redirect("accounts:login")


@require_POST
def sign_out(request):
    if request.user.is_authenticated:
        audit_record(actor=request.user, action="signed_out", target=request.user, request=request)
    logout(request)
    messages.info(request, _("You have signed out."))
    return redirect("dashboards:public_home")


@login_required
def profile(request):
    user = request.user
    form = ProfileForm(
        request.POST if "save_profile" in request.POST else None,
        initial={"full_name": user.full_name, "preferred_language": user.preferred_language},
    )
    email_form = EmailChangeForm(request.POST if "change_email" in request.POST else None)
    if request.method == "POST" and "save_profile" in request.POST and form.is_valid():
        actions.user_update_profile(actor=user, **form.cleaned_data)
        messages.success(request, _("Your profile was saved."))
        with translation.override(user.preferred_language):
            return redirect("accounts:profile")
    if request.method == "POST" and "change_email" in request.POST and email_form.is_valid():
        try:
            actions.user_request_email_change(actor=user, new_email=email_form.cleaned_data["new_email"])
        except DomainError as error:
            apply_domain_error(email_form, error)
        else:
            messages.info(
                request,
                _("We sent a confirmation link to the new address. Your address changes when you open it."),
            )
            return redirect("accounts:profile")
    return render(
        request,
        "accounts/profile.html",
        {"form": form, "email_form": email_form, "memberships": selectors.memberships_of(user)},
    )


def confirm_email_change(request, token):
    try:
        actions.user_confirm_email_change(actor=request.user, token=token)
    except DomainError as error:
        return render(
            request, "accounts/link_problem.html", {"message": error.message}, status=error.status_code
        )
    messages.success(request, _("Your e-mail address was changed."))
    return redirect("accounts:profile" if request.user.is_authenticated else "accounts:login")


@login_required
def api_tokens(request):
    form = ApiTokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            token, clear = actions.api_token_create(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            created = {"token": token, "clear": clear}
            form = ApiTokenForm()
    return render(
        request,
        "accounts/api_tokens.html",
        {"form": form, "tokens": selectors.api_tokens_of(request.user), "created": created},
    )


@login_required
@require_POST
def api_token_revoke(request, token_key):
    token = selectors.api_tokens_of(request.user).filter(token_key=token_key).first()
    if token is None:
        raise Http404
    actions.api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("The token was revoked. Systems using it can no longer sign in."))
    return redirect("accounts:api_tokens")


def register_employer(request):
    signed_in = request.user.is_authenticated
    form_class = OrganizationForm if signed_in else EmployerRegistrationForm
    form = form_class(request.POST or None, initial={"preferred_language": translation.get_language()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                user = request.user
                if not signed_in:
                    user = actions.user_register(
                        actor=request.user,
                        email=data["email"],
                        password=data["password1"],
                        full_name=data["full_name"],
                        preferred_language=data["preferred_language"],
                        privacy_notice_version=form.privacy_notice_version,
                    )
                organization = actions.organization_register(
                    actor=user, **{name: data[name] for name in ORGANIZATION_FIELDS}
                )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            if not signed_in:
                return render(
                    request, "accounts/check_inbox.html", {"email": user.email, "organization": organization}
                )
            messages.success(
                request,
                _("The organisation is registered. The commission verifies it before it can sponsor anyone."),
            )
            return redirect("accounts:organization", pk=organization.pk)
    return render(request, "accounts/register_employer.html", {"form": form, "signed_in": signed_in})


@login_required
def organization_detail(request, pk):
    organization = selectors.organizations_of_member(request.user).filter(pk=pk).first()
    if organization is None:
        raise Http404
    is_admin = selectors.is_organization_administrator(request.user, organization)
    form = InvitationForm(request.POST or None, initial={"language": translation.get_language()})
    if request.method == "POST":
        if not is_admin:
            raise Http404
        if form.is_valid():
            try:
                actions.invitation_create(actor=request.user, organization=organization, **form.cleaned_data)
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("The invitation was sent."))
                return redirect("accounts:organization", pk=organization.pk)
    return render(
        request,
        "accounts/organization.html",
        {
            "organization": organization,
            "is_admin": is_admin,
            "members": selectors.organization_members(request.user, organization),
            "invitations": selectors.open_invitations(request.user, organization),
            "form": form,
        },
    )


def _member_of_my_organization(request, pk, membership_id) -> tuple[Organization, Membership]:
    organization = selectors.organizations_of_member(request.user).filter(pk=pk).first()
    if organization is None:
        raise Http404
    membership = get_object_or_404(
        selectors.organization_members(request.user, organization), pk=membership_id
    )
    return organization, membership


@login_required
@require_POST
def member_remove(request, pk, membership_id):
    organization, membership = _member_of_my_organization(request, pk, membership_id)
    try:
        actions.membership_remove(actor=request.user, membership=membership)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            sentence_with_user_data(
                _("%(name)s no longer has access to the organisation."), name=membership.user.full_name
            ),
        )
    return redirect("accounts:organization", pk=organization.pk)


@login_required
@require_POST
def member_make_administrator(request, pk, membership_id):
    organization, membership = _member_of_my_organization(request, pk, membership_id)
    try:
        actions.membership_transfer_administrator(
            actor=request.user, organization=organization, to=membership
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            sentence_with_user_data(
                _("%(name)s is now the administrator of the organisation."), name=membership.user.full_name
            ),
        )
    return redirect("accounts:organization", pk=organization.pk)


def accept_invitation(request, token):
    try:
        invitation = actions.invitation_find(token=token)
    except DomainError as error:
        return render(
            request, "accounts/link_problem.html", {"message": error.message}, status=error.status_code
        )
    form = None
    if not request.user.is_authenticated:
        existing = User.objects.filter(email__iexact=invitation.email).exists()
        if existing:
            return render(
                request, "accounts/accept_invitation.html", {"invitation": invitation, "sign_in_first": True}
            )
        form = RegistrationForm(
            request.POST or None,
            initial={"email": invitation.email, "preferred_language": invitation.language},
        )
        form.fields["email"].disabled = True
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    user = actions.user_register(
                        actor=request.user,
                        email=invitation.email,
                        password=data["password1"],
                        full_name=data["full_name"],
                        preferred_language=data["preferred_language"],
                        privacy_notice_version=form.privacy_notice_version,
                    )
                    actions.invitation_accept(actor=user, token=token)
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(
                    request,
                    sentence_with_user_data(
                        _("Welcome! You are now a member of %(organization)s."),
                        organization=invitation.organization.display_name,
                    ),
                )
                return redirect("accounts:organization", pk=invitation.organization_id)
    elif request.method == "POST":
        try:
            membership = actions.invitation_accept(actor=request.user, token=token)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                sentence_with_user_data(
                    _("You are now a member of %(organization)s."),
                    organization=invitation.organization.display_name,
                ),
            )
            return redirect("accounts:organization", pk=membership.organization_id)
    return render(request, "accounts/accept_invitation.html", {"invitation": invitation, "form": form})


# --- Officers -----------------------------------------------------------------------------------


@officer_required(Duty.WORK_PERMIT_OFFICER, Duty.LEAD_OFFICER)
def organizations_to_verify(request):
    return render(
        request,
        "accounts/officer_organizations.html",
        {"organizations": selectors.organizations_awaiting_verification(request.user)},
    )


@officer_required(Duty.WORK_PERMIT_OFFICER, Duty.LEAD_OFFICER)
def organization_review(request, pk):
    organization = get_object_or_404(selectors.organizations_visible_to(request.user), pk=pk)
    decision_form = VerificationDecisionForm(request.POST if "decide" in request.POST else None)
    credit_form = CreditStandingForm(
        request.POST if "credit" in request.POST else None,
        initial={"standing": organization.credit_standing, "reason": organization.credit_reason},
    )
    if request.method == "POST":
        form = decision_form if "decide" in request.POST else credit_form
        if form.is_valid():
            data = form.cleaned_data
            try:
                if form is decision_form:
                    actions.organization_verify(
                        actor=request.user,
                        organization=organization,
                        approve=data["decision"] == "verify",
                        note=data["note"],
                    )
                else:
                    actions.organization_set_credit_standing(
                        actor=request.user, organization=organization, **data
                    )
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("accounts:organization_review", pk=organization.pk)
    return render(
        request,
        "accounts/officer_organization.html",
        {"organization": organization, "decision_form": decision_form, "credit_form": credit_form},
    )


@require_POST
def set_language(request):
    """The language switcher: keep the current page, store the choice, set the cookie."""
    language = request.POST.get("language", "")
    if language not in dict(settings.LANGUAGES):
        return HttpResponseRedirect(safe_next(request, "/"))
    with translation.override(language):
        target = safe_next(request, reverse("dashboards:public_home"))
    if request.user.is_authenticated:
        actions.user_set_language(actor=request.user, language=language)
    response = HttpResponseRedirect(translate_url(target, language))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=settings.LANGUAGE_COOKIE_SECURE,
    )
    return response
