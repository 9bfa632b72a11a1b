"""Create the "Curators" and "Editors" groups with their permissions (claims/roles.py)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from claims import roles


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations have run; create them now
    # so the groups can be given them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, using=schema_editor.connection.alias, apps=apps)
        app_config.models_module = None
    roles.roles_sync(
        group_model=apps.get_model("auth", "Group"),
        permission_model=apps.get_model("auth", "Permission"),
    )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(
        name__in=[roles.CURATORS, roles.EDITORS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("provenance", "0002_updated_at_database_default"),
        ("claims", "0003_workflow_moves_and_publish_permission"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
