"""Top-level URLs: the admin for curators, the public pages for readers."""

from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Corroborate — curators"
admin.site.site_title = "Corroborate admin"
admin.site.index_title = "Claims, evidence and where it comes from"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("reader.urls")),
]
