"""Catalogue texts by language, step 1 of 3: the JSON columns beside the old ones.

Each text of a cluster, competency or development action becomes one JSON column
holding {language code: text} instead of a column per language, so a new language is
data. This step adds the new columns and lets the old ones go (no constraint, an empty
default: going back re-creates them before their data, step 2, returns); step 2 copies
the texts; step 3 drops the old columns and adds the constraints on the new ones. Three
migrations, because PostgreSQL refuses to alter a table in the transaction that
updated its rows.
"""

from django.db import migrations, models

TEXTS = {
    "competencycluster": ("names",),
    "competency": ("names", "descriptions"),
    "developmentaction": ("names", "definitions", "when_to_choose_texts",
                          "points_of_attention_texts"),
}
LABELS = {"names": "name", "descriptions": "description", "definitions": "definition",
          "when_to_choose_texts": "when to choose it",
          "points_of_attention_texts": "points of attention"}


class Migration(migrations.Migration):

    dependencies = [
        ("development", "0005_signed_rounds_are_immutable"),
    ]

    operations = [
        *(migrations.AddField(model_name=model, name=name,
                              field=models.JSONField(blank=True, default=dict,
                                                     verbose_name=LABELS[name]))
          for model, names in TEXTS.items() for name in names),
        migrations.RemoveConstraint(model_name="competencycluster",
                                    name="competency_cluster_named"),
        migrations.RemoveConstraint(model_name="competency", name="competency_name_unique"),
        migrations.RemoveConstraint(model_name="competency", name="competency_named"),
        migrations.RemoveConstraint(model_name="developmentaction",
                                    name="development_action_name_unique"),
        migrations.RemoveConstraint(model_name="developmentaction",
                                    name="development_action_named"),
        *(migrations.AlterField(model_name=model, name="name_nl",
                                field=models.CharField(default="", max_length=200,
                                                       verbose_name="name (Dutch)"))
          for model in TEXTS),
    ]
