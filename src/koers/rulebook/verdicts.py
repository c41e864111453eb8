"""Verdicts (einduitspraak, vermelding): the values a report stores and what each
preset calls them.

The stored values stay Dutch: they are legal terms. Which verdicts a policy offers is
in its preset (``Policy.verdicts``); what the page, the PDF and the e-mail call them is
``verdict_label``, because the regimes name the same thing differently: a federal
report without "onvoldoende" carries no mention ("geen vermelding"), where a Flemish
report without a verdict is simply not decided yet.
"""

from collections.abc import Mapping
from typing import Protocol

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from koers.organisation.models import PolicyPreset

# A report without a verdict stores an empty text.
NO_VERDICT = ""


class Verdict(models.TextChoices):
    # The labels are the legal terms in English too (as the regulations name them);
    # a translation may still give another language its own word.
    VOLDOENDE = "voldoende", pgettext_lazy("verdict", "voldoende")
    ONVOLDOENDE = "onvoldoende", pgettext_lazy("verdict", "onvoldoende")
    # Only statutory staff in the seniority-based salary system (Prestatiemanagement).
    LOOPBAANVERTRAGING = "loopbaanvertraging", pgettext_lazy("verdict", "loopbaanvertraging")


# The verdicts with career consequences (PLOEG): an intended one must already be in
# the draft of the written procedure; statutory staff may appeal them.
NEGATIVE_VERDICTS = frozenset({Verdict.ONVOLDOENDE, Verdict.LOOPBAANVERTRAGING})

# A report without a verdict, where the policy gives no name to that.
UNDECIDED = pgettext_lazy("verdict", "not decided yet")

# What a preset calls a verdict where it differs from ``Verdict``'s own label.
PRESET_LABELS: Mapping[str, Mapping[str, Promise]] = {
    # Flemish government (PLOEG): a verdict is required, so none is "not yet".
    PolicyPreset.FLEMISH: {
        NO_VERDICT: UNDECIDED,
    },
    # Belgian federal administration, KB of 24 September 2013 as amended: "onvoldoende"
    # is the only mention; without it the cycle closes with no mention.
    PolicyPreset.FEDERAL: {
        NO_VERDICT: pgettext_lazy("verdict", "no mention"),
    },
    # Dutch municipalities (Cyclus van jaargesprekken): the conversation has no verdict.
    PolicyPreset.DUTCH_MUNICIPAL: {
        NO_VERDICT: pgettext_lazy("verdict", "no assessment"),
    },
}


# When a verdict is to be given, where the regime says so; shown beside the choice on
# the report form. Federal: BOSA, "Evaluatie — vermeldingen" [b2]: "onvoldoende" when
# fewer than half of the performance objectives are met, or when the competencies the
# function requires were not developed.
CRITERIA: Mapping[str, Mapping[str, Promise]] = {
    PolicyPreset.FEDERAL: {
        Verdict.ONVOLDOENDE: pgettext_lazy(
            "verdict", "Fewer than half of the performance objectives met, or the "
            "competencies the function requires not developed."),
    },
}


class HasPreset(Protocol):
    @property
    def preset(self) -> str: ...


def verdict_label(policy_or_preset: HasPreset | str | None, verdict: str) -> str:
    """What ``verdict`` is called under this policy (or preset), in the active language.

    ``None``: the usual name, for a page that shows verdicts without their policy. An
    unknown stored value is shown as it is stored rather than hidden.
    """
    preset = (policy_or_preset if isinstance(policy_or_preset, str) or policy_or_preset is None
              else policy_or_preset.preset)
    renamed = PRESET_LABELS.get(preset or "", {}).get(verdict)
    if renamed is not None:
        return str(renamed)
    if verdict in Verdict.values:
        return str(Verdict(verdict).label)
    if verdict == NO_VERDICT:
        return str(UNDECIDED)
    return verdict


def verdict_criteria(policy_or_preset: HasPreset | str, verdict: str) -> str:
    """When ``verdict`` is given under this policy, in the active language; empty where
    the regime states no criteria."""
    preset = (policy_or_preset if isinstance(policy_or_preset, str)
              else policy_or_preset.preset)
    text = CRITERIA.get(preset, {}).get(verdict)
    return "" if text is None else str(text)
