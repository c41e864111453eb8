"""The catalogue as the sources give it, read from the data files shipped in the package.

``data/catalogue.json``: the 5 clusters, 40 competencies and 15 development actions of
the POP guide (Bijlagen 1 and 2), named as the source names them, described in our own
words; every text is {language code: text} in Dutch, English, French and German (the
French and German texts are our translations of the Dutch, as the file's
``translations`` says). The languages are read from the data, not from the interface's
list, so the catalogue carries a language before the interface offers it.
``data/competency-action-matrix.csv``: the recommendation matrix of Bijlage 1 exactly as
transcribed (``1`` recommended, ``0`` not, empty: the source is silent). Each entry
keeps its ``source_label``, the name the matrix uses, so the two files are checked
against each other when they are read.
"""

import csv
import io
import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from koers.core import languages
from koers.development.states import RecommendationValue

DATA = resources.files("koers.development") / "data"
CATALOGUE_FILE = "catalogue.json"
MATRIX_FILE = "competency-action-matrix.csv"

CELL_VALUES = {
    "1": RecommendationValue.RECOMMENDED,
    "0": RecommendationValue.NOT_RECOMMENDED,
    "": RecommendationValue.UNKNOWN,
}


# {language code: text}; every entry has the default language's, the others as the data
# gives them (the data may hold languages the interface does not offer yet).
Texts = Mapping[str, str]


@dataclass(frozen=True)
class ClusterSource:
    code: str
    names: Texts


@dataclass(frozen=True)
class CompetencySource:
    cluster: str
    code: str
    source_label: str
    names: Texts
    descriptions: Texts


@dataclass(frozen=True)
class ActionSource:
    code: str
    source_label: str
    names: Texts
    definitions: Texts
    when_to_choose_texts: Texts  # one point per line
    points_of_attention_texts: Texts


@dataclass(frozen=True)
class CatalogueSource:
    clusters: tuple[ClusterSource, ...]
    competencies: tuple[CompetencySource, ...]
    actions: tuple[ActionSource, ...]
    # (competency code, action code) → value, for every pair of the matrix.
    matrix: dict[tuple[str, str], RecommendationValue]
    # The languages of the texts, as the data gives them ("nl", "en", "fr", "de").
    languages: tuple[str, ...]
    # Who wrote the texts of a language that is not the source's own (our translations).
    translations: Mapping[str, str]


class SourceError(ValueError):
    """The data files disagree with each other (a packaging error, not a user's)."""


def _texts(entry: Mapping[str, Any], key: str, *, required: bool = False) -> dict[str, str]:
    """``entry[key]`` as {language: text}; a list of points becomes one point a line."""
    raw = entry.get(key, {})
    texts = {code: "\n".join(value) if isinstance(value, list) else value
             for code, value in raw.items() if value}
    if required and not texts.get(languages.DEFAULT):
        raise SourceError(f"{entry.get('code')!r} has no {key} in {languages.DEFAULT!r}")
    return texts


@cache
def catalogue_source() -> CatalogueSource:
    raw = json.loads((DATA / CATALOGUE_FILE).read_text(encoding="utf-8"))
    clusters = tuple(ClusterSource(code=entry["code"], names=_texts(entry, "names",
                                                                     required=True))
                     for entry in raw["clusters"])
    competencies = tuple(
        CompetencySource(cluster=entry["cluster"], code=entry["code"],
                         source_label=entry["source_label"],
                         names=_texts(entry, "names", required=True),
                         descriptions=_texts(entry, "descriptions"))
        for entry in raw["competencies"])
    actions = tuple(
        ActionSource(code=entry["code"], source_label=entry["source_label"],
                     names=_texts(entry, "names", required=True),
                     definitions=_texts(entry, "definitions"),
                     when_to_choose_texts=_texts(entry, "when_to_choose"),
                     points_of_attention_texts=_texts(entry, "points_of_attention"))
        for entry in raw["actions"])
    matrix = _matrix(competencies, actions, {c.code for c in clusters})
    # The registry's languages first, then the others in the order the data gives them.
    found = dict.fromkeys(code for entries in (clusters, competencies, actions)
                          for entry in entries for code in entry.names)
    ordered = tuple(code for code in languages.CODES if code in found)
    return CatalogueSource(clusters, competencies, actions, matrix,
                           languages=ordered + tuple(c for c in found if c not in ordered),
                           translations=dict(raw.get("translations", {})))


def _matrix(
    competencies: tuple[CompetencySource, ...], actions: tuple[ActionSource, ...],
    cluster_codes: set[str],
) -> dict[tuple[str, str], RecommendationValue]:
    text = (DATA / MATRIX_FILE).read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    header, body = rows[0], rows[1:]
    if header[2:] != [action.source_label for action in actions]:
        raise SourceError("the matrix's actions differ from the catalogue's")
    if [row[1] for row in body] != [c.source_label for c in competencies]:
        raise SourceError("the matrix's competencies differ from the catalogue's")
    if any(c.cluster not in cluster_codes for c in competencies):
        raise SourceError("a competency names an unknown cluster")
    matrix: dict[tuple[str, str], RecommendationValue] = {}
    for competency, row in zip(competencies, body, strict=True):
        cells = row[2:]
        if len(cells) != len(actions) or any(cell not in CELL_VALUES for cell in cells):
            raise SourceError(f"the matrix row of {competency.source_label!r} is malformed")
        for action, cell in zip(actions, cells, strict=True):
            matrix[competency.code, action.code] = CELL_VALUES[cell]
    return matrix
