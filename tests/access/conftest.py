"""Prints how many (view, role) pairs the authorization matrix checked."""

from typing import Any

import pytest

from tests.access import matrix

_from_workers: list[int] = []


def pytest_sessionfinish(session: pytest.Session) -> None:
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:  # a pytest-xdist worker: hand the count to the controller
        workeroutput["matrix_pairs"] = matrix.CHECKED_PAIRS


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    _from_workers.append(int(getattr(node, "workeroutput", {}).get("matrix_pairs", 0)))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    pairs = matrix.CHECKED_PAIRS + sum(_from_workers)
    if pairs:
        terminalreporter.write_line(f"authorization matrix: {pairs} (view, role) pairs checked")
