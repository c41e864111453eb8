"""Form helpers shared by every page family: NL Design System classes, date inputs, and
a domain refusal shown on the form that caused it."""

from typing import Any

from django import forms

from koers.core.errors import ValidationFailed


class KoersFormMixin:
    """Adds the NL Design System classes so templates render fields uniformly."""

    def style_fields(self) -> None:
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            if isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "utrecht-select utrecht-select--html-select")
            elif isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "utrecht-checkbox utrecht-checkbox--html-input")
            elif isinstance(widget, forms.Textarea):
                widget.attrs.setdefault("class", "utrecht-textarea utrecht-textarea--html-textarea")
            else:
                widget.attrs.setdefault("class", "utrecht-textbox utrecht-textbox--html-input")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def apply_errors(form: Any, error: ValidationFailed) -> None:
    if not error.errors:
        form.add_error(None, error.message)
    for field, field_errors in error.errors.items():
        for message in field_errors:
            form.add_error(field if field in form.fields else None, message)
