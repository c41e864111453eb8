"""Retention: erase or pseudonymise personal data older than the organisation's period.

The period is the policy setting ``retention_years`` (HR sets it on the Policy page;
``None``, the default of every preset, keeps everything). The cutoff is today in the
organisation's time zone, that many years back. A run

- pseudonymises every person who left before the cutoff: name, e-mail, employee
  number, job title, grade and rank are replaced, their login is emptied and switched
  off; the facts that count people (unit, dates, status) stay, so the figures of old
  cycles still add up. Their content in every room is deleted;
- deletes, for everyone, the records that ended before the cutoff (each room says
  what "ended" means for its records, in its ``retention.py``);
- erases the personal parts of the audit events about those records (who and what),
  and who did it in every event a leaver made (``audit.redact``): the chains stay
  valid, so ``koers verify-audit`` still passes (docs/audit.md).

People go in batches of ``BATCH_SIZE``, one transaction each, with one
"retention.applied" event per batch (counts only). A dry run counts and changes
nothing. Running it again finds nothing new: pseudonymised people are recorded in
``Pseudonymisation``, deleted records are gone, erased parts are skipped.

This module also holds the erasers of the rooms below ``access``: person and
employment facts (organisation), access requests and reads, notifications.
"""

import datetime as dt
from dataclasses import dataclass, field
from itertools import batched

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.db import models, transaction
from django.db.models import Q, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from koers.access.models import AccessRead, AccessRequest, Pseudonymisation
from koers.access.personal_data import (
    Erasure,
    ErasurePlan,
    delete_counted,
    erasers,
    register_eraser,
)
from koers.audit import services as audit
from koers.core import clock
from koers.core.clock import today_for
from koers.core.models import User
from koers.notify.models import Notification, OutgoingEmail
from koers.organisation import evaluators
from koers.organisation.models import (
    Absence,
    EffectiveWork,
    EvaluatorOverride,
    ImportBatch,
    Organisation,
    Person,
)
from koers.rulebook.policy import policy_for

BATCH_SIZE = 500
PSEUDONYM = "Pseudonym"  # the first name of everyone pseudonymised; the last is "#<id>"
PSEUDONYM_DOMAIN = "invalid.invalid"  # RFC 2606: no mail can go there
# Models of allauth that hold a login's e-mail addresses, second factors and the
# profile an identity provider sent: emptied with the login.
LOGIN_DETAILS = ("account.EmailAddress", "mfa.Authenticator", "socialaccount.SocialAccount",
                 "access.ApiToken")


def cutoff_for(years: int, today: dt.date) -> dt.date:
    """``today`` ``years`` years back (28 February for a 29th in a common year)."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


@dataclass
class RetentionReport:
    organisation: Organisation
    years: int | None  # None: no period set, nothing done
    cutoff: dt.date | None = None
    dry_run: bool = False
    people: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    audit_events: int = 0  # personal parts of audit events emptied (who, what)

    def line(self) -> str:
        """One line for the command and the task's result."""
        if self.years is None:
            return f"{self.organisation.name}: no retention period set, nothing erased"
        done = "would erase" if self.dry_run else "erased"
        counts = ", ".join(f"{key}: {count}" for key, count in sorted(self.counts.items()))
        return (f"{self.organisation.name}: cutoff {self.cutoff}, {done}: people: "
                f"{self.people}{', ' + counts if counts else ''}, "
                f"audit event parts: {self.audit_events}")


def leavers(organisation: Organisation, cutoff: dt.date) -> models.QuerySet[Person]:
    """People who left before the cutoff and are not pseudonymised yet."""
    return Person.objects.filter(organisation=organisation, end_date__lt=cutoff).exclude(
        pk__in=Pseudonymisation.objects.values("person_id"))


def retention_run(*, organisation: Organisation, dry_run: bool = False,
                  batch_size: int = BATCH_SIZE, today: dt.date | None = None,
                  ) -> RetentionReport:
    """Apply ``organisation``'s retention period (see the module's docstring).

    Checklist: no period, nothing; the cutoff in the organisation's time zone; the
    leavers by id, in batches (one batch without leavers when there are none, for the
    records that ended before the cutoff); per batch, in one transaction: every room's
    eraser from the highest room down, then the audit payloads of their chains, then one
    summary event when anything changed; a dry run counts and writes nothing.
    """
    years = policy_for(organisation).retention_years
    report = RetentionReport(organisation=organisation, years=years, dry_run=dry_run)
    if years is None:
        return report
    report.cutoff = cutoff = cutoff_for(years, today or today_for(organisation))
    ids = list(leavers(organisation, cutoff).order_by("pk").values_list("pk", flat=True))
    for batch in batched(ids, batch_size, strict=False) if ids else [()]:
        plan = ErasurePlan(organisation=organisation, cutoff=cutoff, leaver_ids=list(batch),
                           dry_run=dry_run)
        if dry_run:
            _run_batch(plan, report)
        else:
            with transaction.atomic():
                _run_batch(plan, report)
    return report


def _run_batch(plan: ErasurePlan, report: RetentionReport) -> None:
    counts: dict[str, int] = {}
    chains: list[str] = []
    for eraser in erasers():
        erasure = eraser.erase(plan)
        for key, count in erasure.counts.items():
            counts[key] = counts.get(key, 0) + count
        chains += erasure.chains
    # The leavers' logins: who they were goes from every event they made, in any chain.
    actor_ids = list(User.objects.filter(person__in=plan.leaver_ids).values_list(
        "pk", flat=True)) if plan.leaver_ids else []
    if plan.dry_run:
        emptied = audit.parts_to_redact(chains=chains, actor_ids=actor_ids)
    else:
        emptied = audit.redact(chains=chains, actor_ids=actor_ids, actor=None,
                               target=plan.organisation, organisation_id=plan.organisation.pk)
    report.people += len(plan.leaver_ids)
    report.audit_events += emptied
    for key, count in counts.items():
        report.counts[key] = report.counts.get(key, 0) + count
    if not plan.dry_run and (plan.leaver_ids or emptied or any(counts.values())):
        audit.record(actor=None, action="retention.applied", target=plan.organisation,
                     organisation_id=plan.organisation.pk,
                     changes={"cutoff": plan.cutoff, "people": len(plan.leaver_ids),
                              **counts, "audit_parts": emptied})


