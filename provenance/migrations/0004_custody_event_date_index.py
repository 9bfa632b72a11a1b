"""An index for an event's page: what happened to sources there, in date order.

Measured at 100,000 claims (EXPLAIN ANALYZE, busiest event, 1,900 custody events): the
first page of 20 walked the whole date index and threw away the other events' rows,
57,520 of them, in 125 ms. With the event first in the index the page reads its 20 rows
directly.

Created in SQL, outside Django's model state, so that the model needs no change for it
(see docs/decisions.md); it is a plain B-tree index that SQLite builds too.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("provenance", "0003_search_documents")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX prov_custodyevent_event_date "
            "ON provenance_custodyevent (event_id, date_lower, id)",
            "DROP INDEX prov_custodyevent_event_date",
        ),
    ]
