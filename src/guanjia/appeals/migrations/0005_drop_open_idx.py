"""Drop appeal_open_idx (0004): PostgreSQL took it for a community's open appeals too, reading all the
open appeals of the database (24,000) instead of the community's through (compound, status); and SQLite
never used it (it does not match a partial index to bound parameters)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("appeals", "0004_queue_indexes")]

    operations = [migrations.RemoveIndex(model_name="appeal", name="appeal_open_idx")]
