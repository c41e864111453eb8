"""The world most API tests start from: the personas of ``tests.personas``."""

import pytest

from tests import personas


@pytest.fixture
def p() -> personas.Personas:
    return personas.build()
