"""Top-level URLs: the admin for curators, the read API for programs, the public
pages for readers."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from reader.api import api, unknown_address

admin.site.site_header = "Corroborate — curators"
admin.site.site_title = "Corroborate admin"
admin.site.index_title = "Claims, evidence and where it comes from"

urlpatterns = [
    path("admin/", admin.site.urls),
    # The API's own address leads to its documentation page.
    path("api/", RedirectView.as_view(pattern_name="api:openapi-view")),
    path("api/", api.urls),
    # Any other address under api/, even one with a line break, answers the API's JSON 404.
    re_path(r"^api/", unknown_address),
    path("", include("reader.urls")),
]

if settings.BENCHMARK_VIEWS:
    from benchmarks.views import hello

    urlpatterns.insert(0, path("benchmark/hello/", hello))
