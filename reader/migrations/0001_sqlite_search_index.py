"""The search's FTS5 index on SQLite (reader/search_index.py): its tables, filled from
the records, and the triggers that keep them in step. PostgreSQL keeps stored
documents instead (claims/migrations/0007, provenance/migrations/0003), so this does
nothing there.
"""

from django.db import migrations

from reader import search_index


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        with schema_editor.connection.cursor() as cursor:
            search_index.index_create(cursor)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        with schema_editor.connection.cursor() as cursor:
            search_index.index_drop(cursor)


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0014_help_texts_for_historians"),
        ("provenance", "0007_curators_words_for_people_and_organisations"),
    ]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
