"""The parts of a person's export held by ``access`` and the rooms below it.

Person and employment facts (organisation), HR's access requests about them and the
reads under them (access), their notifications (notify) and the audit events about
every record exported (audit). Each part takes a fixed number of queries.
"""

from collections import defaultdict

from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koers.access.models import AccessRead, AccessRequest, ApiToken, Pseudonymisation
from koers.access.personal_data import (
    ExportContext,
    Part,
    Record,
    fields_of,
    item,
    person_name,
    register_exporter,
)
from koers.access.services import shown_status
from koers.audit import actions
from koers.audit.models import AuditEvent
from koers.audit.services import chain_for
from koers.core import clock
from koers.notify.kinds import render
from koers.notify.models import Notification, OutgoingEmail
from koers.organisation import evaluators
from koers.organisation.models import (
    Absence,
    EffectiveWork,
    EvaluatorLinePeriod,
    EvaluatorOverride,
    Person,
    RoleGrant,
    WorkingTimeChange,
)
from koers.rulebook.terms import Terms, terms_for

PERSON_FIELDS = (
    "first_name", "last_name", "email", "employee_number", "language", "organisation", "unit",
    "job_title", "grade", "rank", "start_date", "end_date", "working_time_fraction",
    "employment_status", "salary_system", "salary_system_overridden", "probation_end_date",
    "other_evaluation", "other_evaluation_reason", "other_evaluation_from",
)
# Audit events listed at most, newest first (a long career has many).
AUDIT_LIMIT = 2000


# The evaluator line periods are derived from the tree and the overrides: the part
# gives the line of today and every override.
@register_exporter("person", order=10, covers=(
    Person, EffectiveWork, Absence, WorkingTimeChange, EvaluatorOverride, EvaluatorLinePeriod,
    RoleGrant))
def person_part(context: ExportContext) -> Part:
    """The person, their login, hours worked, absences, changes of working time,
    evaluators and roles: 7 queries."""
    person = Person.objects.select_related("organisation", "unit", "user").get(
        pk=context.person.pk)
    fields = fields_of(person, PERSON_FIELDS)
    line = evaluators.evaluator_line(person, on=clock.today())
    terms = terms_for(person.organisation.policy_preset)  # the regime names the roles
    fields += [
        item("first_evaluator", terms.first_evaluator, person_name(line.first)),
        item("second_evaluator", terms.second_evaluator, person_name(line.second)),
    ]
    if person.user is not None:
        fields += [
            item("login", gettext_lazy("Login"), person.user.email),
            item("login_language", gettext_lazy("Language of the interface"),
                 person.user.language, person.user.get_language_display()),
            item("login_created", gettext_lazy("Login created"), person.user.date_joined),
            item("last_login", gettext_lazy("Last signed in"), person.user.last_login),
        ]
    work = [Record(str(w.year), fields_of(w, ("year", "hours_worked", "source", "note")))
            for w in EffectiveWork.objects.filter(person=person).order_by("year")]
    absences = [Record(a.get_kind_display(), fields_of(a, ("kind", "start_date", "end_date")))
                for a in Absence.objects.filter(person=person).order_by("start_date")]
    regimes = [Record(str(c.changed_on), fields_of(c, ("changed_on", "fraction_before",
                                                       "fraction_after")))
               for c in WorkingTimeChange.objects.filter(person=person)]
    overrides = [
        Record(o.reason, fields_of(o, ("first_evaluator", "second_evaluator", "valid_from",
                                       "valid_until", "reason")))
        for o in EvaluatorOverride.objects.filter(person=person).select_related(
            "first_evaluator", "second_evaluator").order_by("valid_from")
    ]
    roles = [Record(g.get_role_display(), fields_of(g, ("role", "unit", "valid_from",
                                                        "valid_until")))
             for g in RoleGrant.objects.filter(person=person).select_related("unit")
             .order_by("valid_from")]
    record = Record(person.full_name, fields, parts=[
        Part("hours_worked", _("Hours effectively worked"), work),
        Part("absences", _("Absences"), absences),
        Part("working_time_changes",
             capfirst(str(WorkingTimeChange._meta.verbose_name_plural)), regimes),
        Part("evaluator_overrides", _("Evaluators set by hand"), overrides),
        Part("roles", _("Roles"), roles),
    ])
    return Part("person", _("You and your employment"), [record],
                note=_("Your employment facts as HR recorded them, and your login."),
                chains=[chain_for(Person, person.pk)])


