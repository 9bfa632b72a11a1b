"""The public pages about claims: home, list, claim (HTML and JSON), methodology, the
Atom feed, the sitemap and robots.txt."""

from django.contrib.sitemaps.views import sitemap
from django.urls import path

from claims import lookup_views, views
from claims.cache import claim_page_versions, public_page
from claims.feeds import RecentClaimsFeed
from claims.sitemaps import SITEMAPS

app_name = "claims"

# Every page is public: cached for anonymous readers and read from the replica when
# there is one (claims/cache.py, config/db_router.py).
urlpatterns = [
    path("", public_page(views.home), name="home"),
    path("claims/", public_page(views.claim_list), name="list"),
    path("subjects.json", public_page(lookup_views.subject_lookup), name="subject_lookup"),
    path(
        "claims/<slug:slug>.json",
        public_page(views.claim_json, claim_page_versions),
        name="json",
    ),
    path(
        "claims/<slug:slug>/",
        public_page(views.claim_detail, claim_page_versions),
        name="detail",
    ),
    path("methodology/", public_page(views.methodology), name="methodology"),
    path("feed/", public_page(RecentClaimsFeed()), name="feed"),
    path("sitemap.xml", public_page(sitemap), {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", public_page(views.robots_txt), name="robots"),
]
