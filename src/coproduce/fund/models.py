"""The pooled fund: contributions, rounds, proposals, ballots, results, awards, payments and spending.

Money is integer pence. No balance is stored: ``selectors.ledger_for`` adds the rows up each time, so
the ledger cannot disagree with itself. Invariants that fit in one row are database constraints; those
that span rows (a round's budget within what is available, a ballot within its round's limits) are
checked by the services under a row lock.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coproduce.core.text_language import text_language_field
from coproduce.partnerships.assisted import channel_check, channel_field
from coproduce.partnerships.models import Organisation, Partnership

TITLE_MAX = 140
TEXT_MAX = 5000
REASON_MAX = 1000


class Contribution(models.Model):
    """What a partner organisation puts into the fund: money, or staff time, rooms and the like
    (in kind) with a stated value. Pledged until the money or help is received."""

    class Kind(models.TextChoices):
        MONEY = "money", _("Money")
        IN_KIND = "in_kind", _("In kind (staff time, rooms, other help)")

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="fund_contributions")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="fund_contributions")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    description = models.CharField(_("what it is"), max_length=TITLE_MAX)
    value_pence = models.BigIntegerField(_("value"))
    pledged_at = models.DateTimeField(default=timezone.now)
    received_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-pledged_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(value_pence__gt=0), name="fund_contribution_value_positive"),
            models.CheckConstraint(condition=Q(kind__in=["money", "in_kind"]), name="fund_contribution_kind_valid"),
            models.CheckConstraint(condition=~Q(description=""), name="fund_contribution_has_description"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.description}"


class Round(models.Model):
    """One participatory-budgeting round. Its phase follows from the dates: proposals from
    ``proposals_from``, review from ``review_from``, voting from ``voting_from`` until ``results_from``,
    then results, then delivery from ``delivery_from``."""

    class Kind(models.TextChoices):
        APPROVAL = "approval", _("Approval: tick the projects you back")
        CUMULATIVE = "cumulative", _("Points: share out a number of points")

    class Voters(models.TextChoices):
        MEMBERS = "members", _("Members only")
        MEMBERS_AND_STAFF = "members_and_staff", _("Members and staff, with equal weight")

    class Completion(models.TextChoices):
        ADD1 = "add1", _("Add1 (recommended): spend what equal shares leave over, stopping when nothing more fits")
        ADD1_PAST = "add1-past-exhaustive", _("Add1 continued while the result stays within the budget")
        NONE = "none", _("None: plain equal shares (may leave money unspent)")

    language = text_language_field()
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="fund_rounds")
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    description = models.TextField(_("what the round is for"), blank=True, max_length=TEXT_MAX)
    budget_pence = models.BigIntegerField(_("budget"))
    ballot_kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.APPROVAL)
    min_choices = models.PositiveIntegerField(default=1)
    max_choices = models.PositiveIntegerField(default=5)
    within_budget = models.BooleanField(default=False)  # approval: the chosen projects must fit the budget
    points = models.PositiveIntegerField(default=10)  # cumulative: points to share out
    voters = models.CharField(max_length=20, choices=Voters.choices, default=Voters.MEMBERS)
    completion = models.CharField(max_length=24, choices=Completion.choices, default=Completion.ADD1)
    proposals_from = models.DateTimeField()
    review_from = models.DateTimeField()
    voting_from = models.DateTimeField()
    results_from = models.DateTimeField()
    delivery_from = models.DateTimeField()
    imported_from = models.CharField(max_length=200, blank=True)  # a Pabulib file's name
    awards_made_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-voting_from", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(budget_pence__gt=0), name="fund_round_budget_positive"),
            models.CheckConstraint(
                condition=Q(review_from__gt=F("proposals_from"))
                & Q(voting_from__gt=F("review_from"))
                & Q(results_from__gt=F("voting_from"))
                & Q(delivery_from__gte=F("results_from")),
                name="fund_round_phases_in_order",
            ),
            models.CheckConstraint(condition=Q(min_choices__gte=1), name="fund_round_min_choices_at_least_one"),
            models.CheckConstraint(condition=Q(max_choices__gte=F("min_choices")), name="fund_round_choices_range"),
            models.CheckConstraint(condition=Q(points__gte=1), name="fund_round_points_positive"),
            models.CheckConstraint(
                condition=Q(ballot_kind__in=["approval", "cumulative"]), name="fund_round_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(voters__in=["members", "members_and_staff"]), name="fund_round_voters_valid"
            ),
            models.CheckConstraint(
                condition=Q(completion__in=["none", "add1", "add1-past-exhaustive"]), name="fund_round_completion_valid"
            ),
            models.CheckConstraint(condition=~Q(title=""), name="fund_round_has_title"),
        ]

    def __str__(self) -> str:
        return self.title

    PHASES = ("upcoming", "proposals", "review", "voting", "results", "delivery")

    def phase_at(self, moment: object = None) -> str:
        now = moment or timezone.now()
        phase = "upcoming"
        for name, start in (
            ("proposals", self.proposals_from),
            ("review", self.review_from),
            ("voting", self.voting_from),
            ("results", self.results_from),
            ("delivery", self.delivery_from),
        ):
            if start <= now:  # type: ignore[operator]
                phase = name
        return phase

    @property
    def phase(self) -> str:
        return self.phase_at()

    @property
    def is_closed_for_voting(self) -> bool:
        return timezone.now() >= self.results_from


class Proposal(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Waiting for review")
        ON_BALLOT = "on_ballot", _("On the ballot")
        NOT_FEASIBLE = "not_feasible", _("Not feasible")

    language = text_language_field()
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="proposals")
    proposer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    # The project's id in an imported Pabulib file (kept so that an export gives the same ids back).
    external_id = models.CharField(max_length=100, blank=True)
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    description = models.TextField(_("what it is"), max_length=TEXT_MAX)
    description_html = models.TextField(editable=False, blank=True)
    beneficiaries = models.CharField(_("who benefits"), max_length=500)
    cost_pence = models.BigIntegerField(_("cost"))
    proposed_cost_pence = models.BigIntegerField()  # what the proposer asked for, if review changed it
    has_conflict = models.BooleanField(default=False)
    conflict_details = models.CharField(max_length=REASON_MAX, blank=True)
    delivered_by = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="fund_proposals"
    )
    # The idea it grew out of, if any: the idea gets a public response linking here ("you said, we did").
    idea = models.ForeignKey("voice.Idea", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(cost_pence__gt=0), name="fund_proposal_cost_positive"),
            models.CheckConstraint(condition=Q(proposed_cost_pence__gt=0), name="fund_proposal_asked_positive"),
            models.CheckConstraint(
                condition=Q(status__in=["submitted", "on_ballot", "not_feasible"]), name="fund_proposal_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(has_conflict=False) | ~Q(conflict_details=""), name="fund_proposal_conflict_explained"
            ),
            models.CheckConstraint(condition=~Q(title=""), name="fund_proposal_has_title"),
            models.UniqueConstraint(
                fields=["round", "external_id"], condition=~Q(external_id=""), name="fund_proposal_external_id_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ProposalReview(models.Model):
    """A staff member's public review of a proposal: feasible or not, the cost agreed, and why."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    feasible = models.BooleanField()
    cost_pence = models.BigIntegerField()
    reason = models.TextField(max_length=REASON_MAX)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(cost_pence__gt=0), name="fund_review_cost_positive"),
            models.CheckConstraint(condition=~Q(reason=""), name="fund_review_has_reason"),
        ]

    def __str__(self) -> str:
        return f"review of {self.proposal_id}"


