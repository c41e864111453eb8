"""Form helpers shared by every page family: NL Design System classes, date inputs, and
a domain refusal shown on the form that caused it."""

from typing import Any

from django import forms
from django.core.validators import MaxLengthValidator

from koers.core.errors import ValidationFailed
from koers.core.limits import TEXT_MAX


class KoersFormMixin:
    """Adds the NL Design System classes so templates render fields uniformly, and
    bounds every text field: one without a length of its own takes at most
    ``core.limits.TEXT_MAX`` characters (checked, and said by its ``maxlength``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.bound_texts()

    def bound_texts(self) -> None:
        """Bound the text fields there are now (``style_fields`` runs it again for the
        fields a form adds after its own ``__init__``)."""
        for field in self.fields.values():  # type: ignore[attr-defined]
            if isinstance(field, forms.CharField) and (
                    field.max_length is None or field.max_length > TEXT_MAX):
                field.max_length = TEXT_MAX
                field.validators.append(MaxLengthValidator(TEXT_MAX))
                field.widget.attrs["maxlength"] = str(TEXT_MAX)

    def style_fields(self) -> None:
        self.bound_texts()
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
