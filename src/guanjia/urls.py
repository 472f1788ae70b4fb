from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from guanjia.api.urls import api
from guanjia.web.views_health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("open311/", include("guanjia.api.open311.urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("guanjia.web.urls")),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