PAPER_REF_MAX = 20


class Ballot(models.Model):
    """One voter's ballot in a round: one per person (imported ballots have no person). A ballot cast by the
    person herself has channel "self"; one a worker or coordinator filled in with her is "assisted", and one
    entered from a paper form is "paper" with the form's number (once per round), each with who recorded it
    and when she confirmed it."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="ballots")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    receipt = models.CharField(max_length=20)
    version = models.PositiveIntegerField(default=1)
    total_points = models.PositiveIntegerField(default=0)
    total_cost_pence = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    channel = channel_field()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    paper_ref = models.CharField(max_length=PAPER_REF_MAX, blank=True, default="", db_default="")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "voter"], name="fund_ballot_one_per_voter"),
            channel_check("fund_ballot_channel_valid"),
            models.UniqueConstraint(
                fields=["round", "paper_ref"], condition=~Q(paper_ref=""), name="fund_ballot_paper_ref_unique"
            ),
            models.UniqueConstraint(fields=["round", "receipt"], name="fund_ballot_receipt_unique"),
            models.CheckConstraint(condition=Q(total_points__gte=1), name="fund_ballot_not_empty"),
            models.CheckConstraint(condition=Q(version__gte=1), name="fund_ballot_version_positive"),
        ]

    def __str__(self) -> str:
        return f"ballot {self.pk} in round {self.round_id}"


class BallotChoice(models.Model):
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="choices")
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="+")
    points = models.PositiveIntegerField(default=1)  # 1 on an approval ballot

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ballot", "proposal"], name="fund_choice_once_per_ballot"),
            models.CheckConstraint(condition=Q(points__gte=1), name="fund_choice_points_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.ballot_id} → {self.proposal_id}"


class ResultSnapshot(models.Model):
    """A round's results, computed in the background from the ballots counted (``ballots_digest``)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Being worked out")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="snapshots")
    completion = models.CharField(max_length=24)
    ballots_digest = models.CharField(max_length=64)
    ballot_count = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    data = models.JSONField(default=dict, blank=True)
    seconds = models.FloatField(null=True, blank=True)
    requested_at = models.DateTimeField(default=timezone.now)
    computed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "completion", "ballots_digest"], name="fund_snapshot_one_per_input"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "ready", "failed"]), name="fund_snapshot_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"results of round {self.round_id} ({self.status})"


