"""Every public address. The URL names keep the namespaces they were first published
under: `claims:` for the home page, the claim list and claims, the feed, sitemap and
robots.txt; `provenance:` for sources, people, events and the search (the provenance
models' `get_absolute_url` reverses them)."""

from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from reader.cache import claim_page_versions, public_page
from reader.feeds import ClaimFeed, RecentClaimsFeed, TopicFeed
from reader.sitemaps import SITEMAPS
from reader.views import claims, downloads, events, exports, lookups, people, search, sources

# Every page is public: cached for anonymous readers and read from the replica when
# there is one (reader/cache.py, config/db_router.py). The pages about sources, people
# and events gather many claims, so any change to the data refreshes them.
claim_patterns = [
    path("", public_page(claims.home), name="home"),
    path("claims/", public_page(claims.claim_list), name="list"),
    path("subjects.json", public_page(lookups.subject_lookup), name="subject_lookup"),
    path(
        "claims/<slug:slug>.json",
        public_page(claims.claim_json, claim_page_versions),
        name="json",
    ),
    path(
        "claims/<slug:slug>/",
        public_page(claims.claim_detail, claim_page_versions),
        name="detail",
    ),
    *(
        path(
            f"claims/<slug:slug>.{ending}",
            public_page(exports.claim_citations, claim_page_versions),
            {"format": format},
            name=f"sources_{format}",
        )
        for format, (_, _, ending) in exports.CITATION_FORMATS.items()
    ),
    *(
        path(
            f"claims/<slug:slug>.{ending}",
            public_page(exports.claim_provenance, claim_page_versions),
            {"format": format},
            name=f"prov_{format}",
        )
        for format, (_, _, ending) in exports.PROV_FORMATS.items()
    ),
    path(
        "claims/<slug:slug>/feed/",
        public_page(ClaimFeed(), claim_page_versions),
        name="claim_feed",
    ),
    path("methodology/", public_page(claims.methodology), name="methodology"),
    path("feed/", public_page(RecentClaimsFeed()), name="feed"),
    path("topics/<slug:slug>/feed/", public_page(TopicFeed()), name="topic_feed"),
    path("download/", public_page(downloads.download_page), name="download"),
    # A file from storage, not a page: never in the page cache.
    path("download/corroborate-archive.zip", downloads.download_file, name="download_file"),
    path("sitemap.xml", public_page(sitemap), {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", public_page(claims.robots_txt), name="robots"),
]

provenance_patterns = [
    path("sources/<slug:slug>/", public_page(sources.source_detail), name="source"),
    *(
        path(
            f"sources/<slug:slug>.{ending}",
            public_page(exports.source_citation),
            {"format": format},
            name=f"source_{format}",
        )
        for format, (_, _, ending) in exports.CITATION_FORMATS.items()
    ),
    path("people/<slug:slug>/", public_page(people.agent_detail), name="agent"),
    path("events/<slug:slug>/", public_page(events.event_detail), name="event"),
    path("search/", public_page(search.search_page), name="search"),
]

urlpatterns = [
    path("", include((provenance_patterns, "provenance"))),
    path("", include((claim_patterns, "claims"))),
]
