"""Who outranks whom: the Flemish rule that the 2nd evaluator holds a higher rank than the
person evaluated, and that HR is told where the line says otherwise ([f8], Vlaamse
overheid, "Ploeg-gesprekken", https://overheid.vlaanderen.be/personeel/loopbaan/ploeg-gesprekken).

A rank (rang) is read as its level, A highest to E lowest, and its number within the
level, higher being higher: E1 < D1 < D3 < C1 < B2 < A1 < A2. Only the first two signs
count ("A2a" is A2). Any other text (none recorded, a Dutch salary scale) is not a rank
this rule can compare, and such a line is never flagged: HR fills in the ranks or sees
nothing to check.

Koers tells; it does not move anyone: HR chooses another 2nd evaluator for the person
(an evaluator override) or leaves the line as it is, for a reason the rule allows
("fewer evaluators only if functionally needed", [f1]).

The comparison runs in the database, so a list of the lines to check costs one query
whatever the size of the organisation.
"""

from django.db.models import F, Q, QuerySet
from django.db.models.functions import Substr, Upper

from koers.organisation.models import EvaluatorLinePeriod
from koers.rulebook.appeals import Source

SOURCE = Source("Vlaamse overheid, PLOEG-gesprekken",
                "https://overheid.vlaanderen.be/personeel/loopbaan/ploeg-gesprekken")

LEVELS = ("A", "B", "C", "D", "E")  # highest first
NUMBERS = tuple(str(number) for number in range(1, 10))


def _parts(queryset: QuerySet[EvaluatorLinePeriod]) -> QuerySet[EvaluatorLinePeriod]:
    # Upper-case letters and digits compare the same in every collation.
    return queryset.annotate(
        person_level=Upper(Substr("person__rank", 1, 1)),
        person_number=Substr("person__rank", 2, 1),
        second_level=Upper(Substr("second_evaluator__rank", 1, 1)),
        second_number=Substr("second_evaluator__rank", 2, 1),
    )


def second_not_higher(lines: QuerySet[EvaluatorLinePeriod]) -> QuerySet[EvaluatorLinePeriod]:
    """The lines whose 2nd evaluator's rank is not higher than the person's, both ranks
    being ranks this rule compares: a later letter, or the same letter and a number not
    above the person's."""
    comparable = Q(person_level__in=LEVELS, person_number__in=NUMBERS,
                   second_level__in=LEVELS, second_number__in=NUMBERS)
    not_higher = Q(second_level__gt=F("person_level")) | Q(
        second_level=F("person_level"), second_number__lte=F("person_number"))
    return _parts(lines.filter(second_evaluator__isnull=False)).filter(comparable & not_higher)
