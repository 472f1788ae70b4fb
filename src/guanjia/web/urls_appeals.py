"""Pages of the appeals app and the notification centre; included by web/urls.py."""

from django.urls import URLPattern, URLResolver, path

from guanjia.web import views_appeals, views_appeals_detail, views_appeals_staff, views_notifications

urlpatterns: list[URLPattern | URLResolver] = [
    # Residents
    path("appeals/", views_appeals.mine, name="appeals-mine"),
    path("appeals/new/", views_appeals.submit, name="appeals-new"),
    path("appeals/similar/", views_appeals.similar, name="appeals-similar"),
    path("appeals/<int:pk>/me-too/", views_appeals.me_too, name="appeals-me-too"),
    # One appeal, for everyone who may see it
    path("appeals/<int:pk>/", views_appeals_detail.detail, name="appeals-detail"),
    path("appeals/<int:pk>/act/", views_appeals_detail.perform, name="appeals-act"),
    path("appeals/<int:pk>/photos/<int:photo_pk>/", views_appeals_detail.photo, name="appeals-photo"),
    # Staff
    path("workbench/", views_appeals_staff.workbench, name="appeals-workbench"),
    path("workbench/assign/", views_appeals_staff.bulk_assign, name="appeals-bulk-assign"),
    path("appeals/entry/", views_appeals_staff.entry, name="appeals-entry"),
    path("appeals/entry/dwellings/", views_appeals_staff.entry_dwellings, name="appeals-entry-dwellings"),
    path("appeals/entry/submitters/", views_appeals_staff.entry_submitters, name="appeals-entry-submitters"),
    # Notification centre
    path("notifications/", views_notifications.centre, name="notifications"),
    path("notifications/read-all/", views_notifications.read_all, name="notifications-read-all"),
    path("notifications/<int:pk>/read/", views_notifications.read, name="notifications-read"),
    path("notifications/<int:pk>/open/", views_notifications.open_, name="notifications-open"),
]
