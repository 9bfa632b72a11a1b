"""The curators' two roles and what each may do.

Curators add and change claims, evidence, sources, people and events, and move claims
between draft and review; they cannot publish and cannot delete. Editors can do all
that, and also publish, unpublish and delete. Superusers stand outside the roles.

A data migration creates the groups (claims/migrations/0004_curator_and_editor_groups);
`roles_sync` applies the same definition again, for the demo and the test suite. No
model imports here: the migration passes in its historical models.
"""

CURATORS = "Curators"
EDITORS = "Editors"

# The records curators keep, by app.
CURATED_MODELS = {
    "provenance": [
        "agent",
        "agentname",
        "affiliation",
        "event",
        "source",
        "sourcecreator",
        "citation",
        "custodyevent",
    ],
    "claims": ["claim", "evidence", "presentation", "topic"],
}
# The workflow's own record: readable by both roles, written only by the workflow.
READ_ONLY_MODELS = {"claims": ["claimtransition"]}


def role_permissions():
    """{group name: [(app_label, codename), ...]}"""
    curator = []
    for app_label, model_names in CURATED_MODELS.items():
        for model_name in model_names:
            curator += [
                (app_label, f"{action}_{model_name}") for action in ("add", "change", "view")
            ]
    for app_label, model_names in READ_ONLY_MODELS.items():
        curator += [(app_label, f"view_{model_name}") for model_name in model_names]
    editor = list(curator)
    for app_label, model_names in CURATED_MODELS.items():
        editor += [(app_label, f"delete_{model_name}") for model_name in model_names]
    editor.append(("claims", "publish_claim"))
    return {CURATORS: curator, EDITORS: editor}


def roles_sync(*, group_model, permission_model):
    """Create or update both groups so that each holds exactly its permissions."""
    from django.db.models import Q

    for name, wanted in role_permissions().items():
        group, _ = group_model.objects.get_or_create(name=name)
        query = Q(pk__in=[])
        for app_label, codename in wanted:
            query |= Q(content_type__app_label=app_label, codename=codename)
        permissions = list(permission_model.objects.filter(query))
        missing = set(wanted) - {(p.content_type.app_label, p.codename) for p in permissions}
        if missing:
            raise LookupError(f"Permissions missing for the {name} group: {sorted(missing)}")
        group.permissions.set(permissions)
