"""The security report: figures the probes record while they run, printed as one table
at the end of the pytest run (and written to a file by ``bin/security-report``).

A probe asserts that it found nothing and records what it tried::

    from tests.security import figures

    figures.record("XSS", "payloads written", len(payloads))
    figures.record("XSS", "unescaped occurrences", len(found))  # 0, or the test fails
    assert found == []

``record(section, label, value)`` adds ``value`` to the figure ``(section, label)``: a
probe that runs as many tests (one per route, one per operation) records its share in
each, and the report shows the sum. Record a zero too, so the report shows it.
``note(section, text)`` adds a line of text under the section (a silenced warning and
why, the database the figures come from).

Under pytest-xdist each worker keeps its own figures and hands them to the controller
when it finishes (``tests/conftest.py``: ``workeroutput``), which adds them up and
prints the table. Sections print in the order of ``SECTIONS``; a section not named there
prints after them, so a new probe needs no change here. Nothing is printed when no probe
ran.

This module imports nothing of Django: the controller loads it before any settings.
"""

from collections.abc import Iterable
from typing import Any

# The order of the report; a section nobody recorded is left out.
SECTIONS = (
    "Authorization",
    "API schema (schemathesis)",
    "XSS",
    "Formula injection",
    "Concurrent writers (PostgreSQL)",
    "Signed records",
    "Brute force",
    "Headers",
    "Deploy checks",
)

Key = tuple[str, str]
_values: dict[Key, int] = {}
_notes: dict[str, list[str]] = {}


def record(section: str, label: str, value: int = 1) -> None:
    """Add ``value`` to the figure ``label`` of ``section``."""
    _values[(section, label)] = _values.get((section, label), 0) + int(value)


def note(section: str, text: str) -> None:
    """A line of text under ``section``, printed once however often it is noted."""
    lines = _notes.setdefault(section, [])
    if text not in lines:
        lines.append(text)


def dump() -> dict[str, Any]:
    """What this process recorded, in a form pytest-xdist can carry (lists, str, int)."""
    return {"values": [[s, label, v] for (s, label), v in _values.items()],
            "notes": [[s, text] for s, lines in _notes.items() for text in lines]}


def merge(dumped: dict[str, Any]) -> None:
    """Add a worker's ``dump()`` to this process's figures."""
    for section, label, value in dumped.get("values", []):
        record(section, label, value)
    for section, text in dumped.get("notes", []):
        note(section, text)


def clear() -> None:
    _values.clear()
    _notes.clear()


def _ordered_sections() -> list[str]:
    recorded = {s for s, _label in _values} | set(_notes)
    return [s for s in SECTIONS if s in recorded] + sorted(recorded - set(SECTIONS))


def lines() -> list[str]:
    """The report as Markdown: a heading per section, a table of its figures, its notes."""
    if not _values and not _notes:
        return []
    out = ["# Security report", ""]
    for section in _ordered_sections():
        out += [f"## {section}", ""]
        figures = [(label, v) for (s, label), v in _values.items() if s == section]
        if figures:
            width = max(len("figure"), *(len(label) for label, _v in figures))
            out += [f"| {'figure'.ljust(width)} | value |", f"|{'-' * (width + 2)}|------:|"]
            out += [f"| {label.ljust(width)} | {v:>5} |" for label, v in figures]
            out.append("")
        out += [f"- {text}" for text in _notes.get(section, [])]
        if section in _notes:
            out.append("")
    return out


def write(path: str, header: Iterable[str] = ()) -> None:
    with open(path, "w", encoding="utf-8") as file:
        file.write("\n".join([*header, *lines()]).rstrip() + "\n")
