from django import template

from koers.rulebook import verdicts
from koers.rulebook.verdicts import HasPreset

register = template.Library()


@register.filter
def verdict_label(verdict: str | None, policy_or_preset: HasPreset | str | None = None) -> str:
    """``{{ report.verdict|verdict_label:page.policy }}``: the verdict as the preset calls
    it. Without a policy, the usual name (pages of one regime's consequences)."""
    return verdicts.verdict_label(policy_or_preset, verdict or verdicts.NO_VERDICT)
