"""Who signs the year's planning, and in which order.

Source, by public title: Vlaamse overheid, "PLOEG-gesprekken"
(https://overheid.vlaanderen.be/personeel/loopbaan/ploeg-gesprekken): the planning made
in the planning conversation is signed "voor akkoord" by the employee and the 1st
evaluator, and the 2nd evaluator signs it too; it is filed in January, at the latest at
the end of March (that due date is ``deadlines.cycle_due_dates``'s ``Due.PLANNING``).

The source names the signers, not their order. Our choice (docs/policies.md, "The
planning signature"): the employee and the 1st evaluator sign in either order, the 2nd
evaluator signs once both have, and that signature completes the planning. The federal
and the Dutch regimes know no such step: their goals are agreed one by one
(``goals.services.goal_confirm``), and a planning signature is refused there.
"""

from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum

from koers.organisation.models import PolicyPreset


class PlanningSigner(StrEnum):
    EMPLOYEE = "employee"
    FIRST_EVALUATOR = "first_evaluator"
    SECOND_EVALUATOR = "second_evaluator"


@dataclass(frozen=True)
class PlanningSigning:
    """The signers of a regime's planning: ``together`` sign in any order, ``last`` signs
    after all of them and completes it."""

    together: tuple[PlanningSigner, ...]
    last: PlanningSigner

    @property
    def signers(self) -> tuple[PlanningSigner, ...]:
        return (*self.together, self.last)

    def next_signers(self, signed: Collection[str]) -> tuple[PlanningSigner, ...]:
        """Who may sign now, given the roles that signed the current planning already;
        empty once it is complete."""
        waiting = tuple(signer for signer in self.together if signer not in signed)
        if waiting:
            return waiting
        return () if self.last in signed else (self.last,)

    def complete(self, signed: Collection[str]) -> bool:
        return all(signer in signed for signer in self.signers)


# [PLOEG-gesprekken]: employee + 1st evaluator "voor akkoord", the 2nd evaluator too.
_SIGNING = {
    PolicyPreset.FLEMISH: PlanningSigning(
        together=(PlanningSigner.EMPLOYEE, PlanningSigner.FIRST_EVALUATOR),
        last=PlanningSigner.SECOND_EVALUATOR,
    ),
}


def planning_signing(preset: str | None) -> PlanningSigning | None:
    """How the regime ``preset`` signs the planning; ``None``: it has no such step."""
    return _SIGNING.get(PolicyPreset(preset)) if preset in PolicyPreset.values else None
