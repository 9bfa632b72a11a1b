"""Indexes for the public claim list: one per sort order, and two for its filters.

Measured at 100,000 claims on PostgreSQL (EXPLAIN ANALYZE, docs/benchmarks.md):

- Each sort order is read as one row of keys compared as a whole
  (reader/filters.py SORTS, reader/pagination.py), so every page, the last included,
  is one range of one index: 0.3–2 ms instead of 40–180 ms sorting every published
  claim (the statement and claimed-date orders had no index at all). The claimed-date
  keys are COALESCE expressions, exactly as filters.py writes them, so that claims
  without a date still have a place in the order; a change there must change them here.
- (status, strength_level, id) and the topics' (topic_id, claim_id) let the count of a
  list filtered by strength and topic read two indexes and hash them together: 170 ms
  → 24 ms, where it fetched every claim of the topic from the table.

Raw SQL, not model indexes, for the expression indexes and so that the model state
stays plain; the same statements run on SQLite, whose indexes serve the same queries.
"""

from django.db import migrations

INDEXES = {
    "claims_claim_list_updated": "claims_claim (status, updated_at, id)",
    "claims_claim_list_strength": (
        "claims_claim (status, strength_rank, support_score, statement, id)"
    ),
    "claims_claim_list_earliest": (
        "claims_claim (status, (COALESCE(date_lower, '9999-12-31')), statement, id)"
    ),
    "claims_claim_list_latest": (
        "claims_claim (status, (COALESCE(date_upper, '0001-01-01')), statement, id)"
    ),
    "claims_claim_list_statement": "claims_claim (status, statement, id)",
    "claims_claim_list_level": "claims_claim (status, strength_level, id)",
    "claims_claim_topics_by_topic": "claims_claim_topics (topic_id, claim_id)",
}


def _expression(connection, definition):
    # PostgreSQL compares the index's expression with the query's, types included.
    if connection.vendor == "postgresql":
        return definition.replace("'9999-12-31'", "'9999-12-31'::date").replace(
            "'0001-01-01'", "'0001-01-01'::date"
        )
    return definition


def create_indexes(apps, schema_editor):
    for name, definition in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON "
            f"{_expression(schema_editor.connection, definition)}"
        )


def drop_indexes(apps, schema_editor):
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("claims", "0008_presentation_event_date_index")]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