@register_exporter("access", order=80, covers=(AccessRequest, AccessRead, Pseudonymisation))
def access_part(context: ExportContext) -> Part:
    """HR's requests to read your content and every read under them, and the
    director's reads: 2 queries."""
    today = clock.today()
    # Every read about the person in one query, grouped by request here: the
    # director's reads have none.
    reads_by_request: dict[int | None, list[AccessRead]] = defaultdict(list)
    for read in AccessRead.objects.filter(subject=context.person).select_related(
            "reader").order_by("read_at"):
        reads_by_request[read.request_id].append(read)
    requests = list(
        AccessRequest.objects.filter(subject=context.person)
        .select_related("requester", "decided_by")
        .order_by("created_at")
    )
    records = []
    for request in requests:
        fields = fields_of(request, ("requester", "scope", "reason", "valid_from",
                                     "valid_until", "decided_by", "decided_at", "created_at"))
        status = shown_status(request, on=today)
        fields.append(item("status", gettext_lazy("status"), status.value, str(status.label)))
        read_records = [Record(read.record_label, fields_of(read, ("reader", "record_label",
                                                                   "read_at")))
                        for read in reads_by_request[request.pk]]
        records.append(Record(
            _("%(who)s asked to read your %(scope)s") % {
                "who": request.requester.full_name, "scope": request.get_scope_display()},
            fields, parts=[Part("reads", _("Reads under this request"), read_records)]))
    director_reads = [
        Record(read.record_label, fields_of(read, ("reader", "basis", "record_label", "read_at")))
        for read in reads_by_request[None]]
    if director_reads:
        records.append(Record(_("Reads by the director of the department"), [],
                              parts=[Part("reads", _("Reads by the director"), director_reads)]))
    return Part("access", _("HR's access to your content"), records,
                note=_("Every request of HR to read your goals, conversations or "
                       "evaluations, the decision, and every read under it."),
                chains=[chain_for(AccessRequest, request.pk) for request in requests])


@register_exporter("api_tokens", order=85, covers=(ApiToken,))
def api_tokens_part(context: ExportContext) -> Part:
    """Your personal API tokens (never their secrets, which Koers does not keep) and their
    last use: 1 query."""
    user_id = context.person.user_id
    tokens = list(ApiToken.objects.filter(user_id=user_id).order_by("created_at", "pk")
                  if user_id is not None else [])
    records = [Record(token.name, fields_of(token, (
        "name", "prefix", "scope", "created_at", "expires_on", "revoked_at", "last_used_at",
        "last_used_ip"))) for token in tokens]
    return Part("api_tokens", _("API tokens"), records, as_table=True,
                note=_("The tokens you made for scripts, and when and from where each "
                       "was last used."),
                chains=[chain_for(ApiToken, token.pk) for token in tokens])


@register_exporter("notifications", order=90, covers=(Notification,))
def notifications_part(context: ExportContext) -> Part:
    """Your notifications, in your current language: 1 query."""
    user_id = context.person.user_id
    records = []
    if user_id is not None:
        for notification in Notification.objects.filter(recipient_id=user_id).order_by(
                "created_at", "pk"):
            text = render(notification.kind, notification.params)
            records.append(Record(text.subject, [
                item("kind", gettext_lazy("kind"), notification.kind, text.subject),
                item("text", gettext_lazy("text"), text.body),
                *fields_of(notification, ("created_at", "read_at", "resolved_at", "email_sent_at")),
            ]))
    return Part("notifications", _("Notifications"), records, as_table=True,
                note=_("What Koers told you in the app and by e-mail."))


@register_exporter("emails", order=95, covers=(OutgoingEmail,))
def emails_part(context: ExportContext) -> Part:
    """The e-mails Koers wrote to your login and still keeps: 1 query."""
    user_id = context.person.user_id
    records = []
    if user_id is not None:
        for email in OutgoingEmail.objects.filter(recipient_id=user_id).order_by(
                "created_at", "pk"):
            records.append(Record(email.subject, [
                *fields_of(email, ("kind", "subject", "to", "created_at", "sent_at")),
            ]))
    return Part("emails", _("E-mails"), records, as_table=True,
                note=_("The e-mails Koers wrote to you; they are deleted two weeks after "
                       "they were sent."))


def _event_label(action: str, terms: Terms) -> str:
    """What an event is called; a signature of an evaluation names the signer in the
    words of the person's regime ("Signed by the manager" in a Dutch municipality)."""
    signed = {"evaluation.sign_first": terms.signed_by_first,
              "evaluation.sign_second": terms.signed_by_second}.get(action)
    return capfirst(str(signed)) if signed is not None else actions.label(action)


@register_exporter("audit", order=100, covers=(AuditEvent,))
def audit_part(context: ExportContext) -> Part:
    """The recorded events about every record exported above: 1 query (per 500 records)."""
    chains = sorted(set(context.chains))
    events: list[AuditEvent] = []
    for start in range(0, len(chains), 500):
        events += AuditEvent.objects.filter(chain__in=chains[start:start + 500]).only(
            "chain", "seq", "actor_kind", "actor_label", "action", "changes",
            "created_at", "actor_redacted_in", "changes_redacted_in")
    events.sort(key=lambda e: (e.created_at, e.chain, e.seq), reverse=True)
    terms = terms_for(context.person.organisation.policy_preset)
    records = []
    for event in events[:AUDIT_LIMIT]:
        if event.actor_redacted_in:
            actor = _("erased")
        elif event.actor_kind == "system":
            actor = _("the system")
        else:
            actor = event.actor_label
        what = _event_label(event.action, terms)
        records.append(Record(what, [
            item("at", gettext_lazy("When"), event.created_at),
            item("action", gettext_lazy("What"), event.action, what),
            item("by", gettext_lazy("Who"), actor),
            item("record", gettext_lazy("Record"), f"{event.chain}#{event.seq}"),
            item("changes", gettext_lazy("Changes"), event.changes,
                 _("erased") if event.changes_redacted_in else None),
        ]))
    note = _("Every recorded change to the records above: who made it, when and what "
             "changed.")
    if len(events) > AUDIT_LIMIT:
        note += " " + _("The %(count)s most recent are listed.") % {"count": AUDIT_LIMIT}
    return Part("audit", _("History of your records"), records, note=note, as_table=True)
