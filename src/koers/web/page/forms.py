"""Form helpers shared by every page family: NL Design System classes, date inputs, and
a domain refusal shown on the form that caused it."""

from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.core.validators import MaxLengthValidator, ProhibitNullCharactersValidator
from django.db.models.fields import BLANK_CHOICE_LABEL
from django.utils.translation import gettext_lazy

from koers.core.errors import ValidationFailed
from koers.core.limits import TEXT_MAX
from koers.core.text import validate_storable

# The empty choice of a select, as the forms that build their own choices name it.
BLANK = gettext_lazy("Choose…")


class KoersFormMixin:
    """Every form of the pages: bounds every text field (one without a length of its own
    takes at most ``core.limits.TEXT_MAX`` characters, checked and said by its
    ``maxlength``), refuses text that cannot be stored in any text field
    (``core.text``), and adds the NL Design System classes so templates render fields
    uniformly."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.bound_texts()
        self.name_blank_choices()

    def name_blank_choices(self) -> None:
        """A model field's empty choice in Koers's words: Django's own ("- Select an
        option -") has no Dutch or German translation, so it would show in English."""
        for field in self.fields.values():  # type: ignore[attr-defined]
            if isinstance(field, forms.ModelChoiceField):
                if field.empty_label is BLANK_CHOICE_LABEL:
                    field.empty_label = BLANK
            elif isinstance(field, forms.ChoiceField):
                choices: list[Any] = list(cast(Iterable[Any], field.choices))
                if choices and choices[0][0] == "" and choices[0][1] is BLANK_CHOICE_LABEL:
                    field.choices = [("", BLANK), *choices[1:]]

    def bound_texts(self) -> None:
        """Bound the text fields there are now (``style_fields`` and ``full_clean`` run it
        again for the fields a form adds after its own ``__init__``)."""
        for field in self.fields.values():  # type: ignore[attr-defined]
            if isinstance(field, forms.CharField) and (
                    field.max_length is None or field.max_length > TEXT_MAX):
                field.max_length = TEXT_MAX
                field.validators.append(MaxLengthValidator(TEXT_MAX))
                field.widget.attrs["maxlength"] = str(TEXT_MAX)

    def full_clean(self) -> None:
        # Here rather than in each form: fields a form adds in its __init__ are covered too.
        self.bound_texts()
        for field in self.fields.values():  # type: ignore[attr-defined]
            if isinstance(field, forms.CharField) and validate_storable not in field.validators:
                # Django's own NUL check says less; ours says why, for NUL and the rest.
                field.validators = [
                    *(v for v in field.validators
                      if not isinstance(v, ProhibitNullCharactersValidator)),
                    validate_storable,
                ]
        super().full_clean()  # type: ignore[misc]

    def style_fields(self) -> None:
        self.bound_texts()
        self.name_blank_choices()
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


def cleaned(form: forms.Form) -> dict[str, Any]:
    """The form's cleaned data, or its first error as a refusal, for the actions that
    answer with a message on the page they came from rather than with the form."""
    if not form.is_valid():
        field, errors = next(iter(form.errors.items()))
        texts = [str(error) for error in errors]
        message = f"{form[field].label}: {texts[0]}" if field in form.fields else texts[0]
        raise ValidationFailed(message, {field: texts})
    return form.cleaned_data


def apply_errors(form: Any, error: ValidationFailed) -> None:
    if not error.errors:
        form.add_error(None, error.message)
    for field, field_errors in error.errors.items():
        for message in field_errors:
            form.add_error(field if field in form.fields else None, message)
