"""The settings an operator switches through the environment, read the way a fresh
process reads them (Python in a subprocess with only that environment), and what the
HTTPS settings do to a request."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

import koers
from tests.security import figures

SRC = Path(koers.__file__).resolve().parent.parent

REPORT = "Deploy checks"  # of the security report (tests/security/figures.py)

# A production-like environment: https behind a TLS-ending reverse proxy (README,
# "Configuration"). The database is never reached: the checks do not connect.
PRODUCTION = {
    "SECRET_KEY": "k" * 20 + "production-secret-with-enough-variety-0123456789",
    "ALLOWED_HOSTS": "koers.example.be",
    "CSRF_TRUSTED_ORIGINS": "https://koers.example.be",
    "SITE_URL": "https://koers.example.be",
    "DATABASE_URL": "postgres://koers@db.example.be:5432/koers",
    "EMAIL_HOST": "smtp.example.be",
    "KOERS_HTTPS": "1",
    "KOERS_PROXY_SSL_HEADER": "1",
    "KOERS_STATIC_HASHED": "1",
    "KOERS_AUDIT_KEYS": "k2027:" + "s" * 40,
}

EXAMPLE = SRC.parent / "deploy" / "production.env.example"


def python(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Python with this checkout's code and nothing of the caller's environment but ``env``."""
    clean = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", ""),
             "PYTHONPATH": str(SRC), "DJANGO_SETTINGS_MODULE": "koers.config.settings", **env}
    return subprocess.run([sys.executable, *args], env=clean,  # noqa: S603 (the tests' own)
                          capture_output=True, text=True, timeout=120, check=False)


def deploy_warnings(env: dict[str, str]) -> set[str]:
    """The ids of what `koers check --deploy` reports (warnings and errors)."""
    result = python("-m", "koers.config.cli", "check", "--deploy", env=env)
    return set(re.findall(r"\((\w+\.[A-Z]\d+)\)", result.stdout + result.stderr))


HTTPS_SETTINGS = ["SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
                  "SECURE_HSTS_PRELOAD", "SECURE_PROXY_SSL_HEADER", "SESSION_COOKIE_SECURE",
                  "CSRF_COOKIE_SECURE"]


