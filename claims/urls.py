"""The public pages about claims: home, list, claim (HTML and JSON), methodology, the
Atom feed, the sitemap and robots.txt."""

from django.contrib.sitemaps.views import sitemap
from django.urls import path

from claims import views
from claims.feeds import RecentClaimsFeed
from claims.sitemaps import SITEMAPS

app_name = "claims"

urlpatterns = [
    path("", views.home, name="home"),
    path("claims/", views.claim_list, name="list"),
    path("claims/<slug:slug>.json", views.claim_json, name="json"),
    path("claims/<slug:slug>/", views.claim_detail, name="detail"),
    path("methodology/", views.methodology, name="methodology"),
    path("feed/", RecentClaimsFeed(), name="feed"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots"),
]
