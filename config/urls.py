"""Top-level URLs: the admin for curators, the read API for programs, the public
pages for readers."""

from django.contrib import admin
from django.urls import include, path

from reader.api import api, unknown_address

admin.site.site_header = "Corroborate — curators"
admin.site.site_title = "Corroborate admin"
admin.site.index_title = "Claims, evidence and where it comes from"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("api/<path:rest>", unknown_address),
    path("", include("reader.urls")),
]
