from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from coproduce.accounts import services
from coproduce.accounts.forms import MobileNumberForm, NumberCodeForm
from coproduce.accounts.limits import TEXTED_CODE_REQUEST, account_of_phone
from coproduce.accounts.services import wait_text
from coproduce.core.clientaddress import client_address_for_limits
from coproduce.core.sms import number_shown


def too_many_attempts(request: HttpRequest, *, wait: str = "", password: bool = False) -> HttpResponse:
    """The 429 page: ``wait`` says how long, as a person reads it; ``password`` offers the other ways in."""
    return render(request, "429.html", {"wait": wait, "password_limit": password}, status=429)


def locked_out(
    request: HttpRequest, credentials: dict[str, Any] | None = None, *args: Any, **kwargs: Any
) -> HttpResponse:
    """django-axes calls this on the 10th failed sign-in for an email from one address."""
    cool_off = settings.AXES_COOLOFF_TIME
    return too_many_attempts(request, wait=wait_text(cool_off), password=True)


@require_GET
@login_required
def mfa_required(request: HttpRequest) -> HttpResponse:
    """Staff are sent here until they have set up an authenticator app."""
    return render(request, "accounts/mfa_required.html")


# The session key holding the number being confirmed, the code's keyed hash, when it was sent and wrong tries.
NUMBER_CODE_SESSION = "coproduce_number_code"


@require_http_methods(["GET", "POST"])
@login_required
def mobile(request: HttpRequest) -> HttpResponse:
    """The person's mobile number (added, changed, removed) and whether they get text messages at all."""
    person: Any = request.user
    form = MobileNumberForm()
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "remove":
            services.phone_remove(person=person)
            request.session.pop(NUMBER_CODE_SESSION, None)
            messages.success(request, _("Your mobile number is removed."))
            return redirect("accounts:mobile")
        if action in ("stop", "start"):
            services.texts_set(person=person, stopped=action == "stop")
            if action == "stop":
                messages.success(request, _("We will send you no more text messages."))
            else:
                messages.success(request, _("We will send you text messages again."))
            return redirect("accounts:mobile")
        form = MobileNumberForm(request.POST)
        if form.is_valid():
            phone = form.cleaned_data["phone"]
            refused = _code_refused(request, phone)
            if refused:
                form.add_error("phone", refused)
            else:
                try:
                    hashed = services.phone_set(person=person, phone=phone)
                except services.NumberTakenError:
                    form.add_error("phone", _("This number is on another account. Enter your own mobile number."))
                else:
                    request.session[NUMBER_CODE_SESSION] = {
                        "phone": phone,
                        "hash": hashed,
                        "sent": timezone.now().isoformat(),
                        "tries": 0,
                    }
                    return redirect("accounts:mobile-confirm")
    context = {"form": form, "number": number_shown(person.phone) if person.phone else ""}
    return render(request, "accounts/mobile.html", context, status=400 if form.errors else 200)


def _code_refused(request: HttpRequest, phone: str) -> str:
    """Why no code may be texted to ``phone`` now (limits.TEXTED_CODE_REQUEST, a code a moment ago), or ""."""
    address = client_address_for_limits(request)
    account = account_of_phone(phone)
    wait = services.waiting(rule=TEXTED_CODE_REQUEST, account=account, address=address)
    if wait is not None:
        return _("Too many codes have been asked for this number. Wait %(wait)s, then try again.") % {
            "wait": services.wait_text(wait)
        }
    if services.sign_in_code_texted_lately(phone=phone):
        return _("We sent a code to this number less than a minute ago. Type that code, or wait a minute.")
    services.sign_in_code_requested(rule=TEXTED_CODE_REQUEST, account=account, address=address)
    return ""


@require_http_methods(["GET", "POST"])
@login_required
def mobile_confirm(request: HttpRequest) -> HttpResponse:
    """Typing the code texted to the new number."""
    person: Any = request.user
    pending = request.session.get(NUMBER_CODE_SESSION)
    if not pending or pending.get("phone") != person.phone:
        return redirect("accounts:mobile")
    form = NumberCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        sent = datetime.fromisoformat(pending["sent"])
        if timezone.now() - sent > services.NUMBER_CODE_TIMEOUT or pending["tries"] >= services.NUMBER_CODE_TRIES:
            request.session.pop(NUMBER_CODE_SESSION, None)
            messages.error(request, _("That code has run out. Enter your number again for a new code."))
            return redirect("accounts:mobile")
        if not constant_time_compare(services.code_hash(pending["phone"], form.cleaned_data["code"]), pending["hash"]):
            pending["tries"] += 1
            request.session[NUMBER_CODE_SESSION] = pending
            form.add_error("code", _("That code is not right. Check the text message and type the code again."))
        else:
            services.phone_confirm(person=person, phone=pending["phone"])
            request.session.pop(NUMBER_CODE_SESSION, None)
            messages.success(request, _("Your mobile number is confirmed."))
            return redirect("accounts:mobile")
    context = {"form": form, "number": number_shown(pending["phone"])}
    return render(request, "accounts/mobile_confirm.html", context, status=400 if form.errors else 200)
