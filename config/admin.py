"""The admin site: Django's, with the curators' apps first and their models in the
order a curator works (a claim, its evidence, then where the evidence comes from)
instead of alphabetical order."""

from django.contrib import admin

# App label → model names, in the order the index and the sidebar list them. Apps and
# models not named here follow, in Django's alphabetical order.
ADMIN_ORDER = {
    "claims": ["claim", "evidence", "presentation", "topic", "claimtransition"],
    "provenance": [
        "source",
        "agent",
        "event",
        "custodyevent",
        "citation",
        "sourcecreator",
        "agentname",
        "affiliation",
    ],
}


class CorroborateAdminSite(admin.AdminSite):
    def get_app_list(self, request, app_label=None):
        apps = super().get_app_list(request, app_label)
        app_order = list(ADMIN_ORDER)

        def app_position(app):
            label = app["app_label"]
            return (app_order.index(label) if label in app_order else len(app_order),)

        for app in apps:
            model_order = ADMIN_ORDER.get(app["app_label"], [])
            app["models"].sort(
                key=lambda model: (
                    model_order.index(model["object_name"].lower())
                    if model["object_name"].lower() in model_order
                    else len(model_order)
                )
            )
        # Stable sorts: what is not named keeps Django's alphabetical order.
        apps.sort(key=app_position)
        return apps
