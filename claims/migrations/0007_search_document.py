"""A stored full-text search document for claims, with a GIN index, in place of the
expression indexes of 0005 (PostgreSQL only; reader/search.py reads it).

Measured at 100,000 claims: the expression index found matches, but ranking them
re-parsed every matching claim's statement and summary (about 50 µs a claim: 0.9 s for
a word in every claim at 10,000). ``claims_claim.search_document`` is a generated
column (statement A, summary B), so PostgreSQL keeps it right on every write, the
generator's COPY included, and ranking reads it. The sources' document is
provenance's own (provenance/migrations/0003_search_documents.py); this drops both
expression indexes 0005 made, which nothing uses any more.

Not declared on the model: SQLite's search is the icontains fallback, and Django never
writes the column.
"""

import importlib

from django.db import migrations

CONFIG = "'english'::regconfig"
DOCUMENT = (
    f"setweight(to_tsvector({CONFIG}, COALESCE(statement, '')), 'A') || "
    f"setweight(to_tsvector({CONFIG}, COALESCE(summary, '')), 'B')"
)
EXPRESSION_INDEXES = importlib.import_module("claims.migrations.0005_full_text_search_indexes")


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"ALTER TABLE claims_claim ADD COLUMN search_document tsvector "
        f"GENERATED ALWAYS AS ({DOCUMENT}) STORED",
        params=None,
    )
    schema_editor.execute(
        "CREATE INDEX claims_claim_search_document ON claims_claim USING gin (search_document)",
        params=None,
    )
    EXPRESSION_INDEXES.drop_indexes(apps, schema_editor)
    # The planner estimates how many claims a search matches from the column's
    # statistics; a new column has none until the next autovacuum analyses the table.
    schema_editor.execute("ANALYZE claims_claim", params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    EXPRESSION_INDEXES.create_indexes(apps, schema_editor)
    schema_editor.execute(
        "ALTER TABLE claims_claim DROP COLUMN IF EXISTS search_document", params=None
    )


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0006_claim_assessment_detail"),
        ("provenance", "0003_search_documents"),
    ]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
