"""The message kinds of the development room, registered with ``koers.notify``.

Parameters name people and dates only, never the content of a plan or preparation:
the link opens the page, which checks the reader's access. To the employee the plan is
"your development plan" (the ``own_`` texts).
"""

import datetime as dt
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy, ngettext

from koers.notify.kinds import MessageKind, Params, register

PREPARATION_SHARED = "development.preparation_shared"
SIGNATURE_AWAITED = "development.signature_awaited"
FOLLOW_UP_DUE_SOON = "development.follow_up_due_soon"
FOLLOW_UP_DUE_TODAY = "development.follow_up_due_today"
FOLLOW_UP_OVERDUE = "development.follow_up_overdue"


def _present(params: Params) -> dict[str, Any]:
    values = dict(params)
    if "due" in params:
        values["due"] = date_format(dt.date.fromisoformat(params["due"]), "j F Y")
    days = int(params.get("days", 0))
    values["when"] = ngettext("in %(days)s day", "in %(days)s days", days) % {"days": days}
    return values


for kind in (
    MessageKind(
        PREPARATION_SHARED,
        gettext_lazy("%(author)s shared a preparation of the development conversation"),
        gettext_lazy("%(author)s shared a preparation of the development conversation "
                     "with you. Read it before you meet."),
        _present,
    ),
    MessageKind(
        SIGNATURE_AWAITED,
        gettext_lazy("The development plan of %(employee)s awaits your signature"),
        gettext_lazy("%(signer)s signed the development plan of %(employee)s. Read it and "
                     "sign it too: the plan holds once both of you signed."),
        _present,
        own_subject=gettext_lazy("Your development plan awaits your signature"),
        own_body=gettext_lazy("%(signer)s signed your development plan. Read it and sign it "
                              "too: the plan holds once both of you signed."),
    ),
    MessageKind(
        FOLLOW_UP_DUE_SOON,
        gettext_lazy("Follow-up of the development plan of %(employee)s: due %(when)s"),
        gettext_lazy("The development plan of %(employee)s is to be followed up in a "
                     "conversation by %(due)s."),
        _present,
        own_subject=gettext_lazy("Follow-up of your development plan: due %(when)s"),
        own_body=gettext_lazy("Your development plan is to be followed up in a conversation "
                              "by %(due)s."),
    ),
    MessageKind(
        FOLLOW_UP_DUE_TODAY,
        gettext_lazy("Follow-up of the development plan of %(employee)s: due today"),
        gettext_lazy("The development plan of %(employee)s is to be followed up in a "
                     "conversation by today, %(due)s."),
        _present,
        own_subject=gettext_lazy("Follow-up of your development plan: due today"),
        own_body=gettext_lazy("Your development plan is to be followed up in a conversation "
                              "by today, %(due)s."),
    ),
    MessageKind(
        FOLLOW_UP_OVERDUE,
        gettext_lazy("Overdue: follow-up of the development plan of %(employee)s"),
        gettext_lazy("The development plan of %(employee)s was to be followed up in a "
                     "conversation by %(due)s. Plan the follow-up conversation."),
        _present,
        own_subject=gettext_lazy("Overdue: follow-up of your development plan"),
        own_body=gettext_lazy("Your development plan was to be followed up in a conversation "
                              "by %(due)s. Plan the follow-up conversation."),
    ),
):
    register(kind)
