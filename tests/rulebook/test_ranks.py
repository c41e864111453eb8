"""The 2nd evaluator holds a higher rank than the person evaluated; where the line says
otherwise HR is told (Vlaamse overheid, PLOEG-gesprekken,
https://overheid.vlaanderen.be/personeel/loopbaan/ploeg-gesprekken: "a higher 2nd
evaluator for everyone"). The comparison runs in the database: these run on SQLite and
PostgreSQL alike."""

import pytest

from koers.organisation.models import EvaluatorLinePeriod, Person
from koers.rulebook import ranks
from tests import personas

pytestmark = pytest.mark.django_db

# (the person's rank, the 2nd evaluator's rank, flagged: not higher)
CASES = [
    ("A1", "A2", False),  # a higher number within the level is higher
    ("A2", "A2", True),  # the same rank is not higher
    ("A3", "A2", True),
    ("B3", "A1", False),  # any rank of a higher level is higher
    ("A1", "B3", True),
    ("C1", "c2", False),  # the letter's case does not matter
    ("D2", "D1a", True),  # only the first two signs count
    ("E1", "D1", False),
    ("", "A1", False),  # no rank recorded: nothing to compare, never flagged
    ("A1", "", False),
    ("schaal 8", "A1", False),  # not a rank this rule reads (a Dutch salary scale)
    ("A1", "schaal 10", False),
]


@pytest.fixture
def p():
    return personas.build()


@pytest.mark.parametrize(("own", "second", "flagged"), CASES)
def test_a_2nd_evaluator_is_flagged_unless_of_a_higher_rank(p, own, second, flagged):
    line = EvaluatorLinePeriod.objects.get(person=p.employee, valid_until=EvaluatorLinePeriod.NEVER)
    assert line.second_evaluator is not None
    Person.objects.filter(pk=p.employee.pk).update(rank=own)
    Person.objects.filter(pk=line.second_evaluator.pk).update(rank=second)
    found = ranks.second_not_higher(EvaluatorLinePeriod.objects.filter(pk=line.pk))
    assert found.exists() is flagged


def test_a_person_without_a_2nd_evaluator_is_not_flagged(p):
    line = EvaluatorLinePeriod.objects.get(person=p.director, valid_until=EvaluatorLinePeriod.NEVER)
    assert line.second_evaluator is None
    Person.objects.filter(pk=p.director.pk).update(rank="A4")
    assert not ranks.second_not_higher(EvaluatorLinePeriod.objects.filter(pk=line.pk)).exists()
