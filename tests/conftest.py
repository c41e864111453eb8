"""Fixtures for every test, and the security report printed at the end of the run.

The report's hooks live here, not in tests/security/: under pytest-xdist the controller
collects nothing, so only this top-level conftest is loaded where the summary is printed.
The probes record their figures with ``tests.security.figures.record`` (its docstring).
"""

from typing import Any

import hypothesis
import pytest
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache

from tests.oidc import oidc_provider, oidc_secret  # noqa: F401 (the sign-in tests' fixtures)
from tests.security import figures

# Hypothesis times each example; with the suite on every core of a machine that is busy
# anyway (pytest-xdist), a slow draw says the machine is loaded, not that the code is
# wrong. The examples and what they check stay the same.
hypothesis.settings.register_profile(
    "koers", deadline=None, suppress_health_check=[hypothesis.HealthCheck.too_slow]
)
hypothesis.settings.load_profile("koers")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--security-report", metavar="PATH", default=None,
                     help="also write the security report (Markdown) to PATH")


def pytest_sessionfinish(session: pytest.Session) -> None:
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:  # a pytest-xdist worker: hand its figures to the controller
        workeroutput["security_figures"] = figures.dump()


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    figures.merge(getattr(node, "workeroutput", {}).get("security_figures", {}))


# (page, width, language) triples the browser crawl checked (tests/browser/test_every_page.py),
# added up over the pytest-xdist workers from the tests' reports.
_crawled: list[int] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when == "call":
        _crawled.extend(int(value) for name, value in report.user_properties
                        if name == "pages_checked")


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    if _crawled:
        terminalreporter.write_line(f"browser crawl: {sum(_crawled)} (page, width, language) "
                                    "triples checked for width and axe-core violations")
    report = figures.lines()
    if not report:
        return
    terminalreporter.section("security report")
    for line in report[2:]:  # the section line above is the title
        terminalreporter.write_line(line)
    path = config.getoption("--security-report")
    if path:
        figures.write(path)
        terminalreporter.write_line(f"security report written to {path}")


@pytest.fixture(autouse=True)
def _test_settings(settings):
    """Tests run in the default language (Dutch) with a fast password hasher, and each
    starts with an empty cache: the log-in rate limits count in it, and a run that logs
    in often (the browser journeys) would otherwise be refused with 429 after a minute's
    worth of other tests' log-ins. The database cache (the default) is a table of the
    test database, which every test leaves as it found it (rolled back, or flushed);
    another cache is cleared here."""
    settings.LANGUAGE_CODE = "nl"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    if not isinstance(caches["default"], DatabaseCache):
        caches["default"].clear()
