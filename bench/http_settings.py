"""The production settings, with the benchmark's floor view added (bench/http.py)."""

from koers.config.settings import *  # noqa: F403

ROOT_URLCONF = "http_urls"
