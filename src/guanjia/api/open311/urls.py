"""Open311 GeoReport v2, mounted at /open311/ by guanjia.urls: discovery at /open311/discovery.{xml,json},
the endpoint at /open311/v2/. Every path ends in .xml or .json, which picks the format."""

from django.urls import URLPattern, URLResolver, re_path

from guanjia.api.open311 import views

FMT = r"\.(?P<fmt>xml|json)$"

urlpatterns: list[URLPattern | URLResolver] = [
    re_path(r"^discovery" + FMT, views.discovery, name="open311-discovery"),
    re_path(r"^v2/discovery" + FMT, views.discovery),
    re_path(r"^v2/services" + FMT, views.service_list, name="open311-services"),
    re_path(r"^v2/services/(?P<code>[-\w]+)" + FMT, views.service_definition, name="open311-service"),
    re_path(r"^v2/requests" + FMT, views.requests, name="open311-requests"),
    re_path(r"^v2/requests/(?P<request_id>[\w-]+)" + FMT, views.request_detail, name="open311-request"),
    re_path(r"^v2/tokens/(?P<token>[\w-]+)" + FMT, views.token, name="open311-token"),
    # Anything else answers in the spec's error shape (JSON if the path asks for it, XML otherwise).
    re_path(r"^.*?(?:\.(?P<fmt>json|xml))?$", views.unknown),
]
