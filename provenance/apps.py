from django.apps import AppConfig


class ProvenanceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "provenance"
    # The public pages' words: readers never meet "agents".
    verbose_name = "Sources, people and organisations"