class Award(models.Model):
    """Money awarded to a funded proposal, to be paid out and reported on by the award holder."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="fund_awards")
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="awards")
    proposal = models.OneToOneField(Proposal, on_delete=models.PROTECT, related_name="award")
    amount_pence = models.BigIntegerField()
    holder = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="fund_awards"
    )
    awarded_at = models.DateTimeField(default=timezone.now)
    awarded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-awarded_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(amount_pence__gt=0), name="fund_award_amount_positive")]

    def __str__(self) -> str:
        return f"award {self.pk}"


class AwardPayment(models.Model):
    award = models.ForeignKey(Award, on_delete=models.PROTECT, related_name="payments")
    amount_pence = models.BigIntegerField()
    paid_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["paid_at", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount_pence__gt=0), name="fund_payment_amount_positive")]

    def __str__(self) -> str:
        return f"payment {self.pk} on award {self.award_id}"


class SpendUpdate(models.Model):
    """The award holder's report: how much has been spent so far, and on what."""

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="spend_updates")
    spent_to_date_pence = models.BigIntegerField()
    note = models.TextField(max_length=REASON_MAX)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(spent_to_date_pence__gte=0), name="fund_spend_not_negative"),
            models.CheckConstraint(condition=~Q(note=""), name="fund_spend_has_note"),
        ]

    def __str__(self) -> str:
        return f"spend update {self.pk} on award {self.award_id}"


class Spending(models.Model):
    """Money the fund paid out other than through a round's award: participation payments — parents paid
    for their time at co-design sessions and their travel and childcare costs, recorded when a coordinator
    approves a claim (``fund.api.spending_record``) — and barrier payments out of the flexible pot, recorded
    when a payment agreed in a parent's plan is marked paid (``fund.api.barrier_payment_record``). The
    description never names the person;
    ``source_key`` names the thing paid for (a claim), unique so that it is paid once however often it is
    approved."""

    class Category(models.TextChoices):
        PARTICIPATION = "participation", _("Participation: paid time and expenses")
        BARRIER = "barrier", _("Barrier payments for parents")

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="fund_spending")
    category = models.CharField(max_length=20, choices=Category.choices)
    amount_pence = models.BigIntegerField()
    description = models.CharField(max_length=TITLE_MAX)
    reference = models.CharField(max_length=100, blank=True)  # a receipt's or a voucher's reference
    source_key = models.CharField(max_length=100, unique=True)
    # A barrier payment's category in the flexible pot (its slug, e.g. "travel"); blank for other spending.
    subcategory = models.CharField(max_length=40, blank=True, default="", db_default="")
    paid_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-paid_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_pence__gt=0), name="fund_spending_amount_positive"),
            models.CheckConstraint(
                condition=Q(category__in=["participation", "barrier"]), name="fund_spending_category_valid"
            ),
            models.CheckConstraint(condition=~Q(description=""), name="fund_spending_has_description"),
            models.CheckConstraint(condition=~Q(source_key=""), name="fund_spending_has_source"),
        ]
        indexes = [models.Index(fields=["partnership", "category"], name="fund_spending_kind_idx")]

    def __str__(self) -> str:
        return f"spending {self.pk}: {self.description}"


# --- The flexible pot: money set aside for small payments that remove a parent's barriers ------------------

SLUG_MAX = 40
NAME_MAX = 80
EXAMPLES_MAX = 300
SUPPLIER_MAX = 140


