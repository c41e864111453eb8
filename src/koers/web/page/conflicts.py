"""An edit that met a newer save (``core.errors.EditConflict``): the user's own text stays
in the form, now starting from the revision saved meanwhile, and the page shows the
saved text beside theirs where they differ (``templates/page/_conflict.html``)."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class Difference:
    """One text someone else saved meanwhile, beside the user's own (kept in the form)."""

    label: str
    theirs: str
    yours: str


def differences(form: Any, current: dict[str, Any], labels: dict[str, str] | None = None,
                shown_as: dict[str, Callable[[Any], str]] | None = None) -> list[Difference]:
    """The fields where what is saved now (``current``, by field name, in the terms of the
    form's cleaned data) differs from the user's text (``form`` is bound to it and
    validated); labelled by ``labels`` or the form's own labels. ``shown_as`` shows a
    field's two values (saved and cleaned) where their text is not the value itself;
    otherwise the user's text is shown as they typed it."""
    cleaned = getattr(form, "cleaned_data", {})
    found = []
    for name, theirs in current.items():
        if name not in form.fields:
            continue
        label = (labels or {}).get(name) or str(form.fields[name].label)
        mine = cleaned.get(name, form.data.get(name))
        if _comparable(theirs) != _comparable(mine):
            show = (shown_as or {}).get(name)
            found.append(Difference(label, show(theirs), show(mine)) if show else
                         Difference(label, shown(theirs), shown(form.data.get(name, ""))))
    return found


def _comparable(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip()
    if hasattr(value, "pk"):  # a chosen record compares by its id
        return value.pk
    return "" if value is None else value


def shown(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y")
    return "" if value is None else str(value)


def rebound(form_class: type[Any], request: HttpRequest, revision: int, **kwargs: Any) -> Any:
    """The user's own text again, now starting from the revision saved meanwhile: saving
    once more replaces the other text deliberately, after the user compared both."""
    data = request.POST.copy()
    data["revision"] = str(revision)
    form = form_class(data, **kwargs)
    form.is_valid()
    return form
