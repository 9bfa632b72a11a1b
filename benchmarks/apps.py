from django.apps import AppConfig


class BenchmarksConfig(AppConfig):
    """The archive generator's command; no models."""

    name = "benchmarks"
