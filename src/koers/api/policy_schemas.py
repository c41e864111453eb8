"""Shapes of the policy endpoints: an organisation's rulebook settings as text.

Values travel as the text HR would type on the web page (``rulebook.registry.display``):
what ``GET`` returns, ``PUT`` accepts back unchanged. An empty text switches an optional
setting off; ``null`` in a ``PUT`` or ``PATCH`` resets a setting to the preset.

Guiding questions (kind ``translated_lines``) are translatable content: ``texts`` gives
their lines in each language ({language code: lines}; "" where HR gave none), and a
``PUT`` or ``PATCH`` takes that object back (every language filled in with the same
number of lines, ``rulebook.questions``). A plain text sets the same lines for every
language, as before questions had languages.
"""

from ninja import Schema

from koers.api.common_schemas import Input
from koers.organisation.models import Organisation
from koers.rulebook import registry as rulebook
from koers.rulebook import services as rulebook_services
from koers.rulebook.policy import policy_for, preset_of
from koers.rulebook.presets import Policy
from koers.rulebook.questions import by_language

_NUMERIC = {rulebook.Kind.DAYS, rulebook.Kind.MONTHS, rulebook.Kind.COUNT, rulebook.Kind.HOURS,
            rulebook.Kind.DAY_LIST, rulebook.Kind.YEARS}
_GROUP_OF = {name: label for label, names in rulebook.GROUPS for name in names}


class PolicySettingOut(Schema):
    name: str
    label: str
    group: str
    kind: str
    optional: bool
    minimum: int | None
    maximum: int | None
    choices: list[str]
    hint: str
    preset: str
    value: str
    # Guiding questions: their lines in each language of the registry (null otherwise).
    texts: dict[str, str] | None
    changed: bool

    @classmethod
    def of(cls, name: str, *, preset: Policy, policy: Policy) -> "PolicySettingOut":
        setting = rulebook.SETTINGS[name]
        preset_value, value = getattr(preset, name), getattr(policy, name)
        numeric = setting.kind in _NUMERIC
        return cls(
            name=name, label=str(setting.label), group=str(_GROUP_OF[name]),
            kind=setting.kind, optional=setting.optional,
            minimum=setting.minimum if numeric else None,
            maximum=setting.maximum if numeric else None,
            choices=[code for code, _label in setting.choices]
            or (["yes", "no"] if setting.kind == rulebook.Kind.YES_NO else []),
            hint=rulebook.hint(setting),
            preset=rulebook.display(setting, preset_value),
            value=rulebook.display(setting, value),
            texts={code: "\n".join(lines) for code, lines in by_language(value).items()}
            if setting.kind == rulebook.Kind.TRANSLATED_LINES else None,
            changed=rulebook.encode(value) != rulebook.encode(preset_value),
        )


class PolicyOut(Schema):
    organisation_id: int
    preset: str
    version: str
    revision: int  # give it as ``expected_revision`` when changing settings
    settings: list[PolicySettingOut]

    @classmethod
    def of(cls, organisation: Organisation) -> "PolicyOut":
        preset, policy = preset_of(organisation), policy_for(organisation)
        return cls(
            organisation_id=organisation.pk, preset=organisation.policy_preset,
            version=policy.version, revision=rulebook_services.policy_revision(organisation),
            settings=[PolicySettingOut.of(name, preset=preset, policy=policy)
                      for _label, names in rulebook.GROUPS for name in names],
        )


class PolicySettingChangedOut(PolicySettingOut):
    revision: int  # the policy's revision after the change: the next ``expected_revision``


class PolicySettingIn(Input):
    """``value``: the text to set ("" switches an optional setting off), guiding questions
    as {language code: lines} too, or null to reset.

    ``expected_revision`` is the policy's ``revision`` the change starts from: if someone
    changed this setting since, nothing is saved and the answer is 409 with its value now.
    """

    value: str | dict[str, str] | None
    expected_revision: int


class PolicySettingsIn(Input):
    """Several settings at once, all or nothing (e.g. an evaluation window's two days);
    409 when one of them changed since ``expected_revision``."""

    settings: dict[str, str | dict[str, str] | None]
    expected_revision: int
