"""Stored full-text search documents for agents and sources, each with a GIN index
(PostgreSQL only; reader/search.py reads them).

Measured at 100,000 claims: an agent's document took its other names (AgentName)
through a subquery for every agent, which no index can hold (0.4–0.5 s a search), and
ranking re-parsed the text of every matching row. A stored tsvector is indexed and
ranked without re-parsing.

- ``provenance_source.search_document`` is a generated column (title A, description
  B): PostgreSQL keeps it right on every write, COPY included.
- ``provenance_agent.search_document`` (name A, other names A, description C) draws on
  another table, which a generated column cannot, so triggers keep it: one on the agent
  (insert, or a change of name or description) and one on its other names (insert,
  update, delete) that recomputes the agent's document. Bulk loads (``loaddata``, the
  generator's COPY) need nothing more; an other name written before its agent is
  picked up when the agent is inserted.

The columns are not declared on the models: SQLite has neither tsvector nor triggers
like these (its search is the icontains fallback), and Django never writes them.
"""

from django.db import migrations

CONFIG = "'english'::regconfig"


def _weighted(text, weight):
    return f"setweight(to_tsvector({CONFIG}, COALESCE({text}, '')), '{weight}')"


SOURCE_DOCUMENT = f"{_weighted('title', 'A')} || {_weighted('description', 'B')}"

FORWARD = f"""
ALTER TABLE provenance_source ADD COLUMN search_document tsvector
    GENERATED ALWAYS AS ({SOURCE_DOCUMENT}) STORED;
CREATE INDEX prov_source_search_document ON provenance_source USING gin (search_document);

ALTER TABLE provenance_agent ADD COLUMN search_document tsvector;

CREATE FUNCTION provenance_agent_search_document(agent_id bigint, name text, description text)
RETURNS tsvector LANGUAGE sql STABLE AS $$
    SELECT {_weighted("name", "A")}
        || {
    _weighted(
        "(SELECT string_agg(other.name, ' ' ORDER BY other.name)"
        " FROM provenance_agentname other WHERE other.agent_id = $1)",
        "A",
    )
}
        || {_weighted("description", "C")}
$$;

CREATE FUNCTION provenance_agent_keep_search_document() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_document := provenance_agent_search_document(NEW.id, NEW.name, NEW.description);
    RETURN NEW;
END
$$;

CREATE TRIGGER provenance_agent_search_document
    BEFORE INSERT OR UPDATE OF name, description ON provenance_agent
    FOR EACH ROW EXECUTE FUNCTION provenance_agent_keep_search_document();

CREATE FUNCTION provenance_agentname_keep_search_document() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    -- OLD is NULL on insert and NEW on delete; an update may move the name to
    -- another agent, so both agents are recomputed.
    UPDATE provenance_agent agent
    SET search_document = provenance_agent_search_document(agent.id, agent.name, agent.description)
    WHERE agent.id IN (OLD.agent_id, NEW.agent_id);
    RETURN NULL;
END
$$;

CREATE TRIGGER provenance_agentname_search_document
    AFTER INSERT OR UPDATE OR DELETE ON provenance_agentname
    FOR EACH ROW EXECUTE FUNCTION provenance_agentname_keep_search_document();

UPDATE provenance_agent
SET search_document = provenance_agent_search_document(id, name, description);
CREATE INDEX prov_agent_search_document ON provenance_agent USING gin (search_document);

-- The planner estimates how many rows a search matches from the column's statistics;
-- a new column has none until the next autovacuum analyses the table.
ANALYZE provenance_agent;
ANALYZE provenance_source;
"""

BACKWARD = """
DROP TRIGGER IF EXISTS provenance_agentname_search_document ON provenance_agentname;
DROP FUNCTION IF EXISTS provenance_agentname_keep_search_document();
DROP TRIGGER IF EXISTS provenance_agent_search_document ON provenance_agent;
DROP FUNCTION IF EXISTS provenance_agent_keep_search_document();
DROP FUNCTION IF EXISTS provenance_agent_search_document(bigint, text, text);
ALTER TABLE provenance_agent DROP COLUMN IF EXISTS search_document;
ALTER TABLE provenance_source DROP COLUMN IF EXISTS search_document;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("provenance", "0002_updated_at_database_default")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
