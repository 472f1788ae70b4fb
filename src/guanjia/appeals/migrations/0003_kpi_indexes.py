"""Indexes for the KPIs (docs/kpis.md § how it is computed).

- (accountable, submitted_at): a person's appeals in a period (scope staff:<id>, the people rankings).
- the handler's answers (accept / start / resolve / reject events) by appeal and time, partial: the
  first response of each appeal in a cohort is one probe instead of a walk through its whole timeline."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("appeals", "0002_default_categories")]

    operations = [
        migrations.AddIndex(
            model_name="appeal",
            index=models.Index(fields=["accountable", "submitted_at"], name="appeal_accountable_time_idx"),
        ),
        migrations.AddIndex(
            model_name="appealevent",
            index=models.Index(
                fields=["appeal", "at"],
                condition=models.Q(action__in=["accept", "start", "resolve", "reject"]),
                name="appeal_event_answer_idx",
            ),
        ),
    ]
