"""The message kinds of the improvement room, registered with ``koers.notify``.

Parameters name people and dates only, never the content of a plan: the link opens the
page, which checks the reader's access.
"""

import datetime as dt
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy, ngettext

from koers.notify.kinds import MessageKind, Params, register

SIGNATURE_AWAITED = "improvement.signature_awaited"
DUE_SOON = "improvement.due_soon"
DUE_TODAY = "improvement.due_today"
OVERDUE = "improvement.overdue"
ESCALATED = "improvement.escalated"

# The steps a reminder names, by the code its parameters hold (translated when shown).
FOLLOW_UP = "follow_up"
DECISION = "decision"
STEPS = {FOLLOW_UP: gettext_lazy("the follow-up conversation"),
         DECISION: gettext_lazy("the decision met or not met")}


def _present(params: Params) -> dict[str, Any]:
    values = dict(params)
    if "due" in params:
        values["due"] = date_format(dt.date.fromisoformat(params["due"]), "j F Y")
    days = int(params.get("days", 0))
    values["when"] = ngettext("in %(days)s day", "in %(days)s days", days) % {"days": days}
    step = params.get("step")
    if step is not None:
        values["step"] = str(STEPS.get(step, step))
    values["late"] = ngettext("%(days)s day", "%(days)s days", days) % {"days": days}
    return values


for kind in (
    MessageKind(
        SIGNATURE_AWAITED,
        gettext_lazy("The improvement plan of %(employee)s awaits you"),
        gettext_lazy("%(signer)s asks you to read the improvement plan of %(employee)s, "
                     "and to sign it or agree it: it holds once both of you did."),
        _present,
        own_subject=gettext_lazy("Your improvement plan awaits you"),
        own_body=gettext_lazy("%(signer)s asks you to read your improvement plan, and to "
                              "sign it or agree it: it holds once both of you did."),
    ),
    MessageKind(
        DUE_SOON,
        gettext_lazy("Improvement plan of %(employee)s: %(step)s due %(when)s"),
        gettext_lazy("The improvement plan of %(employee)s: %(step)s by %(due)s."),
        _present,
    ),
    MessageKind(
        DUE_TODAY,
        gettext_lazy("Improvement plan of %(employee)s: %(step)s due today"),
        gettext_lazy("The improvement plan of %(employee)s: %(step)s by today, %(due)s."),
        _present,
    ),
    MessageKind(
        OVERDUE,
        gettext_lazy("Overdue: improvement plan of %(employee)s, %(step)s"),
        gettext_lazy("The improvement plan of %(employee)s: %(step)s was due by %(due)s."),
        _present,
    ),
    MessageKind(
        ESCALATED,
        gettext_lazy("Escalated: improvement plan of %(employee)s, %(step)s"),
        gettext_lazy("The improvement plan of %(employee)s: %(step)s was due by %(due)s and "
                     "is %(late)s late. Please see that it happens."),
        _present,
    ),
):
    register(kind)
