"""The message kinds of the work plan, mediation and a designated holder (``koers.notify``).

Parameters: ``person`` (whose plan) and ``actor`` (who acted), names only; the plan
stays behind the link, which checks the reader's access.
"""

from django.utils.translation import gettext_lazy

from koers.notify.kinds import MessageKind, register

WORK_PLAN_TO_COMMENT = "conversations.work_plan_to_comment"
WORK_PLAN_TO_CONFIRM = "conversations.work_plan_to_confirm"
MEDIATION_TO_RECORD = "conversations.mediation_to_record"
MEDIATION_RECORDED = "conversations.mediation_recorded"
CONVERSATION_TO_HOLD = "conversations.conversation_to_hold"

register(MessageKind(
    WORK_PLAN_TO_COMMENT,
    gettext_lazy("%(person)s drafted an individual work plan"),
    gettext_lazy("%(person)s drafted an individual work plan. Add your comments; then you "
                 "both confirm it."),
))
register(MessageKind(
    WORK_PLAN_TO_CONFIRM,
    gettext_lazy("The work plan of %(person)s waits for your confirmation"),
    gettext_lazy("%(actor)s commented on or confirmed the work plan of %(person)s. It is "
                 "fixed for twelve months once you both confirm it."),
    own_subject=gettext_lazy("Your work plan waits for your confirmation"),
    own_body=gettext_lazy("%(actor)s commented on or confirmed your work plan. It is fixed "
                          "for twelve months once you both confirm it."),
))
register(MessageKind(
    MEDIATION_TO_RECORD,
    gettext_lazy("%(person)s asks you to mediate"),
    gettext_lazy("%(person)s and their manager disagree and ask you to mediate. Talk with "
                 "them both, then record the outcome."),
))
register(MessageKind(
    MEDIATION_RECORDED,
    gettext_lazy("The outcome of the mediation for %(person)s is recorded"),
    gettext_lazy("%(actor)s recorded the outcome of the mediation for %(person)s."),
    own_subject=gettext_lazy("The outcome of your mediation is recorded"),
    own_body=gettext_lazy("%(actor)s recorded the outcome of the mediation you asked for."),
))
register(MessageKind(
    CONVERSATION_TO_HOLD,
    gettext_lazy("You hold a conversation with %(person)s"),
    gettext_lazy("The manager of %(person)s designated you to hold a conversation with "
                 "them. You hold it and write its report."),
))
