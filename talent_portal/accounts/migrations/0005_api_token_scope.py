from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_two_factor_enrolment"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="scope",
            field=models.CharField(
                choices=[("read", "Read only"), ("read_write", "Read and write")],
                default="read",
                help_text="A read-only token can look things up but never change anything.",
                max_length=20,
                verbose_name="scope",
            ),
        ),
    ]
