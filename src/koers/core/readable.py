"""A recorded change told as a sentence, in the reader's language.

Histories store ``{field: [before, after]}`` with plain values (codes, ISO dates, ids):
what the chain hashes and the API returns. A page shows the same change to people:
the field's own name, the label of a choice, a date as a date, a linked record by its
name, never ``status: proposed → agreed``.
"""

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext as _


def field_label(model: type[models.Model], name: str) -> str:
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return name.replace("_", " ")
    return str(getattr(field, "verbose_name", name))


def value_text(model: type[models.Model], name: str, value: Any,
               names: Mapping[Any, str] | None = None) -> str | None:
    """``None`` for no value; otherwise the value as a reader knows it."""
    if value is None or value in ("", [], {}):
        return None
    try:
        field: Any = model._meta.get_field(name)
    except FieldDoesNotExist:
        field = None
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field is not None and field.is_relation and names is not None and value in names:
        return names[value]
    if field is not None and field.is_relation and isinstance(value, int):
        return _("another record")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        parts = [value_text(model, name, item, names) for item in value]
        return "; ".join(part for part in parts if part)
    if isinstance(value, dict):
        return " ".join(text for item in value.values()
                        if (text := value_text(model, "", item, names)))
    if isinstance(value, str) and (field is None or isinstance(field, models.DateField)):
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            return value
        return day.strftime("%d-%m-%Y")
    return str(value)


def sentence(model: type[models.Model], name: str, before: Any, after: Any,
             names: Mapping[Any, str] | None = None,
             labels: Mapping[str, str] | None = None) -> str:
    """One change as a sentence: “Grade / level changed from A1 to B3.” ``labels`` names
    a field otherwise than the model does (in the record's regime's words)."""
    label = capfirst((labels or {}).get(name) or field_label(model, name))
    old, new = value_text(model, name, before, names), value_text(model, name, after, names)
    if old is not None and new is not None:
        return _("%(field)s changed from %(before)s to %(after)s.") % {
            "field": label, "before": old, "after": new}
    if new is not None:
        return _("%(field)s set to %(after)s.") % {"field": label, "after": new}
    if old is not None:
        return _("%(field)s cleared (was %(before)s).") % {"field": label, "before": old}
    return _("%(field)s changed.") % {"field": label}


def sentences(model: type[models.Model], changes: Mapping[str, Any],
              names: Mapping[Any, str] | None = None,
              labels: Mapping[str, str] | None = None) -> list[str]:
    """Each ``{field: [before, after]}`` (or ``{field: value}``) as a sentence, in order."""
    told = []
    for name, pair in sorted(changes.items()):
        before, after = pair if isinstance(pair, list) and len(pair) == 2 else (None, pair)
        told.append(sentence(model, name, before, after, names, labels))
    return told
