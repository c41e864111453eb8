"""The message kinds of the cycle's reminders, registered with ``koers.notify``.

Parameters: ``person`` (name), ``step`` (a ``Due`` code), ``due`` (ISO date), ``days``
(before or after the due date), ``role`` (who acts) and ``responsible`` (their name).
No content of goals or evaluations: the link opens the person's timeline. A reminder of
the recipient's own step says so ("your own task"), never their name.
"""

import datetime as dt
from collections.abc import Callable, Mapping
from enum import StrEnum
from typing import Any

from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from koers.cycles.labels import role_label, step_label
from koers.notify.kinds import MessageKind, Params, register


class Stage(StrEnum):
    """The moments a step is reminded of, in order."""

    DUE_SOON = "due_soon"  # at each of the policy's reminder_days_before
    DUE_TODAY = "due_today"
    OVERDUE = "overdue"  # the day after the due date
    ESCALATED_SECOND = "escalated_second"  # to the 2nd evaluator
    ESCALATED_HR = "escalated_hr"  # to HR


KIND_OF_STAGE = {stage: f"cycles.{stage.value}" for stage in Stage}
Present = Callable[[Params], dict[str, Any]]


def present_step(params: Params, step: str) -> dict[str, Any]:
    """The parameters of a reminder of ``step`` (already named) in the active language:
    the due date, how soon or late, and who acts, in the words of the person's regime
    (older reminders: the default words)."""
    days = int(params.get("days", 0))
    preset = params.get("preset")
    return {
        "person": params["person"],
        "step": step,
        "due": date_format(dt.date.fromisoformat(params["due"]), "j F Y"),
        "when": ngettext("in %(days)s day", "in %(days)s days", days) % {"days": days},
        "late": ngettext("%(days)s day", "%(days)s days", days) % {"days": days},
        "role": role_label(params["role"], preset),
        "responsible": params.get("responsible") or _("nobody yet"),
        # Who receives an escalation: the regime's second role, without an article.
        "second": role_label("second_evaluator", preset),
    }


def _present(params: Params) -> dict[str, Any]:
    return present_step(params, step_label(params["step"], params.get("preset")))


def register_reminders(kinds: Mapping[Stage, str], present: Present,
                       hr_body: Promise) -> None:
    """Register the reminder kinds of a procedure's steps, one per stage, in the words
    every procedure shares; ``hr_body`` says what HR follows up when escalated to."""
    for kind in (
        MessageKind(
            kinds[Stage.DUE_SOON],
            gettext_lazy("%(step)s for %(person)s: due %(when)s"),
            gettext_lazy("%(step)s for %(person)s is due on %(due)s. Your role: %(role)s."),
            present,
            own_subject=gettext_lazy("%(step)s, your own task: due %(when)s"),
            own_body=gettext_lazy("%(step)s, your own task, is due on %(due)s."),
        ),
        MessageKind(
            kinds[Stage.DUE_TODAY],
            gettext_lazy("%(step)s for %(person)s: due today"),
            gettext_lazy("%(step)s for %(person)s is due today, %(due)s. Your role: "
                         "%(role)s."),
            present,
            own_subject=gettext_lazy("%(step)s, your own task: due today"),
            own_body=gettext_lazy("%(step)s, your own task, is due today, %(due)s."),
        ),
        MessageKind(
            kinds[Stage.OVERDUE],
            gettext_lazy("Overdue: %(step)s for %(person)s"),
            gettext_lazy(
                "%(step)s for %(person)s was due on %(due)s and is not done yet. "
                "Your role: %(role)s."
            ),
            present,
            own_subject=gettext_lazy("Overdue: %(step)s, your own task"),
            own_body=gettext_lazy("%(step)s, your own task, was due on %(due)s and is not "
                                  "done yet."),
        ),
        MessageKind(
            kinds[Stage.ESCALATED_SECOND],
            gettext_lazy("Overdue for %(late)s: %(step)s for %(person)s"),
            gettext_lazy(
                "%(step)s for %(person)s was due on %(due)s and is not done yet "
                "(%(role)s: %(responsible)s). You receive this as %(second)s, who follows "
                "up the process."
            ),
            present,
        ),
        MessageKind(
            kinds[Stage.ESCALATED_HR],
            gettext_lazy("Overdue for %(late)s: %(step)s for %(person)s"),
            hr_body,
            present,
        ),
    ):
        register(kind)


register_reminders(KIND_OF_STAGE, _present, gettext_lazy(
    "%(step)s for %(person)s was due on %(due)s and is not done yet "
    "(%(role)s: %(responsible)s). You receive this as HR, who monitors the cycle."))


# HR's reminder of a late step (``services.late_reminders_send``): to whoever must act,
# and to the employee in their own words when the step is theirs. Parameters as above,
# with ``sender`` (the HR officer's name).
LATE_REMINDER = "cycles.late_reminder"
LATE_REMINDER_OWN = "cycles.late_reminder_own"


def _present_reminder(params: Params) -> dict[str, Any]:
    return {**_present(params), "sender": params.get("sender") or _("HR")}


register(MessageKind(
    LATE_REMINDER,
    gettext_lazy("Reminder from HR: %(step)s for %(person)s"),
    gettext_lazy(
        "%(step)s for %(person)s was due on %(due)s and is not done yet. %(sender)s (HR) "
        "asks you to take care of it. Your role: %(role)s."
    ),
    _present_reminder,
))
register(MessageKind(
    LATE_REMINDER_OWN,
    gettext_lazy("Reminder from HR: %(step)s, your own task"),
    gettext_lazy(
        "%(step)s, your own task, was due on %(due)s and is not done yet. %(sender)s (HR) "
        "asks you to take care of it."
    ),
    _present_reminder,
))
