from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "claims"
    verbose_name = "Claims and evidence"

    def ready(self):
        from claims import signals  # noqa: F401  (connects the recomputation receivers)
