"""The registry of audit actions: every event names one of these, so a typo fails loudly.

Rooms register their actions here, next to each other, so the history page and the
documentation have one list to read. The label is what the history shows.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Action:
    name: str
    label: str | Promise


_REGISTRY: dict[str, Action] = {}


class UnknownAction(LookupError):
    """An event named an action nobody registered (a programming error, not a user's)."""


def register(name: str, *, label: str | Promise) -> Action:
    if name in _REGISTRY:
        raise ValueError(f"audit action {name!r} is registered twice")
    action = Action(name=name, label=label)
    _REGISTRY[name] = action
    return action


def get(name: str) -> Action:
    try:
        return _REGISTRY[name]
    except KeyError:
        raise UnknownAction(f"unknown audit action {name!r}; register it in audit/actions.py") \
            from None


def label(name: str) -> str:
    """The label of an action, or its name for an action no longer registered."""
    action = _REGISTRY.get(name)
    return str(action.label) if action is not None else name


register("unit.created", label=_("Unit created"))
register("unit.changed", label=_("Unit changed"))
register("unit.deleted", label=_("Unit removed"))
register("person.created", label=_("Person created"))
register("person.changed", label=_("Person changed"))
register("evaluator_override.created", label=_("Evaluators set by hand"))
register("evaluator_override.ended", label=_("Evaluator override ended"))
register("effective_work.corrected", label=_("Hours worked corrected"))
register("policy.setting_changed", label=_("Policy settings changed"))
register("cycle.opened", label=_("Cycle opened"))
register("participation.period_agreed", label=_("Agreed evaluated period recorded"))
register("participation.period_agreement_cleared", label=_("Back to the normal period"))
register("goal.proposed", label=_("Goal proposed"))
register("goal.confirmed", label=_("Goal confirmed"))
register("goal.adjusted", label=_("Goal adjusted"))
register("goal.status", label=_("Goal status changed"))
register("conversation.scheduled", label=_("Conversation scheduled"))
register("conversation.rescheduled", label=_("Conversation moved"))
register("conversation.cancelled", label=_("Conversation cancelled"))
register("conversation.held", label=_("Conversation held"))
register("conversation.report_written", label=_("Conversation report written"))
register("conversation.report_confirmed", label=_("Conversation report confirmed"))
register("calendar_feed.renewed", label=_("New calendar link"))
register("access_request.created", label=_("Access to content requested"))
register("access_request.granted", label=_("Access to content granted"))
register("access_request.refused", label=_("Access to content refused"))
register("access_request.read", label=_("Content read under a granted request"))
