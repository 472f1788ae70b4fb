"""Open311 GeoReport v2, mounted at /open311/ by guanjia.urls."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
