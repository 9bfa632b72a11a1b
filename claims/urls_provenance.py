"""Public pages about where evidence comes from (sources, people, events) and the
search. The namespace is "provenance" because the provenance models reverse it."""

from django.urls import path

from claims import provenance_views as views

app_name = "provenance"

urlpatterns = [
    path("sources/<slug:slug>/", views.source_detail, name="source"),
    path("people/<slug:slug>/", views.agent_detail, name="agent"),
    path("events/<slug:slug>/", views.event_detail, name="event"),
    path("search/", views.search, name="search"),
]
