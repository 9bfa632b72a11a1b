"""The public pages about claims: home, list, detail (HTML and JSON), methodology,
the Atom feed, the sitemap and robots.txt."""

from django.urls import path

from claims import views

app_name = "claims"

urlpatterns = [
    path("", views.home, name="home"),
    path("claims/", views.claim_list, name="list"),
    path("claims/<slug:slug>.json", views.claim_json, name="json"),
    path("claims/<slug:slug>/", views.claim_detail, name="detail"),
    path("methodology/", views.methodology, name="methodology"),
    path("feed/", views.feed, name="feed"),
    path("sitemap.xml", views.sitemap, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots"),
]
