from django.contrib.admin.apps import AdminConfig


class GuanjiaAdminConfig(AdminConfig):
    """Kept apart from admin_site.py: an AppConfig module must not import models."""

    default_site = "guanjia.core.admin_site.GuanjiaAdminSite"