class FlexiblePot(models.Model):
    """Part of the pooled fund set aside for one year (the partnership's year, 1 April to 31 March by default)
    for barrier payments agreed in parents' plans, with the delegated limits: a keyworker agrees up to
    ``keyworker_limit_pence``, a coordinator up to ``coordinator_limit_pence``, above that two different
    coordinators; ``yearly_cap_pence`` is the most one parent may receive in the year.

    What the pot has left is worked out from its commitments (``PotCommitment``), never stored."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="fund_flexible_pots")
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    set_aside_pence = models.BigIntegerField(_("money set aside"))
    keyworker_limit_pence = models.BigIntegerField(_("a keyworker may agree up to"), default=15000)
    coordinator_limit_pence = models.BigIntegerField(_("a coordinator may agree up to"), default=50000)
    yearly_cap_pence = models.BigIntegerField(_("most one parent may receive in the year"), default=100000)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "starts_on"], name="fund_pot_one_per_start"),
            models.CheckConstraint(condition=Q(set_aside_pence__gt=0), name="fund_pot_set_aside_positive"),
            models.CheckConstraint(
                condition=Q(keyworker_limit_pence__gt=0) & Q(coordinator_limit_pence__gt=0) & Q(yearly_cap_pence__gt=0),
                name="fund_pot_limits_positive",
            ),
            models.CheckConstraint(
                condition=Q(keyworker_limit_pence__lte=F("coordinator_limit_pence")),
                name="fund_pot_keyworker_within_coordinator",
            ),
            models.CheckConstraint(condition=Q(ends_on__gt=F("starts_on")), name="fund_pot_dates_in_order"),
        ]

    def __str__(self) -> str:
        return f"flexible pot {self.starts_on}–{self.ends_on}"


class BarrierCategory(models.Model):
    """What the pot may pay for, in plain words with examples ("Bus pass for the first month of a new job").
    A category is retired (``active`` false) rather than deleted: payments already made keep their slug."""

    pot = models.ForeignKey(FlexiblePot, on_delete=models.CASCADE, related_name="categories")
    slug = models.SlugField(max_length=SLUG_MAX)
    name = models.CharField(_("name"), max_length=NAME_MAX)
    examples = models.CharField(_("examples"), max_length=EXAMPLES_MAX, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["pot", "slug"], name="fund_barrier_category_slug_unique"),
            models.CheckConstraint(condition=~Q(slug=""), name="fund_barrier_category_has_slug"),
            models.CheckConstraint(condition=~Q(name=""), name="fund_barrier_category_has_name"),
        ]

    def __str__(self) -> str:
        return self.name


class InterestDeclaration(models.Model):
    """A staff member's declared interest in a supplier (a relative's shop, a business they own): they may
    not approve a barrier payment to it. ``supplier_key`` is the name casefolded with spaces collapsed, so
    that "Smith's  Shoes" and "smith's shoes" match."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="fund_interests")
    membership = models.ForeignKey("partnerships.Membership", on_delete=models.CASCADE, related_name="fund_interests")
    supplier = models.CharField(_("supplier"), max_length=SUPPLIER_MAX)
    supplier_key = models.CharField(max_length=SUPPLIER_MAX)
    declared_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-declared_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(supplier=""), name="fund_interest_has_supplier"),
            models.CheckConstraint(condition=~Q(supplier_key=""), name="fund_interest_has_key"),
        ]
        indexes = [models.Index(fields=["membership", "supplier_key"], name="fund_interest_lookup_idx")]

    def __str__(self) -> str:
        return f"interest of {self.membership_id} in {self.supplier}"


class PotCommitment(models.Model):
    """Money of the pot promised to one approved request (``source_key``, e.g. ``support.barrier:42``).
    What the pot has left = set aside − the commitments not released; a commitment is released only when a
    request approved but not yet paid is cancelled."""

    pot = models.ForeignKey(FlexiblePot, on_delete=models.PROTECT, related_name="commitments")
    source_key = models.CharField(max_length=100, unique=True)
    amount_pence = models.BigIntegerField()
    category = models.SlugField(max_length=SLUG_MAX)
    committed_at = models.DateTimeField(default=timezone.now)
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["committed_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_pence__gt=0), name="fund_commitment_amount_positive"),
            models.CheckConstraint(condition=~Q(source_key=""), name="fund_commitment_has_source"),
            models.CheckConstraint(condition=~Q(category=""), name="fund_commitment_has_category"),
        ]

    def __str__(self) -> str:
        return f"{self.source_key}: {self.amount_pence}"
