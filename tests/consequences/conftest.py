import pytest

from tests import personas
from tests.factories import consequences as cf


@pytest.fixture
def p() -> personas.Personas:
    world = personas.build()
    cf.evaluation_based(world.employee)
    cf.evaluation_based(world.colleague)
    return world


@pytest.fixture
def bodies(p: personas.Personas) -> cf.Bodies:
    return cf.bodies(p)
