"""The admin app, pointed at the project's admin site (config/admin.py)."""

from django.contrib.admin.apps import AdminConfig


class CorroborateAdminConfig(AdminConfig):
    default_site = "config.admin.CorroborateAdminSite"
