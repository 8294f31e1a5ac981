"""An equal voice: who is being heard."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from coproduce.partnerships.access import acting_membership, partnership_view
from coproduce.voice import selectors
from coproduce.voice.views._common import NAV

# --- An equal voice ---------------------------------------------------------------------------


@partnership_view("voice.view")
def equal_voice(request: HttpRequest) -> HttpResponse:
    report = selectors.equal_voice(acting_membership(request))
    rows = [
        (_("Ideas"), report.ideas),
        (_("Comments"), report.comments),
        (_("Supports"), report.supports),
    ]
    return render(request, "voice/equal_voice.html", {"nav_section": NAV, "report": report, "rows": rows})
