"""Signing in: the password, the second factor for officers and administrators, and what the
page does before the session ends (keep-alive, form drafts). Sign-out stays with the account
pages in ``views.py``."""

import base64
import time

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from talent_portal.core.audit import audit_record
from talent_portal.core.errors import DomainError
from talent_portal.core.views import apply_domain_error

from . import actions
from . import middleware as session_policy
from .forms import SignInForm, TwoFactorForm
from .models import User
from .views import safe_next


def sign_in(request):
    if request.user.is_authenticated:
        return redirect("dashboards:home")
    form = SignInForm(request, request.POST or None, initial={"email": request.GET.get("email", "")})
    unverified_email = None
    if request.method == "POST" and form.is_valid():
        user = form.user
        if not user.email_verified:
            unverified_email = user.email
            form.add_error(None, _("Please confirm your e-mail address first: open the link we sent you."))
        elif actions.requires_two_factor(user):
            # The password was right; the person is not signed in until the second factor is.
            request.session[PENDING_SIGN_IN] = {
                "user": user.pk,
                "at": int(time.time()),
                "next": safe_next(request, ""),
            }
            return redirect("accounts:two_factor")
        else:
            return _complete_sign_in(request, user, next_url=safe_next(request, ""))
    return render(
        request,
        "accounts/login.html",
        {"form": form, "next": request.GET.get("next", ""), "unverified_email": unverified_email},
    )


# Session key of a sign-in whose password was right and whose second factor is still due.
PENDING_SIGN_IN = "portal_pending_sign_in"
PENDING_SECONDS = 10 * 60


def _pending_user(request) -> tuple[User | None, str]:
    pending = request.session.get(PENDING_SIGN_IN) or {}
    if not pending or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None, ""
    user = User.objects.filter(pk=pending.get("user"), is_active=True).first()
    return user, pending.get("next", "")


def _complete_sign_in(request, user, *, next_url: str, device=None, response=None):
    """Sign the person in (a new session key), start the session clock, record it, go on."""
    if device is not None:
        user.otp_device = device  # django-otp stores it in the session at login.
    request.session.pop(PENDING_SIGN_IN, None)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    session_policy.start(request)
    audit_record(
        actor=user,
        action="signed_in",
        target=user,
        request=request,
        data={"second_factor": device.__class__.__name__} if device is not None else {},
    )
    if response is None:
        # The stored language decides where the person lands.
        if next_url:
            target = translate_url(next_url, user.preferred_language)
        else:
            with translation.override(user.preferred_language):
                target = reverse("dashboards:home")
        response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        user.preferred_language,
        samesite="Lax",
        secure=settings.LANGUAGE_COOKIE_SECURE,
    )
    return response


def two_factor(request):
    """Second step of an officer's or administrator's sign-in: a code from the app or a backup code."""
    user, next_url = _pending_user(request)
    if user is None:
        messages.info(request, _("Please sign in again."))
        return redirect("accounts:login")
    if actions.confirmed_totp(user) is None:
        if actions.enrolment_open(user):
            return redirect("accounts:two_factor_enrol")
        audit_record(actor=user, action="two_factor_missing", target=user, request=request)
        request.session.pop(PENDING_SIGN_IN, None)
        return render(request, "accounts/two_factor_required.html", status=403)
    form = TwoFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = actions.two_factor_verify(user=user, code=form.cleaned_data["code"])
        if device is not None:
            return _complete_sign_in(request, user, next_url=next_url, device=device)
        audit_record(actor=user, action="two_factor_failed", target=user, request=request)
        form.add_error(
            "code",
            _("This code is not correct. Check the time on your phone, or use one of your backup codes."),
        )
    return render(request, "accounts/two_factor.html", {"form": form})


def two_factor_enrol(request):
    """A new officer (or one whose second factor was reset) adds an authenticator app."""
    user, next_url = _pending_user(request)
    if user is None:
        messages.info(request, _("Please sign in again."))
        return redirect("accounts:login")
    try:
        device = actions.two_factor_enrolment_start(user=user)
    except DomainError:
        request.session.pop(PENDING_SIGN_IN, None)
        return render(request, "accounts/two_factor_required.html", status=403)
    form = TwoFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = actions.two_factor_enrolment_confirm(
                user=user, code=form.cleaned_data["code"], request=request
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            with translation.override(user.preferred_language):
                page = render(request, "accounts/two_factor_backup_codes.html", {"codes": codes})
            return _complete_sign_in(request, user, next_url=next_url, device=device, response=page)
    return render(
        request,
        "accounts/two_factor_enrol.html",
        {
            "form": form,
            "qr_svg": segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#000", light="#fff"),
            "secret": base64.b32encode(device.bin_key).decode(),
        },
    )


@login_required
def two_factor_backup_codes(request):
    """New backup codes (the old ones stop working); proven with a current authenticator code."""
    if not actions.requires_two_factor(request.user):
        raise Http404
    form = TwoFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = actions.two_factor_new_backup_codes(
                user=request.user, code=form.cleaned_data["code"], request=request
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            return render(request, "accounts/two_factor_backup_codes.html", {"codes": codes})
    return render(
        request,
        "accounts/two_factor_renew.html",
        {"form": form, "left": actions.backup_codes_left(request.user)},
    )


# --- Session keep-alive and drafts (static/js/session.js) ---------------------------------------


@login_required
def session_keepalive(request):
    """ "Stay signed in": a request that counts as activity, answered with the new end time."""
    return JsonResponse({"expires_at": session_policy.expires_at(request)})


@login_required
@require_POST
def form_draft(request):
    """Save what the page's form holds, just before the session ends (a background request)."""
    fields = {name: request.POST.getlist(name) for name in request.POST if name != "_draft_path"}
    try:
        actions.form_draft_save(user=request.user, path=request.POST.get("_draft_path", ""), fields=fields)
    except DomainError as error:
        return JsonResponse({"code": error.code, "detail": error.message}, status=400)
    return JsonResponse({"saved": True})


@login_required
def form_draft_restore(request):
    """The saved draft of a page, handed back once (the page fills its form with it)."""
    fields = actions.form_draft_take(user=request.user, path=request.GET.get("path", ""))
    return JsonResponse({"fields": fields})
