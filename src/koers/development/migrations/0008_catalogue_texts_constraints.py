"""Catalogue texts by language, step 3 of 3: drop the old columns, constrain the new.

The constraints say what the old ones said, of the default language's text: every
cluster, competency and development action is named in Dutch, and an organisation has
one competency and one development action of a Dutch name (case ignored).
"""

import django.db.models.fields.json
import django.db.models.functions.text
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('development', '0007_copy_catalogue_texts'),
        ('organisation', '0006_record_references'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='competency',
            name='description_en',
        ),
        migrations.RemoveField(
            model_name='competency',
            name='description_nl',
        ),
        migrations.RemoveField(
            model_name='competency',
            name='name_en',
        ),
        migrations.RemoveField(
            model_name='competency',
            name='name_nl',
        ),
        migrations.RemoveField(
            model_name='competencycluster',
            name='name_en',
        ),
        migrations.RemoveField(
            model_name='competencycluster',
            name='name_nl',
        ),
        migrations.RemoveField(
            model_name='developmentaction',
            name='definition_en',
        ),
        migrations.RemoveField(
            model_name='developmentaction',
            name='definition_nl',
        ),
        migrations.RemoveField(
            model_name='developmentaction',
            name='name_en',
        ),
        migrations.RemoveField(
            model_name='developmentaction',
            name='name_nl',
        ),
        migrations.RemoveField(
            model_name='developmentaction',
            name='points_of_attention_en',
        ),
        migrations.RemoveField(
            model_name='developmentaction',
            name='points_of_attention_nl',
        ),
        migrations.RemoveField(
            model_name='developmentaction',
            name='when_to_choose_en',
        ),
        migrations.RemoveField(
            model_name='developmentaction',
            name='when_to_choose_nl',
        ),
        migrations.AddConstraint(
            model_name='competency',
            constraint=models.UniqueConstraint(django.db.models.functions.text.Lower(django.db.models.fields.json.KeyTextTransform('nl', 'names')), models.F('organisation'), name='competency_name_unique'),
        ),
        migrations.AddConstraint(
            model_name='competency',
            constraint=models.CheckConstraint(condition=models.Q(('names__has_key', 'nl'), models.Q(('names__nl', ''), _negated=True), models.Q(('names__nl', None), _negated=True)), name='competency_named'),
        ),
        migrations.AddConstraint(
            model_name='competencycluster',
            constraint=models.CheckConstraint(condition=models.Q(('names__has_key', 'nl'), models.Q(('names__nl', ''), _negated=True), models.Q(('names__nl', None), _negated=True)), name='competency_cluster_named'),
        ),
        migrations.AddConstraint(
            model_name='developmentaction',
            constraint=models.UniqueConstraint(django.db.models.functions.text.Lower(django.db.models.fields.json.KeyTextTransform('nl', 'names')), models.F('organisation'), name='development_action_name_unique'),
        ),
        migrations.AddConstraint(
            model_name='developmentaction',
            constraint=models.CheckConstraint(condition=models.Q(('names__has_key', 'nl'), models.Q(('names__nl', ''), _negated=True), models.Q(('names__nl', None), _negated=True)), name='development_action_named'),
        ),
    ]
