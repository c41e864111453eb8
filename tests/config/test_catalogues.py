"""Every language Koers offers has a complete catalogue, and no text meant for a person is
left out of them.

Koers is written in English in the code; each other language of ``core.languages`` has
its catalogue in ``src/koers/locale/<code>/``. A page in French must not fall back to an
English sentence, so each catalogue is complete (no untranslated or fuzzy message), up
to date with the strings the code marks, and the templates and user-facing calls carry
no unmarked text.
"""

import ast
import html
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from koers.core import languages

SRC = Path(__file__).resolve().parents[2] / "src" / "koers"
# GNU gettext's tools, which bin/setup requires for compiling the catalogues.
MSGFMT = shutil.which("msgfmt") or "/usr/bin/msgfmt"
MSGCAT = shutil.which("msgcat") or "/usr/bin/msgcat"
TRANSLATED = [code for code in languages.CODES if code != languages.Language.ENGLISH]


def _statistics(po: Path) -> str:
    answer = subprocess.run([MSGFMT,  # noqa: S603 (GNU gettext)
                              "--check", "--statistics", "-o", "/dev/null", str(po)],
                            capture_output=True, text=True, check=True)
    return answer.stderr.strip().splitlines()[-1]


def _msgids(po: Path) -> set[str]:
    """The message ids of a catalogue (with their context), read with GNU gettext."""
    answer = subprocess.run([MSGCAT,  # noqa: S603 (GNU gettext)
                              "--no-wrap", "--sort-output", str(po)],
                            capture_output=True, text=True, check=True)
    ids, context, current, key = set(), "", [], None
    for line in [*answer.stdout.splitlines(), ""]:
        if line.startswith("#~"):
            continue
        if line.startswith("msgctxt "):
            context = line[8:]
        elif line.startswith("msgid "):
            key, current = "msgid", [line[6:]]
        elif line.startswith('"') and key == "msgid":
            current.append(line)
        elif key == "msgid":
            text = "".join(part.strip('"') for part in current)
            if text:
                ids.add(f"{context}\x04{text}" if context else text)
            context, key = "", None
    return ids


@pytest.mark.parametrize("code", TRANSLATED)
def test_each_catalogue_is_complete(code):
    po = SRC / "locale" / code / "LC_MESSAGES" / "django.po"

    line = _statistics(po)

    assert "fuzzy" not in line, line
    assert "untranslated" not in line, line
    assert re.fullmatch(r"\d+ translated messages\.", line), line


def test_the_catalogues_hold_every_marked_string_and_no_other(tmp_path):
    """The strings the code marks today, gathered as ``makemessages`` does, are exactly
    the catalogues' messages: a string added without its translation, or a translation
    kept for a string that is gone, fails here."""
    copy = tmp_path / "koers"
    shutil.copytree(SRC, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo", "static"))
    shutil.rmtree(copy / "locale")
    (copy / "locale").mkdir()
    answer = subprocess.run(  # noqa: S603 (our own command)
        [Path(sys.executable).parent / "koers", "makemessages", "-l", "nl", "--no-location",
         "--no-wrap", "--verbosity", "0"], cwd=copy, capture_output=True, text=True,
        check=False)
    assert answer.returncode == 0, answer.stderr
    marked = _msgids(copy / "locale" / "nl" / "LC_MESSAGES" / "django.po")

    for code in TRANSLATED:
        held = _msgids(SRC / "locale" / code / "LC_MESSAGES" / "django.po")
        assert sorted(marked - held) == [], f"{code}: marked but not in the catalogue"
        assert sorted(held - marked) == [], f"{code}: in the catalogue but no longer marked"


# What may stand in a template outside {% translate %}: the product's name and the prefix
# of an API token, which are the same in every language.
UNTRANSLATABLE = re.compile(r"^[·\s]*(Koers)?[·\s]*$|^koers_ _…$")
BLOCK = re.compile(r"{%\s*blocktrans(?:late)?\b.*?{%\s*endblocktrans(?:late)?\s*%}", re.S)
COMMENT = re.compile(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}|{#.*?#}", re.S)
TEMPLATE_TAG = re.compile(r"{%.*?%}|{{.*?}}", re.S)
RAW = re.compile(r"<(script|style)\b.*?</\1>", re.S | re.I)
HTML_TAG = re.compile(r"<[^>]*>", re.S)
READ_ATTRIBUTE = re.compile(
    r'\b(?:title|alt|placeholder|aria-label)="([^"{]*[^\W\d_]{2,}[^"]*)"')
WORD = re.compile(r"[^\W\d_]{2,}")


def test_no_template_holds_text_outside_a_translation():
    unmarked = []
    for root in (p for p in SRC.rglob("templates") if p.is_dir()):
        for path in root.rglob("*"):
            if not path.is_file() or path.suffix not in (".html", ".txt", ".ics", ".xml"):
                continue
            text = path.read_text()
            for pattern in (COMMENT, BLOCK, RAW):
                text = pattern.sub(" ", text)
            attributes = READ_ATTRIBUTE.findall(text)
            text = HTML_TAG.sub("\n", TEMPLATE_TAG.sub(" ", text))
            for piece in [html.unescape(c).strip() for c in text.split("\n")] + attributes:
                if WORD.search(piece) and not UNTRANSLATABLE.match(piece):
                    unmarked.append(f"{path.relative_to(SRC)}: {piece!r}")

    assert unmarked == []


# Calls whose text reaches a person: a message on the page, a refusal, a form's label.
SPOKEN_CALLS = {"success", "info", "warning", "error", "add_message", "DomainError",
                "NotFoundOrForbidden", "ValidationFailed", "ValidationError", "Refused"}
SPOKEN_KEYWORDS = {"label", "help_text", "verbose_name", "verbose_name_plural",
                   "empty_label"}


def _spoken_literals(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        receiver = getattr(getattr(func, "value", None), "id", "")
        arguments = list(node.args) if name in SPOKEN_CALLS and "log" not in receiver else []
        arguments += [k.value for k in node.keywords if k.arg in SPOKEN_KEYWORDS]
        for argument in arguments:
            # A sentence or a capitalised word; "parent_code" names a column.
            if isinstance(argument, ast.Constant) and isinstance(argument.value, str) \
                    and (" " in argument.value.strip() or argument.value[:1].isupper()):
                found.append((argument.lineno, argument.value))
            elif isinstance(argument, ast.JoinedStr):
                found.append((argument.lineno, "an f-string"))
    return found


def test_no_message_label_or_refusal_in_python_is_left_unmarked():
    unmarked = [f"{path.relative_to(SRC)}:{line}: {text!r}"
                for path in SRC.rglob("*.py") if "migrations" not in path.parts
                for line, text in _spoken_literals(ast.parse(path.read_text()))]

    assert unmarked == []


def test_the_checks_see_an_unmarked_message():
    """The two checks above find what they look for."""
    code = 'messages.success(request, "Saved")\nlogger.info("saved %s", 1)\n'
    assert _spoken_literals(ast.parse(code)) == [(1, "Saved")]
    template = "<p>{% translate 'Saved' %}</p><p>Opgeslagen</p>"
    text = HTML_TAG.sub("\n", TEMPLATE_TAG.sub(" ", template))
    assert [c for c in text.split("\n") if WORD.search(c)] == ["Opgeslagen"]
