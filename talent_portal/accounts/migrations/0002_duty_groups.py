"""One group per officer duty; an administrator grants a duty by adding a person to it."""

from django.db import migrations

DUTIES = [
    "work_permit_officer",
    "lead_officer",
    "exit_entry_officer",
    "service_station_staff",
    "administrator",
]


def create_groups(apps, schema_editor):
    group_model = apps.get_model("auth", "Group")
    for name in DUTIES:
        group_model.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
