from django.apps import AppConfig


class ReaderConfig(AppConfig):
    """What readers see: the public pages, their reads, presenters and page cache."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "reader"

    def ready(self):
        from reader import cache, edge

        cache.connect()  # public pages leave the cache when what they show changes
        edge.connect()  # and shared caches in front of the site are purged of them
