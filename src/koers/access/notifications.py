"""The message kinds of HR access requests, registered with ``koers.notify``.

Parameters: ``requester`` and ``person`` (names), ``scope`` (a ``Scope`` code), ``from``
and ``until`` (ISO dates), ``approver`` (a name), ``preset`` (the regime of the person's
organisation, whose words name the approver's role; older notifications without it read
the default words). Never the reason: it stays behind the
link, which checks the reader's access (the requests page, "Who looked at my data").
"""

import datetime as dt
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy

from koers.access.models import Scope
from koers.notify.kinds import MessageKind, Params, register
from koers.rulebook.terms import terms_for

REQUESTED = "access.requested"  # to the approver
GRANTED = "access.granted"  # to HR who asked
REFUSED = "access.refused"  # to HR who asked
GRANTED_TO_EMPLOYEE = "access.granted_to_employee"  # to the person it is about


def _present(params: Params) -> dict[str, Any]:
    return {
        **params,
        "scope": Scope(params["scope"]).label,
        "from": date_format(dt.date.fromisoformat(params["from"]), "j F Y"),
        "until": date_format(dt.date.fromisoformat(params["until"]), "j F Y"),
        "second": terms_for(params.get("preset")).second_evaluator,
    }


for kind in (
    MessageKind(
        REQUESTED,
        gettext_lazy("%(requester)s asks to read the %(scope)s of %(person)s"),
        gettext_lazy("HR asks to read the %(scope)s of %(person)s from %(from)s to %(until)s. "
                     "As %(second)s you grant or refuse the request; the reason is on the "
                     "page."),
        _present,
    ),
    MessageKind(
        GRANTED,
        gettext_lazy("Granted: reading the %(scope)s of %(person)s"),
        gettext_lazy("%(approver)s granted your request to read the %(scope)s of %(person)s "
                     "from %(from)s to %(until)s. Every read is logged and shown to "
                     "%(person)s."),
        _present,
    ),
    MessageKind(
        REFUSED,
        gettext_lazy("Refused: reading the %(scope)s of %(person)s"),
        gettext_lazy("%(approver)s refused your request to read the %(scope)s of "
                     "%(person)s."),
        _present,
    ),
    MessageKind(
        GRANTED_TO_EMPLOYEE,
        gettext_lazy("HR may read your %(scope)s until %(until)s"),
        gettext_lazy("%(approver)s granted %(requester)s access to your %(scope)s from "
                     "%(from)s to %(until)s. The reason, and every read, are on the page "
                     "“Who looked at my data”."),
        _present,
    ),
):
    register(kind)
