"""Indexes for matching a search against names alone (PostgreSQL only; reader/search.py).

A search also finds the claims and sources linked to an agent whose own name or other
name matches. Without these indexes each name was parsed again for every agent the
agent's whole document matched: a word in every agent's description made that every
agent, and at a million claims a search for it took seconds.

The expressions are the ones the search writes (`SearchVector("name",
config="english")`), so that the planner takes the index for them.
"""

from django.db import migrations

FORWARD = """
CREATE INDEX prov_agent_name_search ON provenance_agent
    USING gin (to_tsvector('english'::regconfig, COALESCE(name, '')));
CREATE INDEX prov_agentname_name_search ON provenance_agentname
    USING gin (to_tsvector('english'::regconfig, COALESCE(name, '')));
-- The planner's estimate of how many names match comes from the expressions'
-- statistics, which an index's table has only once analysed.
ANALYZE provenance_agent;
ANALYZE provenance_agentname;
"""

BACKWARD = """
DROP INDEX IF EXISTS prov_agentname_name_search;
DROP INDEX IF EXISTS prov_agent_name_search;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("provenance", "0007_curators_words_for_people_and_organisations")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
