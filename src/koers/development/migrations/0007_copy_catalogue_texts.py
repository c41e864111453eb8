"""Catalogue texts by language, step 2 of 3: copy the texts, both ways.

Forwards, ``name_nl`` and ``name_en`` become ``names = {"nl": …, "en": …}`` (an empty
text is left out). Backwards, the Dutch and English texts return to their columns; a
text in another language has no column to return to and is lost.
"""

from typing import Any

from django.db import migrations

# model → (JSON column, the old columns' stem), as in the models of step 1.
TEXTS = {
    "CompetencyCluster": (("names", "name"),),
    "Competency": (("names", "name"), ("descriptions", "description")),
    "DevelopmentAction": (("names", "name"), ("definitions", "definition"),
                          ("when_to_choose_texts", "when_to_choose"),
                          ("points_of_attention_texts", "points_of_attention")),
}
OLD_LANGUAGES = ("nl", "en")  # the columns there were


def forwards(apps: Any, schema_editor: Any) -> None:
    for model_name, texts in TEXTS.items():
        model = apps.get_model("development", model_name)
        rows = list(model.objects.all())
        for row in rows:
            for column, stem in texts:
                setattr(row, column, {code: getattr(row, f"{stem}_{code}")
                                      for code in OLD_LANGUAGES
                                      if getattr(row, f"{stem}_{code}")})
        model.objects.bulk_update(rows, [column for column, _stem in texts], batch_size=500)


def backwards(apps: Any, schema_editor: Any) -> None:
    for model_name, texts in TEXTS.items():
        model = apps.get_model("development", model_name)
        rows = list(model.objects.all())
        for row in rows:
            for column, stem in texts:
                values = getattr(row, column) or {}
                for code in OLD_LANGUAGES:
                    text = values.get(code)
                    setattr(row, f"{stem}_{code}", text if isinstance(text, str) else "")
        model.objects.bulk_update(
            rows, [f"{stem}_{code}" for _column, stem in texts for code in OLD_LANGUAGES],
            batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ("development", "0006_catalogue_texts_by_language"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
