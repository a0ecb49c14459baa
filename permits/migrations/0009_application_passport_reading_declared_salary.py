from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("permits", "0008_document_version_sensitive_consent"),
    ]

    operations = [
        migrations.AddField(
            model_name="application",
            name="declared_salary_cny",
            field=models.PositiveIntegerField(
                blank=True, null=True, verbose_name="annual salary declared by the applicant (CNY)"
            ),
        ),
        migrations.AddField(
            model_name="application",
            name="passport_reading",
            field=models.JSONField(blank=True, null=True, verbose_name="passport reading"),
        ),
    ]