def settings_of(env: dict[str, str], names: list[str]) -> dict[str, object]:
    script = ("import json, django; django.setup(); from django.conf import settings; "
              f"print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}))")
    result = python("-c", script, env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def https_settings(env: dict[str, str]) -> dict[str, object]:
    return settings_of(env, HTTPS_SETTINGS)


def test_the_production_environment_leaves_only_the_preload_decision_to_the_deploy_checks():
    """HSTS preloading binds the employer's whole domain: its owner opts in, so the one
    warning that remains by default is that one."""
    warnings = deploy_warnings(PRODUCTION)

    figures.record(REPORT, "warnings with the production settings", len(warnings))
    figures.note(REPORT, "security.W021 (HSTS preload) stays until the domain's owner opts "
                         "in with KOERS_HSTS_PRELOAD=1: preloading binds the whole domain")
    assert warnings == {"security.W021"}


def test_with_preloading_chosen_the_deploy_checks_find_nothing():
    warnings = deploy_warnings({**PRODUCTION, "KOERS_HSTS_PRELOAD": "1"})

    figures.record(REPORT, "warnings with the production settings and preloading", len(warnings))
    assert warnings == set()


def test_the_documented_production_environment_passes_the_deploy_checks_at_warning_level(
        tmp_path):
    """`deploy/production.env.example`, as an operator copies it: only the secrets it
    names by file are written (they are never in the file itself)."""
    environment = example_environment(tmp_path)

    result = python("-m", "koers.config.cli", "check", "--deploy", "--fail-level", "WARNING",
                    env=environment)

    figures.record(REPORT, "warnings with deploy/production.env.example", len(
        set(re.findall(r"\((\w+\.[A-Z]\d+)\)", result.stdout + result.stderr))))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_documented_production_environment_reads_its_secrets_from_files(tmp_path):
    environment = example_environment(tmp_path)

    settings = settings_of(environment, ["SECRET_KEY", "DATABASES", "MAILERS",
                                         "SILENCED_SYSTEM_CHECKS", "STORAGES",
                                         "KOERS_METRICS_TOKEN"])

    assert settings["SECRET_KEY"] == (tmp_path / "koers_secret_key").read_text().strip()
    assert settings["DATABASES"]["default"]["PASSWORD"] == "database-password"
    assert settings["MAILERS"]["default"]["OPTIONS"]["password"] == "smtp-password"
    assert settings["KOERS_METRICS_TOKEN"] == "metrics-token-" + "m" * 32
    # The owner's decision on preloading is written down, so its check is answered.
    assert settings["SILENCED_SYSTEM_CHECKS"] == ["security.W021"]
    assert settings["STORAGES"]["staticfiles"]["BACKEND"].endswith("ManifestStaticFilesStorage")


def test_without_a_key_for_the_audit_trail_the_deploy_checks_warn():
    warnings = deploy_warnings({**PRODUCTION, "KOERS_AUDIT_KEYS": "", "KOERS_HSTS_PRELOAD": "1"})

    assert warnings == {"koers.W004"}


def test_without_hashed_static_files_the_deploy_checks_warn():
    warnings = deploy_warnings({**PRODUCTION, "KOERS_STATIC_HASHED": "0",
                                "KOERS_HSTS_PRELOAD": "1"})

    assert warnings == {"koers.W003"}


def test_collectstatic_names_every_file_after_its_content(tmp_path):
    """What the hashed names are for: a page links to the collected, hashed file, so a
    browser may keep it for a year and still gets a changed file at once."""
    script = ("import django; django.setup(); from django.core.management import call_command; "
              "call_command('collectstatic', interactive=False, verbosity=0); "
              "from django.templatetags.static import static; print(static('web/koers.css'))")
    result = python("-c", script, env={"KOERS_STATIC_HASHED": "1",
                                       "KOERS_STATIC_ROOT": str(tmp_path)})

    assert result.returncode == 0, result.stderr
    url = result.stdout.strip()
    assert re.fullmatch(r"/static/web/koers\.[0-9a-f]{12}\.css", url)
    assert (tmp_path / url.removeprefix("/static/")).read_bytes() == (
        SRC / "koers" / "web" / "static" / "web" / "koers.css").read_bytes()


def example_environment(folder: Path) -> dict[str, str]:
    """The example file's variables; each ``*_FILE`` secret written into ``folder``."""
    environment: dict[str, str] = {}
    secrets = {"SECRET_KEY_FILE": "k" * 20 + "a-production-secret-0123456789-with-variety",
               "DATABASE_PASSWORD_FILE": "database-password",
               "EMAIL_HOST_PASSWORD_FILE": "smtp-password",
               "KOERS_METRICS_TOKEN_FILE": "metrics-token-" + "m" * 32,
               "KOERS_AUDIT_KEYS_FILE": "k2027:" + "a" * 40}
    for line in EXAMPLE.read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, _, value = line.partition("=")
        if name == "PROMETHEUS_MULTIPROC_DIR":
            value = str(folder)
        elif name.endswith("_FILE"):
            path = folder / Path(value).name
            path.write_text(secrets.pop(name) + "\n")
            value = str(path)
        environment[name] = value
    assert not secrets, f"the example no longer names {sorted(secrets)}"
    return environment


def test_https_turns_on_the_redirect_the_secure_cookies_and_a_year_of_hsts():
    assert https_settings(PRODUCTION) == {
        "SECURE_SSL_REDIRECT": True, "SECURE_HSTS_SECONDS": 31_536_000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True, "SECURE_HSTS_PRELOAD": False,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "SESSION_COOKIE_SECURE": True, "CSRF_COOKIE_SECURE": True,
    }


def test_the_local_demo_on_plain_http_gets_none_of_it():
    """`bin/demo`: DEBUG on, http on 127.0.0.1; a redirect to https or HSTS would lock the
    browser out of the demo."""
    assert https_settings({"DEBUG": "1"}) == {
        "SECURE_SSL_REDIRECT": False, "SECURE_HSTS_SECONDS": 0,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": False, "SECURE_HSTS_PRELOAD": False,
        "SECURE_PROXY_SSL_HEADER": None, "SESSION_COOKIE_SECURE": False,
        "CSRF_COOKIE_SECURE": False,
    }


def test_the_hsts_period_can_start_short():
    """Django's advice: try HSTS with a short period first, then raise it."""
    settings = https_settings({**PRODUCTION, "KOERS_HSTS_SECONDS": "3600"})
    assert settings["SECURE_HSTS_SECONDS"] == 3600


def test_the_cache_is_the_database_unless_the_environment_names_another():
    """The log-in rate limits count in it, for every process at once."""
    default = settings_of({}, ["CACHES"])["CACHES"]
    redis = settings_of({"KOERS_CACHE_URL": "redis://cache.example.be:6379/1"},
                        ["CACHES"])["CACHES"]

    assert default == {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
                                   "LOCATION": "koers_cache",
                                   "OPTIONS": {"MAX_ENTRIES": 10_000}}}
    assert redis == {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                 "LOCATION": "redis://cache.example.be:6379/1"}}


