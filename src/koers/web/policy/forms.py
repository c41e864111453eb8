"""The form HR changes the organisation's policy with: one field per rulebook setting,
and for guiding questions one field per language of the registry.

The fields only carry text; ``rulebook.services.parse_settings`` reads it, so the form,
the API and the tests accept the very same input and give the same messages.
"""

from typing import Any

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from koers.core import languages
from koers.core.errors import ValidationFailed
from koers.rulebook.presets import Policy
from koers.rulebook.questions import Question, given_text
from koers.rulebook.registry import (
    GROUPS,
    MAX_QUESTION_LENGTH,
    SETTINGS,
    Kind,
    describe,
    display,
    hint,
)
from koers.web.page.forms import KoersFormMixin


def language_field(name: str, code: str) -> str:
    """The form field of setting ``name`` in language ``code``."""
    return f"{name}__{code}"


class LinesField(forms.CharField):
    """One text a line; changed only when the lines differ (browsers send CRLF)."""

    widget = forms.Textarea

    def to_python(self, value: Any) -> str:
        text = super().to_python(value)
        return "\n".join(line.strip() for line in str(text).splitlines() if line.strip())

    def has_changed(self, initial: Any, data: Any) -> bool:
        return self.to_python(initial) != self.to_python(data)


def _lines_in(questions: tuple[Question, ...], code: str) -> str:
    """The questions as they read in language ``code``, one a line; none where HR gave
    that language none (every language given has them all: ``registry.parse``)."""
    return "\n".join(text for question in questions if (text := given_text(question, code)))


class PolicyForm(KoersFormMixin, forms.Form):
    # The policy's revision the change starts from (optimistic locking).
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, data: Any = None, *, policy: Policy, preset: Policy,
                 revision: int = 0) -> None:
        super().__init__(data)
        self.fields["revision"].initial = revision
        for name, setting in SETTINGS.items():
            if setting.kind == Kind.TRANSLATED_LINES:
                self._add_translated(name, policy=policy, preset=preset)
                continue
            field: forms.Field
            if setting.kind == Kind.YES_NO:
                field = forms.ChoiceField(choices=[("yes", _("yes")), ("no", _("no"))])
            elif setting.kind == Kind.CHOICE:
                field = forms.ChoiceField(choices=list(setting.choices))
            else:
                # Optional settings may be emptied: that switches them off.
                field = forms.CharField(required=not setting.optional, max_length=100)
            field.label = str(setting.label)  # built per request, in its language
            preset_text = _("Preset: %(value)s.") % {
                "value": describe(setting, getattr(preset, name))}
            field.help_text = f"{hint(setting)} {preset_text}".strip()
            field.initial = display(setting, getattr(policy, name))
            field.widget.attrs["aria-describedby"] = f"id_{name}_help"
            self.fields[name] = field

    def _add_translated(self, name: str, *, policy: Policy, preset: Policy) -> None:
        """One field a language: the questions as they read in it (the built-in ones
        translated; HR's own as given, empty where HR gave none)."""
        setting = SETTINGS[name]
        for code in languages.CODES:
            field_name = language_field(name, code)
            field = LinesField(required=False, widget=forms.Textarea(attrs={"rows": 4}),
                               max_length=(MAX_QUESTION_LENGTH + 1) * setting.maximum)
            field.label = _("%(setting)s, in %(language)s") % {
                "setting": setting.label,
                "language": languages.DETAILS[languages.Language(code)].name}
            preset_lines = _lines_in(getattr(preset, name), code) or _("none")
            preset_text = _("Preset: %(value)s.") % {"value": preset_lines}
            # How to type them once, above the first language's field.
            how = hint(setting) if code == languages.CODES[0] else ""
            field.help_text = f"{how} {preset_text}".strip()
            field.initial = _lines_in(getattr(policy, name), code)
            field.widget.attrs["aria-describedby"] = f"id_{field_name}_help"
            self.fields[field_name] = field

    def fields_of(self, name: str) -> list[str]:
        """The form fields of setting ``name``."""
        if SETTINGS[name].kind == Kind.TRANSLATED_LINES:
            return [language_field(name, code) for code in languages.CODES]
        return [name]

    def groups(self) -> list[tuple[Promise, list[forms.BoundField]]]:
        """The fields in the rulebook's groups, for one fieldset each."""
        return [(label, [self[field] for name in names for field in self.fields_of(name)])
                for label, names in GROUPS]

    def changed_texts(self) -> dict[str, str | dict[str, str]]:
        """Only what HR changed on the page, so that untouched fields record nothing;
        guiding questions changed in one language come with every language's lines."""
        changed = set(self.changed_data)
        texts: dict[str, str | dict[str, str]] = {}
        for name in SETTINGS:
            fields = self.fields_of(name)
            if not changed.intersection(fields):
                continue
            if SETTINGS[name].kind == Kind.TRANSLATED_LINES:
                texts[name] = {code: self.cleaned_data[language_field(name, code)]
                               for code in languages.CODES}
            else:
                texts[name] = self.cleaned_data[name]
        return texts

    def saved_now(self, current: dict[str, Any]) -> dict[str, Any]:
        """What an edit conflict says is saved now (by setting), by field: a guiding
        questions setting's per language, as this form (built from the saved policy)
        shows them."""
        return {field: current[name] if field == name else self.fields[field].initial
                for name in current if name in SETTINGS for field in self.fields_of(name)}

    def on_fields(self, error: ValidationFailed) -> ValidationFailed:
        """``error`` with a guiding-questions setting's messages on its first language's
        field, so the field is marked and the summary links to it."""
        return ValidationFailed(error.message, {
            self.fields_of(name)[0] if name in SETTINGS else name: messages
            for name, messages in error.errors.items()})
