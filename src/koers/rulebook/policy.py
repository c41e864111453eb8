"""The policy in force for an organisation: its preset with the settings HR changed.

``policy_for`` is what every rule asks; ``rulebook.services`` changes the settings.
"""

import dataclasses
from collections.abc import Mapping
from typing import Any

from koers.organisation.models import Organisation
from koers.rulebook.models import PolicyOverride
from koers.rulebook.presets import PRESETS, Policy
from koers.rulebook.registry import SETTINGS, decode


def preset_of(organisation: Organisation) -> Policy:
    return PRESETS[organisation.policy_preset]


def policy_for(organisation: Organisation) -> Policy:
    """The policy in force: the preset with the organisation's settings applied."""
    overrides = {
        o.field: o.value
        for o in PolicyOverride.objects.filter(organisation=organisation)
        if o.field in SETTINGS
    }
    return apply_overrides(preset_of(organisation), overrides)


def apply_overrides(preset: Policy, overrides: Mapping[str, Any]) -> Policy:
    """``preset`` with stored overrides (JSON values by setting name) applied."""
    values = {name: decode(SETTINGS[name], raw) for name, raw in overrides.items()}
    if not values:
        return preset
    return dataclasses.replace(preset, version=f"{preset.version}+local", **values)

