"""The recorder of the security report: figures add up, across pytest-xdist workers too,
and print in the report's order."""

import pytest

from tests.security import figures


@pytest.fixture
def empty():
    """This process's figures, set aside while the test records its own."""
    kept = figures.dump()
    figures.clear()
    yield
    figures.clear()
    figures.merge(kept)


@pytest.mark.usefixtures("empty")
def test_the_figures_of_two_workers_add_up_and_print_in_the_reports_order():
    figures.record("Headers", "responses checked", 3)
    figures.record("Headers", "missing headers", 0)
    worker = figures.dump()
    figures.clear()
    figures.record("Authorization", "leaks", 0)
    figures.record("Headers", "responses checked", 4)
    figures.note("Authorization", "the matrix of tests/access")
    figures.note("Authorization", "the matrix of tests/access")

    figures.merge(worker)

    assert figures.lines() == [
        "# Security report", "",
        "## Authorization", "",
        "| figure | value |", "|--------|------:|", "| leaks  |     0 |", "",
        "- the matrix of tests/access", "",
        "## Headers", "",
        "| figure            | value |", "|-------------------|------:|",
        "| responses checked |     7 |", "| missing headers   |     0 |", "",
    ]


@pytest.mark.usefixtures("empty")
def test_a_section_the_report_does_not_know_prints_after_the_known_ones():
    figures.record("Sessions", "fixations tried", 2)
    figures.record("XSS", "unescaped occurrences", 0)

    headings = [line for line in figures.lines() if line.startswith("## ")]

    assert headings == ["## XSS", "## Sessions"]


@pytest.mark.usefixtures("empty")
def test_nothing_recorded_prints_nothing():
    assert figures.lines() == []
