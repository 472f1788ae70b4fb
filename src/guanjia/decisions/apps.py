from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DecisionsConfig(AppConfig):
    name = "guanjia.decisions"
    label = "decisions"
    verbose_name = _("业主共同决定")
