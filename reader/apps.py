from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate


class ReaderConfig(AppConfig):
    """What readers see: the public pages, their reads, presenters and page cache."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "reader"

    def ready(self):
        from reader import cache, edge

        cache.connect()  # public pages leave the cache when what they show changes
        edge.connect()  # and shared caches in front of the site are purged of them
        # For every app, as Django sends it only for apps with models (reader has
        # none); after the first, nothing is missing.
        post_migrate.connect(_restore_search_triggers)


def _restore_search_triggers(sender, using, verbosity=1, **kwargs):
    """A migration that remade a searched table on SQLite dropped its search triggers
    (reader/search_index.py): put them back and rebuild the index."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    from reader import search_index

    with connection.cursor() as cursor:
        restored = search_index.triggers_restore(cursor)
    if restored and verbosity:
        print(f"  Restored {len(restored)} search triggers and rebuilt the search index.")
