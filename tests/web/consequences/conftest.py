"""The consequences room's fixtures (personas on the evaluation-based salary system, and
the organisation's bodies), shared with its domain tests."""

from tests.consequences.conftest import bodies, p

__all__ = ["bodies", "p"]
