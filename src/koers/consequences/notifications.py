"""Appeals, salary decisions and objections as notifications (``koers.notify``).

Who is told: an appeal filed → the members of the appeal board, and the employee (the
receipt acknowledged, [b6]); its outcome → the employee; a salary decision → the
employee; an objection filed → the advisory body; its advice → the management body;
the final decision → the employee. Parameters name a person only (never the verdict,
the step or the grounds): the link opens the page, which checks access. Created inside
the service's transaction (the table is the outbox).
"""

import datetime as dt
from collections.abc import Iterable

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy

from koers.notify.kinds import MessageKind, register
from koers.notify.services import NewNotification, notify_many
from koers.organisation.models import Organisation, Person, RoleGrant
from koers.organisation.models import Role as GrantRole

APPEAL_FILED = "consequences.appeal_filed"
APPEAL_RECEIVED = "consequences.appeal_received"
APPEAL_DECIDED = "consequences.appeal_decided"
SALARY_DECIDED = "consequences.salary_decided"
OBJECTION_FILED = "consequences.objection_filed"
OBJECTION_ADVISED = "consequences.objection_advised"
OBJECTION_DECIDED = "consequences.objection_decided"

for kind in (
    MessageKind(APPEAL_FILED, gettext_lazy("A new appeal is before the appeal board"),
                gettext_lazy("%(person)s appealed the verdict of their evaluation. The file "
                             "is open to the members of the appeal board.")),
    MessageKind(APPEAL_RECEIVED, gettext_lazy("Your appeal is received"),
                gettext_lazy("Your appeal against the verdict of your evaluation is received "
                             "and its file forwarded to the body that hears it.")),
    MessageKind(APPEAL_DECIDED, gettext_lazy("The outcome of your appeal is recorded"),
                gettext_lazy("The outcome of your appeal against the verdict of your "
                             "evaluation is recorded.")),
    MessageKind(SALARY_DECIDED, gettext_lazy("The salary decision after your evaluation"),
                gettext_lazy("The management body took the salary decision that follows your "
                             "evaluation.")),
    MessageKind(OBJECTION_FILED, gettext_lazy("A new objection is before the advisory body"),
                gettext_lazy("%(person)s objected to a salary decision. The advisory body "
                             "gives its advice.")),
    MessageKind(OBJECTION_ADVISED,
                gettext_lazy("An objection awaits the final decision of the management body"),
                gettext_lazy("The advisory body advised on the objection of %(person)s to a "
                             "salary decision. The management body decides finally.")),
    MessageKind(OBJECTION_DECIDED,
                gettext_lazy("The final decision on your objection is taken"),
                gettext_lazy("The management body took the final decision on your objection "
                             "to the salary decision.")),
):
    register(kind)


def members(organisation: Organisation, role: GrantRole, *, on: dt.date) -> list[Person]:
    """The members of a body of the organisation on a day, with a login (one query)."""
    grants = RoleGrant.objects.filter(
        organisation=organisation, role=role, valid_from__lte=on,
        person__user__isnull=False,
    ).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on)).select_related("person")
    return [grant.person for grant in grants]


def tell(kind: str, *, key: str, recipients: Iterable[Person], person: Person,
         url_name: str, pk: int) -> int:
    """Notify each recipient with a login once (by key): two queries for all of them."""
    url = reverse(url_name, kwargs={"pk": pk})
    seen: set[int] = set()
    batch = []
    for recipient in recipients:
        if recipient.user_id is None or recipient.user_id in seen:
            continue
        seen.add(recipient.user_id)
        batch.append(NewNotification(
            recipient_id=recipient.user_id, key=f"{key}:{kind}:{recipient.user_id}",
            kind=kind, params={"person": person.full_name}, url=url))
    return notify_many(batch)


def tell_decided(decisions: Iterable[tuple[int, Person]]) -> int:
    """Each employee of a batch of salary decisions: ``(decision id, person)``."""
    batch = [
        NewNotification(recipient_id=person.user_id, key=f"salary_decision:{pk}:{SALARY_DECIDED}",
                        kind=SALARY_DECIDED, params={"person": person.full_name},
                        url=reverse("salary_decision_detail", kwargs={"pk": pk}))
        for pk, person in decisions if person.user_id is not None
    ]
    return notify_many(batch)