def test_a_cache_url_of_an_unknown_kind_stops_the_start_without_showing_its_password():
    result = python("-c", "import django; django.setup()",
                    env={"KOERS_CACHE_URL": "memcached://koers:s3cret@cache.example.be"})

    assert result.returncode != 0
    assert "KOERS_CACHE_URL: 'memcached' is none of" in result.stderr
    assert "s3cret" not in result.stderr


@pytest.fixture
def behind_a_tls_proxy(settings):
    """What `KOERS_HTTPS=1 KOERS_PROXY_SSL_HEADER=1` set (checked above), in this process."""
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")


@pytest.mark.django_db
@pytest.mark.usefixtures("behind_a_tls_proxy")
def test_behind_the_proxy_https_is_served_with_hsts_and_http_is_redirected(client):
    served = client.get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https")
    plain = client.get("/accounts/login/")

    assert served.status_code == 200  # no redirect loop: the proxy's word is taken
    assert served.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert plain.status_code == 301
    assert plain.url == "https://testserver/accounts/login/"


def test_on_postgresql_a_connection_is_kept_and_checked_before_reuse():
    names = ["DATABASES"]
    production = settings_of(PRODUCTION, names)["DATABASES"]["default"]  # type: ignore[index]
    per_request = settings_of({**PRODUCTION, "DATABASE_CONN_MAX_AGE": "0"},
                              names)["DATABASES"]["default"]  # type: ignore[index]
    embedded = settings_of({}, names)["DATABASES"]["default"]  # type: ignore[index]

    assert (production["CONN_MAX_AGE"], production["CONN_HEALTH_CHECKS"]) == (600, True)
    assert per_request["CONN_MAX_AGE"] == 0
    assert embedded["ENGINE"] == "django.db.backends.sqlite3"
    assert embedded["CONN_MAX_AGE"] == 0


def test_employer_sign_in_never_links_by_e_mail_on_its_own_and_wants_https():
    names = ["SOCIALACCOUNT_EMAIL_AUTHENTICATION", "SOCIALACCOUNT_AUTO_SIGNUP",
             "KOERS_OIDC_ALLOW_HTTP"]

    assert settings_of(PRODUCTION, names) == dict.fromkeys(names, False)
    assert settings_of({**PRODUCTION, "KOERS_OIDC_ALLOW_HTTP": "1"},
                       ["KOERS_OIDC_ALLOW_HTTP"]) == {"KOERS_OIDC_ALLOW_HTTP": True}


def post_login_behind_the_proxy(proto: str | None) -> int:
    """A log-in form sent from https://koers.example.be through a proxy that ends TLS,
    forwards the host and, if ``proto``, says the request came over it."""
    client = Client(enforce_csrf_checks=True)
    headers = {"Host": "koers.example.be"}
    if proto:
        headers["X-Forwarded-Proto"] = proto
    client.get("/accounts/login/", headers=headers)
    return client.post("/accounts/login/", {
        "login": "nobody@example.be", "password": "wrong",
        "csrfmiddlewaretoken": client.cookies["csrftoken"].value},
        headers={**headers, "Origin": "https://koers.example.be",
                 "Referer": "https://koers.example.be/accounts/login/"}).status_code


@pytest.mark.django_db
@pytest.mark.parametrize(("proxy_header", "trusted", "status"), [
    (True, [], 200),  # the proxy's word: the request came over https from its own origin
    (False, [], 403),  # seen as http, the https origin is another site's
    (False, ["https://koers.example.be"], 200),  # or the origin is trusted by name
])
def test_a_form_sent_over_https_passes_the_csrf_check_behind_the_proxy(
        settings, proxy_header, trusted, status):
    settings.ALLOWED_HOSTS = ["koers.example.be"]
    settings.CSRF_TRUSTED_ORIGINS = trusted
    if proxy_header:
        settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

    assert post_login_behind_the_proxy("https") == status
