"""The fund's figures for reports (``partnerships.reporting``): money in (contributions received), money out
(payments on awards, participation payments and barrier payments from the flexible money), and awards made and
paid, all in pence. Sums of money, never a proposal, a name or a description.

Scope "organisation" narrows money in to that organisation's contributions, and awards and their payments to
the awards it holds (participation payments are then not its to report). Four queries whatever the number of
rows."""

from __future__ import annotations

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from coproduce.fund.models import Award, AwardPayment, Contribution, Spending
from coproduce.partnerships.report_period import period_moments, scope_id
from coproduce.partnerships.reporting import ReportQuery, ReportRow, ReportSection, ReportTable

KEY = "fund"


def _money(value: int | None, key: str, label: object, *, basis: int | None = None) -> ReportRow:
    return ReportRow(key, label, int(value or 0), counts_people=False, basis=basis)


def tables(query: ReportQuery) -> list[ReportTable]:
    since, until = period_moments(query)
    pid = query.partnership_id
    by_organisation = query.scope == "organisation"

    contributions = Contribution.objects.filter(partnership_id=pid, received_at__gte=since, received_at__lt=until)
    awards = Award.objects.filter(partnership_id=pid)
    if by_organisation:
        contributions = contributions.filter(organisation_id=scope_id(query.organisation_id))
        awards = awards.filter(organisation_id=scope_id(query.organisation_id))
    received = contributions.aggregate(
        money=Sum("value_pence", filter=Q(kind=Contribution.Kind.MONEY)),
        in_kind=Sum("value_pence", filter=Q(kind=Contribution.Kind.IN_KIND)),
    )
    awarded = awards.filter(awarded_at__gte=since, awarded_at__lt=until).aggregate(
        pence=Sum("amount_pence"), n=Count("id")
    )
    paid = AwardPayment.objects.filter(award__in=awards, paid_at__gte=since, paid_at__lt=until).aggregate(
        pence=Sum("amount_pence")
    )
    money_in = int(received["money"] or 0) + int(received["in_kind"] or 0)
    out_rows = [_money(paid["pence"], "award_payments", _("Paid on awards"))]
    money_out = int(paid["pence"] or 0)
    if not by_organisation:
        participation, barrier = Q(category=Spending.Category.PARTICIPATION), Q(category=Spending.Category.BARRIER)
        spent = Spending.objects.filter(partnership_id=pid, paid_at__gte=since, paid_at__lt=until).aggregate(
            pence=Sum("amount_pence", filter=participation),
            n=Count("id", filter=participation),
            barrier_pence=Sum("amount_pence", filter=barrier),
            barrier_n=Count("id", filter=barrier),
        )
        # Paid to parents one by one: each shown only when made of at least five payments.
        out_rows.append(
            _money(
                spent["pence"], "participation", _("Participation payments (paid time and expenses)"), basis=spent["n"]
            )
        )
        if spent["barrier_n"]:
            out_rows.append(
                _money(
                    spent["barrier_pence"],
                    "barrier",
                    _("Barrier payments from the flexible money"),
                    basis=spent["barrier_n"],
                )
            )
        money_out += int(spent["pence"] or 0) + int(spent["barrier_pence"] or 0)
    return [
        ReportTable(
            key=f"{KEY}.in",
            title=_("Money in"),
            unit="pence",
            rows=(
                _money(received["money"], "money", _("Money contributed")),
                _money(received["in_kind"], "in_kind", _("Contributions in kind (their stated value)")),
            ),
            total=_money(money_in, "total", _("Total in")),
            exclusive=True,
            note=_("Contributions count by the day they were received; pledges not yet received do not count."),
        ),
        ReportTable(
            key=f"{KEY}.out",
            title=_("Money out"),
            unit="pence",
            rows=tuple(out_rows),
            total=_money(money_out, "total", _("Total out")),
            exclusive=True,
            note=_("Payments count by the day they were paid."),
        ),
        ReportTable(
            key=f"{KEY}.awards",
            title=_("Awards"),
            unit="pence",
            rows=(
                _money(awarded["pence"], "awarded", _("Awarded")),
                _money(paid["pence"], "paid", _("Paid on awards")),
            ),
            note=_("Awarded: by the day the award was made. Paid: by the day each payment was made, on any award."),
        ),
        ReportTable(
            key=f"{KEY}.awards_made",
            title=_("Awards made"),
            unit="count",
            rows=(ReportRow("awards", _("Awards made"), awarded["n"], counts_people=False),),
        ),
    ]


SECTION = ReportSection(
    key=KEY,
    part="fund",
    title=_("The fund"),
    order=10,
    tables=tables,
    scopes=("partnership", "organisation"),
)
