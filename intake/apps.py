from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "intake"
    verbose_name = "Imports"

    def ready(self):
        from intake import recording

        recording.connect()
