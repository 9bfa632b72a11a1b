"""Public pages about where evidence comes from (sources, people, events) and the
search. The namespace is "provenance" because the provenance models reverse it."""

from django.urls import path

from claims import provenance_views as views
from claims.cache import public_page

app_name = "provenance"

# Cached for anonymous readers and read from the replica when there is one; these
# pages gather many claims, so any change to the data refreshes them (claims/cache.py).
urlpatterns = [
    path("sources/<slug:slug>/", public_page(views.source_detail), name="source"),
    path("people/<slug:slug>/", public_page(views.agent_detail), name="agent"),
    path("events/<slug:slug>/", public_page(views.event_detail), name="event"),
    path("search/", public_page(views.search), name="search"),
]
