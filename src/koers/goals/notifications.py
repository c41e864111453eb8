"""The message kinds of goals, registered with ``koers.notify``.

Parameters: ``person`` (whose goal) and ``actor`` (who proposed or changed it), names
only (to the owner the text says "your goal"); the goal itself stays behind the link,
which checks the reader's access.
"""

from django.utils.translation import gettext_lazy

from koers.notify.kinds import MessageKind, register

AWAITING_CONFIRMATION = "goals.awaiting_confirmation"

register(MessageKind(
    AWAITING_CONFIRMATION,
    gettext_lazy("A goal of %(person)s waits for your confirmation"),
    gettext_lazy("%(actor)s proposed or changed a goal of %(person)s. It is agreed once you "
                 "confirm it too."),
    own_subject=gettext_lazy("One of your goals waits for your confirmation"),
    own_body=gettext_lazy("%(actor)s proposed or changed one of your goals. It is agreed once "
                          "you confirm it too."),
))

# The planning signed "voor akkoord" (Flemish, ``goals.planning``): one signed, the next
# signer is told. Parameters: ``person`` (whose planning), ``actor`` (who signed),
# ``period`` (the cycle's name).
PLANNING_TO_SIGN = "goals.planning_to_sign"

register(MessageKind(
    PLANNING_TO_SIGN,
    gettext_lazy("The planning of %(person)s waits for your signature"),
    gettext_lazy("%(actor)s signed the planning of %(person)s for %(period)s for agreement. "
                 "It is your turn to sign it."),
    own_subject=gettext_lazy("Your planning waits for your signature"),
    own_body=gettext_lazy("%(actor)s signed your planning for %(period)s for agreement. It is "
                          "your turn to sign it."),
))
