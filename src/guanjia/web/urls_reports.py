"""Report pages (KPIs, rankings); included by web/urls.py."""

from django.urls import URLPattern, URLResolver, path

from guanjia.web import views_reports

urlpatterns: list[URLPattern | URLResolver] = [
    path("reports/appeals/", views_reports.appeal_kpis, name="reports-appeals"),
    path("reports/appeals/export.xlsx", views_reports.appeal_kpis_export, name="reports-appeals-export"),
]
