from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("access", "0007_employer_sign_in"),
    ]

    operations = [
        migrations.RenameField(model_name="rendering", old_name="pdf", new_name="content"),
        migrations.AddField(
            model_name="rendering",
            name="content_type",
            field=models.CharField(default="application/pdf", max_length=100),
        ),
        migrations.AddField(
            model_name="rendering",
            name="parameters",
            field=models.JSONField(blank=True, default=dict),
        ),
    ]
