"""The catalogue as the sources give it, read from the data files shipped in the package.

``data/catalogue.json``: the 5 clusters, 40 competencies and 15 development actions of
the POP guide (Bijlagen 1 and 2), named as the source names them, described in our own
words in Dutch and English. ``data/competency-action-matrix.csv``: the recommendation
matrix of Bijlage 1 exactly as transcribed (``1`` recommended, ``0`` not, empty: the
source is silent). Each entry keeps its ``source_label``, the name the matrix uses, so
the two files are checked against each other when they are read.
"""

import csv
import io
import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

from koers.development.states import RecommendationValue

DATA = resources.files("koers.development") / "data"
CATALOGUE_FILE = "catalogue.json"
MATRIX_FILE = "competency-action-matrix.csv"

CELL_VALUES = {
    "1": RecommendationValue.RECOMMENDED,
    "0": RecommendationValue.NOT_RECOMMENDED,
    "": RecommendationValue.UNKNOWN,
}


@dataclass(frozen=True)
class ClusterSource:
    code: str
    name_nl: str
    name_en: str


@dataclass(frozen=True)
class CompetencySource:
    cluster: str
    code: str
    source_label: str
    name_nl: str
    name_en: str
    description_nl: str
    description_en: str


@dataclass(frozen=True)
class ActionSource:
    code: str
    source_label: str
    name_nl: str
    name_en: str
    definition_nl: str
    definition_en: str
    when_to_choose_nl: str  # one point per line
    when_to_choose_en: str
    points_of_attention_nl: str
    points_of_attention_en: str


@dataclass(frozen=True)
class CatalogueSource:
    clusters: tuple[ClusterSource, ...]
    competencies: tuple[CompetencySource, ...]
    actions: tuple[ActionSource, ...]
    # (competency code, action code) → value, for every pair of the matrix.
    matrix: dict[tuple[str, str], RecommendationValue]


class SourceError(ValueError):
    """The data files disagree with each other (a packaging error, not a user's)."""


@cache
def catalogue_source() -> CatalogueSource:
    raw = json.loads((DATA / CATALOGUE_FILE).read_text(encoding="utf-8"))
    clusters = tuple(ClusterSource(**entry) for entry in raw["clusters"])
    competencies = tuple(CompetencySource(**entry) for entry in raw["competencies"])
    actions = tuple(
        ActionSource(**{
            **entry,
            **{key: "\n".join(entry[key]) for key in (
                "when_to_choose_nl", "when_to_choose_en",
                "points_of_attention_nl", "points_of_attention_en")},
        })
        for entry in raw["actions"]
    )
    matrix = _matrix(competencies, actions, {c.code for c in clusters})
    return CatalogueSource(clusters, competencies, actions, matrix)


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
