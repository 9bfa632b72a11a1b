"""Imports in the admin: the record of each import, so that it can be listed and undone
as one (see intake/models.py and intake/services.py). Knows nothing of the models it
imports: provenance and claims bring their own resources and admins."""
