from django.urls import path

from guanjia.web import (
    urls_appeals,
    urls_decisions,
    urls_property,
    urls_reports,
    views_auth,
    views_home,
    views_imports,
    views_people,
    views_places,
)

app_name = "web"

urlpatterns = [
    path("", views_home.home, name="home"),
    path("login/", views_auth.login, name="login"),
    path("logout/", views_auth.logout, name="logout"),
    path("compounds/", views_places.compound_list, name="compounds"),
    path("compounds/<int:pk>/", views_places.compound_detail, name="compound"),
    path("households/<int:pk>/", views_people.household_detail, name="household"),
    path("residents/search/", views_people.resident_search, name="resident-search"),
    path("people/<int:pk>/reveal/", views_people.person_reveal_view, name="person-reveal"),
    path("import/residents/", views_imports.import_residents_view, name="import-residents"),
    path("import/residents/confirm/", views_imports.import_residents_confirm, name="import-confirm"),
    path("import/template.<str:kind>", views_imports.import_template, name="import-template"),
    path("export/residents.xlsx", views_imports.export_residents_view, name="export-residents"),
    # Each domain keeps its pages in its own url module.
    *urls_appeals.urlpatterns,
    *urls_property.urlpatterns,
    *urls_decisions.urlpatterns,
    *urls_reports.urlpatterns,
]
