"""Every state change in the decisions app: who, when, through what, why."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DecisionEvent(models.Model):
    """One change of a vote, consultation, committee or self-governance group. Ballots and consultation
    answers are their own history (every one is kept), so they are not repeated here."""

    kind = models.CharField(_("事件"), max_length=40)
    vote = models.ForeignKey(
        "decisions.OwnersVote", null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    consultation = models.ForeignKey(
        "decisions.Consultation", null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    committee = models.ForeignKey(
        "decisions.OwnersCommittee", null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    group = models.ForeignKey(
        "decisions.SelfGovernanceGroup",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="events",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(_("操作人"), max_length=150, blank=True)
    via = models.CharField(_("途径"), max_length=20, blank=True)
    at = models.DateTimeField(_("时间"), db_index=True)
    reason = models.CharField(_("理由"), max_length=300, blank=True)
    data = models.JSONField(_("详情"), default=dict, blank=True)

    class Meta:
        verbose_name = _("决策事件")
        verbose_name_plural = _("决策事件")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind}"
