"""GIN indexes for the PostgreSQL full-text search of claims and sources (reader/search.py).

Chosen from the benchmark (docs/benchmarks.md, docs/decisions.md): at 100,000 claims the
search page spent 3.3 s scanning claims and 2.5 s scanning sources, computing every
row's tsvector. Each index holds exactly the expression search.py builds (weighted
statement + summary; weighted title + description, config "english"), so the planner
uses it; a change to those expressions there must change them here.

Raw SQL on PostgreSQL only: SQLite has no GIN indexes (its search is the icontains
fallback), and expression indexes declared on the models would tie the model state to
PostgreSQL functions.
"""

from django.db import migrations

INDEXES = {
    "claims_claim_search": (
        "claims_claim",
        "setweight(to_tsvector('english'::regconfig, COALESCE(statement, '')), 'A') || "
        "setweight(to_tsvector('english'::regconfig, COALESCE(summary, '')), 'B')",
    ),
    "prov_source_search": (
        "provenance_source",
        "setweight(to_tsvector('english'::regconfig, COALESCE(title, '')), 'A') || "
        "setweight(to_tsvector('english'::regconfig, COALESCE(description, '')), 'B')",
    ),
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, (table, expression) in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (({expression}))"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0004_curator_and_editor_groups"),
        ("provenance", "0002_updated_at_database_default"),
    ]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
