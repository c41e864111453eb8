#!/bin/sh
# The build stage of the image, run inside its root filesystem (bin/image): the virtual
# environment from the hash-pinned lock, the translations, the package, the static files.
# /src holds the source, /src/node_modules the front-end packages (npm ci).
set -eu
export LANG=C.UTF-8 PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 PIP_ROOT_USER_ACTION=ignore
python3 -m venv /app/venv
# Binary wheels only: the runtime stage has no compiler, and neither needs one.
/app/venv/bin/pip install -q --require-hashes --only-binary :all: -r /src/requirements/app.txt
# collectstatic never opens the database; the URL only keeps the settings from making
# an SQLite folder inside the virtual environment.
export DATABASE_URL=postgres://build@127.0.0.1:1/none DJANGO_SETTINGS_MODULE=koers.config.settings
(cd /src/src/koers && PYTHONPATH=/src/src /app/venv/bin/python -m django compilemessages --verbosity 0)
# Koers itself, with nothing more. Its build backend is Debian's setuptools (signed
# packages, like the rest of the base), not a download: it builds the wheel and stays out
# of the runtime's venv.
PYTHONPATH=/usr/lib/python3/dist-packages /app/venv/bin/pip install -q --no-deps \
  --no-build-isolation /src
KOERS_STATIC_HASHED=1 KOERS_STATIC_ROOT=/app/static KOERS_NODE_MODULES=/src/node_modules \
  /app/venv/bin/koers collectstatic --no-input --verbosity 0
# The folders of STATICFILES_DIRS, relative to KOERS_NODE_MODULES: the runtime keeps them
# (small) so the static-files checks of every koers command find them.
KOERS_NODE_MODULES=/src/node_modules /app/venv/bin/python -c '
from django.conf import settings
import django
django.setup()
for _prefix, path in settings.STATICFILES_DIRS:
    print(path.relative_to(settings.NODE_MODULES))
' > /app/static-dirs.txt