def retention_run_all(*, dry_run: bool = False) -> list[RetentionReport]:
    return [retention_run(organisation=organisation, dry_run=dry_run)
            for organisation in Organisation.objects.order_by("name")]


# The erasers of organisation, access and notify --------------------------------------------


@register_eraser("notifications", order=90)
def erase_notifications(plan: ErasurePlan) -> Erasure:
    """Notifications of leavers, and everyone's older than the cutoff."""
    erasure = Erasure()
    cutoff = _start_of(plan.cutoff)
    notifications = Notification.objects.filter(
        Q(recipient__person__in=plan.leaver_ids)
        | Q(recipient__person__organisation=plan.organisation, created_at__lt=cutoff))
    delete_counted(notifications, erasure, "notifications", dry_run=plan.dry_run)
    # The outbox deletes its e-mails within weeks (notify/outbox.py); a leaver's go now.
    emails = OutgoingEmail.objects.filter(
        Q(recipient__person__in=plan.leaver_ids)
        | Q(recipient__person__organisation=plan.organisation, created_at__lt=cutoff))
    delete_counted(emails, erasure, "emails", dry_run=plan.dry_run)
    return erasure


@register_eraser("access", order=80)
def erase_access(plan: ErasurePlan) -> Erasure:
    """Requests about leavers and requests whose period ended before the cutoff, with
    their reads; reads older than the cutoff."""
    erasure = Erasure()
    organisation = plan.organisation
    requests = AccessRequest.objects.filter(
        Q(subject__in=plan.leaver_ids)
        | Q(subject__organisation=organisation, valid_until__lt=plan.cutoff))
    # Reads older than the cutoff under requests that stay; the others go with them.
    delete_counted(
        AccessRead.objects.filter(subject__organisation=organisation,
                                  read_at__lt=_start_of(plan.cutoff))
        .exclude(request__in=requests),
        erasure, "access_reads", dry_run=plan.dry_run)
    # Their reads go with the requests (CASCADE): counted first.
    erasure.add("access_reads", AccessRead.objects.filter(request__in=requests).count())
    delete_counted(requests, erasure, "access_requests", dry_run=plan.dry_run,
                   chains=lambda pks: [audit.chain_for(AccessRequest, pk) for pk in pks])
    return erasure


@register_eraser("person", order=10)
def erase_person(plan: ErasurePlan) -> Erasure:
    """Hours, absences and evaluator overrides of leavers and older than the cutoff; then
    the leavers themselves pseudonymised, with their logins; old import files."""
    erasure = Erasure()
    organisation, leaver_ids, cutoff, dry = (
        plan.organisation, plan.leaver_ids, plan.cutoff, plan.dry_run)
    mine = Q(person__in=leaver_ids)
    delete_counted(EffectiveWork.objects.filter(
        mine | Q(person__organisation=organisation, year__lt=cutoff.year)),
        erasure, "hours_worked", dry_run=dry)
    delete_counted(Absence.objects.filter(
        mine | Q(person__organisation=organisation, end_date__lt=cutoff)),
        erasure, "absences", dry_run=dry)
    overrides = EvaluatorOverride.objects.filter(
        mine | Q(person__organisation=organisation, valid_until__lt=cutoff))
    concerned = set(overrides.values_list("person_id", flat=True)) if not dry else set()
    delete_counted(overrides, erasure, "evaluator_overrides", dry_run=dry)
    # An erased override no longer breaks its person's line into periods.
    evaluators.refresh_lines(concerned)
    delete_counted(ImportBatch.objects.filter(organisation=organisation,
                                              created_at__lt=_start_of(cutoff)),
                   erasure, "import_files", dry_run=dry)
    erasure.chains += [audit.chain_for(Person, pk) for pk in leaver_ids]
    if leaver_ids and not dry:
        _pseudonymise(leaver_ids)
    return erasure


def _pseudonymise(person_ids: list[int]) -> None:
    """Replace what identifies the people and their logins: three statements per model."""
    number = Cast("id", output_field=models.CharField())
    Person.objects.filter(pk__in=person_ids).update(
        first_name=PSEUDONYM, last_name=Concat(Value("#"), number),
        email=Concat(Value("person-"), number, Value(f"@{PSEUDONYM_DOMAIN}")),
        employee_number=Concat(Value("pseudonym-"), number),
        job_title="", grade="", rank="", other_evaluation_reason="", updated_at=timezone.now(),
    )
    users = User.objects.filter(person__in=person_ids)
    user_ids = list(users.values_list("pk", flat=True))
    address = Concat(Value("user-"), number, Value(f"@{PSEUDONYM_DOMAIN}"))
    User.objects.filter(pk__in=user_ids).update(
        email=address, username=address, first_name="", last_name="",
        password=make_password(None), is_active=False, is_staff=False, is_superuser=False,
    )
    for label in LOGIN_DETAILS:
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        model._default_manager.filter(user__in=user_ids).delete()
    now = clock.now()
    Pseudonymisation.objects.bulk_create(
        [Pseudonymisation(person_id=pk, at=now) for pk in person_ids], ignore_conflicts=True)


def _start_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC)
