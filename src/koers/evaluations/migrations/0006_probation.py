"""The probation evaluation: its kind, the Flemish probation record, and the link.

On SQLite, changing the evaluation's kind constraint rebuilds its table, and the
guards of 0003–0005 (triggers on this room's tables naming it) would refuse the rename:
they are set aside before and put back, exactly as they were, after.
"""

from typing import Any

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# Every other column of the evaluation is in 0005's lists; this one, and why it may still
# change once signed (tests/evaluations/test_guards.py reads both).
MAY_CHANGE = {
    "evaluation": {
        "probation_id": "set when a probation evaluation is opened; the probation is kept "
                        "(PROTECT)",
    },
}

_SET_ASIDE: list[tuple[str, str]] = []


def _triggers(schema_editor: Any) -> list[tuple[str, str]]:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                       "AND tbl_name LIKE 'evaluations_%' ORDER BY name")
        return list(cursor.fetchall())


def set_aside(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "sqlite":
        return
    _SET_ASIDE[:] = _triggers(schema_editor)
    for name, _sql in _SET_ASIDE:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}", params=None)


def put_back(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "sqlite":
        return
    for _name, sql in _SET_ASIDE:
        schema_editor.execute(sql, params=None)
    _SET_ASIDE.clear()


class Migration(migrations.Migration):

    dependencies = [
        ('conversations', '0005_report_revision'),
        ('cycles', '0005_participation_leaving'),
        ('evaluations', '0005_guards_follow_the_procedure'),
        ('organisation', '0005_import_applied_by_a_worker'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(set_aside, put_back),
        migrations.CreateModel(
            name='Probation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('reason', models.CharField(choices=[('recruitment', 'recruitment'), ('promotion', 'statutory promotion'), ('contractual_to_statutory', 'move from a contractual to a statutory post'), ('redeployment', 'redeployment after a restructuring')], max_length=32, verbose_name='why')),
                ('starts_on', models.DateField(verbose_name='starts on')),
                ('months', models.PositiveSmallIntegerField(verbose_name='months')),
                ('absences', models.JSONField(blank=True, default=list, verbose_name='days not worked')),
                ('ends_on', models.DateField(verbose_name='computed end')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
            ],
            options={
                'verbose_name': 'probation',
                'verbose_name_plural': 'probations',
                'ordering': ['-starts_on', 'pk'],
            },
        ),
        migrations.RemoveConstraint(
            model_name='evaluation',
            name='evaluation_kind_known',
        ),
        migrations.AlterField(
            model_name='evaluation',
            name='kind',
            field=models.CharField(choices=[('annual', 'annual evaluation'), ('advanced', 'advanced evaluation'), ('formal_assessment', 'formal assessment'), ('probation', 'probation evaluation')], default='annual', max_length=24, verbose_name='kind'),
        ),
        migrations.AddField(
            model_name='probation',
            name='created_by',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='probation',
            name='mentor',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organisation.person', verbose_name='mentor'),
        ),
        migrations.AddField(
            model_name='probation',
            name='person',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='probations', to='organisation.person', verbose_name='employee'),
        ),
        migrations.AddField(
            model_name='evaluation',
            name='probation',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='evaluations', to='evaluations.probation', verbose_name='probation'),
        ),
        migrations.AddConstraint(
            model_name='evaluation',
            constraint=models.CheckConstraint(condition=models.Q(('kind__in', ['annual', 'advanced', 'formal_assessment', 'probation'])), name='evaluation_kind_known'),
        ),
        migrations.AddConstraint(
            model_name='evaluation',
            constraint=models.UniqueConstraint(condition=models.Q(('kind', 'probation'), models.Q(('state', 'cancelled'), _negated=True)), fields=('person', 'period_end'), name='one_probation_evaluation'),
        ),
        migrations.AddConstraint(
            model_name='probation',
            constraint=models.CheckConstraint(condition=models.Q(('ends_on__gte', models.F('starts_on'))), name='probation_period_order'),
        ),
        migrations.AddConstraint(
            model_name='probation',
            constraint=models.CheckConstraint(condition=models.Q(('reason__in', ['recruitment', 'promotion', 'contractual_to_statutory', 'redeployment'])), name='probation_reason_known'),
        ),
        migrations.AddConstraint(
            model_name='probation',
            constraint=models.UniqueConstraint(fields=('person', 'starts_on'), name='one_probation_a_start'),
        ),
        migrations.RunPython(put_back, set_aside),
    ]
