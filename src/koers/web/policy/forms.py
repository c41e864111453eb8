"""The form HR changes the organisation's policy with: one field per rulebook setting.

The fields only carry text; ``rulebook.services.parse_settings`` reads it, so the form,
the API and the tests accept the very same input and give the same messages.
"""

from typing import Any

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from koers.rulebook.presets import Policy
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


class LinesField(forms.CharField):
    """One text a line; changed only when the lines differ (browsers send CRLF)."""

    widget = forms.Textarea

    def to_python(self, value: Any) -> str:
        text = super().to_python(value)
        return "\n".join(line.strip() for line in str(text).splitlines() if line.strip())

    def has_changed(self, initial: Any, data: Any) -> bool:
        return self.to_python(initial) != self.to_python(data)


class PolicyForm(KoersFormMixin, forms.Form):
    # The policy's revision the change starts from (optimistic locking).
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, data: Any = None, *, policy: Policy, preset: Policy,
                 revision: int = 0) -> None:
        super().__init__(data)
        self.fields["revision"].initial = revision
        for name, setting in SETTINGS.items():
            field: forms.Field
            if setting.kind == Kind.YES_NO:
                field = forms.ChoiceField(choices=[("yes", _("yes")), ("no", _("no"))])
            elif setting.kind == Kind.CHOICE:
                field = forms.ChoiceField(choices=list(setting.choices))
            elif setting.kind == Kind.LINES:
                field = LinesField(required=False, widget=forms.Textarea(attrs={"rows": 4}),
                                   max_length=(MAX_QUESTION_LENGTH + 1) * setting.maximum)
            else:
                # Optional settings may be emptied: that switches them off.
                field = forms.CharField(required=not setting.optional, max_length=100)
            field.label = str(setting.label)  # built per request, in its language
            preset_text = _("Preset: %(value)s.") % {
                "value": describe(setting, getattr(preset, name))}
            field.help_text = f"{hint(setting)} {preset_text}".strip()
            field.initial = display(setting, getattr(policy, name))
            if setting.kind == Kind.LINES:
                # Built-in questions in the reader's language; untouched, nothing changes.
                field.initial = "\n".join(_(line) for line in getattr(policy, name))
            field.widget.attrs["aria-describedby"] = f"id_{name}_help"
            self.fields[name] = field

    def groups(self) -> list[tuple[Promise, list[forms.BoundField]]]:
        """The fields in the rulebook's groups, for one fieldset each."""
        return [(label, [self[name] for name in names]) for label, names in GROUPS]

    def changed_texts(self) -> dict[str, str]:
        """Only what HR changed on the page, so that untouched fields record nothing."""
        return {name: self.cleaned_data[name] for name in self.changed_data
                if name in SETTINGS}
