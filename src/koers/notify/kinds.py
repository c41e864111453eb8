"""The registry of message kinds: how a notification reads, in the reader's language.

A room that notifies registers its kinds in a ``notifications`` module of its own
(``koers/cycles/notifications.py``); ``NotifyConfig.ready`` imports those modules, so
the registry is complete in every process (web, worker, command) without ``notify``
importing the rooms above it.

A kind's subject and body are translatable templates with ``%(name)s`` placeholders.
``present`` turns the stored parameters (codes, ISO dates, numbers) into display values
in the active language, so the text always follows the reader's current language and
nothing readable is frozen in the database. Notifications never carry evaluation
content: parameters name a person, a step and a date; the link leads to the page that
checks the reader's access.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _

Params = Mapping[str, Any]

# Set in the parameters when the recipient is the person the notification speaks of
# (``services.notify``'s ``about``): the kind's ``own_subject``/``own_body`` then say
# "you", never the recipient's own name.
OWN = "own"


def _as_is(params: Params) -> dict[str, Any]:
    return dict(params)


@dataclass(frozen=True)
class MessageKind:
    code: str
    subject: str | Promise  # one line: the e-mail subject and the line in the app
    body: str | Promise  # the e-mail's paragraph; the link follows it
    present: Callable[[Params], dict[str, Any]] = _as_is
    own_subject: str | Promise | None = None  # to the person it is about, in the 2nd person
    own_body: str | Promise | None = None


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str


_REGISTRY: dict[str, MessageKind] = {}


def register(kind: MessageKind) -> MessageKind:
    """Add a kind; registering the same code twice is a programming error."""
    existing = _REGISTRY.get(kind.code)
    if existing is not None and existing != kind:
        raise ValueError(f"message kind {kind.code!r} is registered twice")
    _REGISTRY[kind.code] = kind
    return kind


def registered() -> dict[str, MessageKind]:
    return dict(_REGISTRY)


def render(kind_code: str, params: Params) -> Rendered:
    """The notification's text in the active language (wrap in ``translation.override``)."""
    kind = _REGISTRY.get(kind_code)
    if kind is None:
        # A kind that was retired after its rows were written: still show something.
        return Rendered(_("You have a new notification in Koers."), "")
    try:
        values = kind.present(params)
        if params.get(OWN) and kind.own_subject is not None and kind.own_body is not None:
            return Rendered(str(kind.own_subject) % values, str(kind.own_body) % values)
        return Rendered(str(kind.subject) % values, str(kind.body) % values)
    except (KeyError, TypeError, ValueError):
        # Parameters of an older shape: the link still works, so say only that much.
        return Rendered(_("You have a new notification in Koers."), "")
