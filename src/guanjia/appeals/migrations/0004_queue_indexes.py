"""Indexes for the staff queue, which reads the caller's scope part by part (appeals.selectors.queue).

- (dwelling, status): a grid's open appeals without reading the closed ones of its flats.
- id of the open appeals, partial: whether what one held is still open without reading its row
  (PostgreSQL; SQLite does not match a partial index to bound parameters and reads the row by rowid)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("appeals", "0003_kpi_indexes")]

    operations = [
        migrations.AddIndex(
            model_name="appeal",
            index=models.Index(fields=["dwelling", "status"], name="appeal_dwelling_status_idx"),
        ),
        migrations.AddIndex(
            model_name="appeal",
            index=models.Index(
                fields=["id"],
                condition=models.Q(status__in=["submitted", "accepted", "in_progress", "rejection_pending"]),
                name="appeal_open_idx",
            ),
        ),
    ]
