"""Drop knox's own token table.

The portal swaps knox's token model for ``accounts.ApiToken`` (``KNOX_TOKEN_MODEL``), but knox's
early migrations create ``knox_authtoken`` regardless. The table is never used, and its foreign
key to the user table would stop a flush (and so transactional tests) on PostgreSQL.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_duty_groups"), ("knox", "0009_extend_authtoken_field")]
    operations = [migrations.RunSQL("DROP TABLE IF EXISTS knox_authtoken", migrations.RunSQL.noop)]
