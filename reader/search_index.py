"""The search's full-text index on SQLite: FTS5 tables kept in step by triggers.

PostgreSQL keeps a weighted document in each searched table (claims/migrations/0007,
provenance/migrations/0003); SQLite has FTS5 instead. Each `Document` here is one FTS5
table whose rowid is the record's id and whose columns are the fields of that
PostgreSQL document, each with its PostgreSQL weight, which the search's bm25 ranking
reads (`bm25_weights`): a claim's statement (A) and summary (B); a source's title (A)
and description (B); an agent's name (A), other names (A) and description (C). One
more table holds each other name alone, so that a name matches only when the whole
query is in that one name (reader/search.py).

Triggers keep the tables right on every write, as on PostgreSQL: a curator's save,
`.update()`, `loaddata` and the generator's executemany alike. An agent's other names
are in its row, so the other names' triggers rewrite it. Django remakes a SQLite table
for most changes of a field (a new table, the rows copied, the old one dropped), and
dropping a table drops its triggers: after every `migrate`, `triggers_restore` puts
back the missing ones and rebuilds the index (reader/apps.py).
"""

from dataclasses import dataclass

# ts_rank's default weights, which PostgreSQL's search ranks with: how much a word
# counts in a field labelled A, B, C or D.
WEIGHTS = {"A": 1.0, "B": 0.4, "C": 0.2, "D": 0.1}
# English stemming, as PostgreSQL's 'english' configuration: "approves" finds "approved".
TOKENIZE = "porter unicode61"


@dataclass(frozen=True)
class Column:
    """One column of an FTS5 table: `text` is the SQL giving it from a row of the
    indexed table (`{row}` is that row), the field of the same name by default."""

    name: str
    weight: str = "A"
    text: str = ""

    def value(self, row):
        return self.text.format(row=row) if self.text else f"{row}.{self.name}"


@dataclass(frozen=True)
class Document:
    """An FTS5 table (`name`) holding the text of each row of `table`, rowid = its id;
    `watched` are the fields whose change rewrites the row."""

    name: str
    table: str
    columns: tuple[Column, ...]

    @property
    def watched(self):
        return [column.name for column in self.columns if not column.text]

    def bm25_weights(self):
        return ", ".join(str(WEIGHTS[column.weight]) for column in self.columns)

    def values(self, row):
        return ", ".join(column.value(row) for column in self.columns)

    def column_names(self):
        return ", ".join(column.name for column in self.columns)


def _other_names_of(agent_id):
    return (
        "(SELECT group_concat(name, ' ') FROM (SELECT name FROM provenance_agentname"
        f" WHERE agent_id = {agent_id} ORDER BY name))"
    )


CLAIMS = Document(
    "reader_claim_search", "claims_claim", (Column("statement", "A"), Column("summary", "B"))
)
SOURCES = Document(
    "reader_source_search", "provenance_source", (Column("title", "A"), Column("description", "B"))
)
AGENTS = Document(
    "reader_agent_search",
    "provenance_agent",
    (
        Column("name", "A"),
        Column("other_names", "A", _other_names_of("{row}.id")),
        Column("description", "C"),
    ),
)
OTHER_NAMES = Document("reader_agentname_search", "provenance_agentname", (Column("name"),))
DOCUMENTS = (CLAIMS, SOURCES, AGENTS, OTHER_NAMES)


def _triggers():
    """{trigger name: CREATE TRIGGER statement} for every trigger of the index."""
    triggers = {}
    for document in DOCUMENTS:
        name, table = document.name, document.table
        triggers[f"{name}_insert"] = (
            f"CREATE TRIGGER {name}_insert AFTER INSERT ON {table} BEGIN"
            f" INSERT INTO {name} (rowid, {document.column_names()})"
            f" VALUES (new.id, {document.values('new')}); END"
        )
        changed = ", ".join(document.watched)
        assignments = ", ".join(f"{column} = new.{column}" for column in document.watched)
        triggers[f"{name}_update"] = (
            f"CREATE TRIGGER {name}_update AFTER UPDATE OF {changed} ON {table} BEGIN"
            f" UPDATE {name} SET {assignments} WHERE rowid = new.id; END"
        )
        triggers[f"{name}_delete"] = (
            f"CREATE TRIGGER {name}_delete AFTER DELETE ON {table} BEGIN"
            f" DELETE FROM {name} WHERE rowid = old.id; END"
        )
    # An other name written, corrected, moved to another agent or deleted rewrites the
    # other names of the agents it left and joined.
    rewrite = (
        f"UPDATE {AGENTS.name} SET other_names = {_other_names_of(f'{AGENTS.name}.rowid')}"
        " WHERE rowid IN ({agents});"
    )
    for event, agents in (
        ("INSERT", "new.agent_id"),
        ("UPDATE OF name, agent_id", "old.agent_id, new.agent_id"),
        ("DELETE", "old.agent_id"),
    ):
        trigger = f"{AGENTS.name}_other_names_{event.split()[0].lower()}"
        triggers[trigger] = (
            f"CREATE TRIGGER {trigger} AFTER {event} ON provenance_agentname BEGIN "
            f"{rewrite.format(agents=agents)} END"
        )
    return triggers


TRIGGERS = _triggers()


def index_installed(cursor):
    """True once the migration made the index (reader/migrations/0001)."""
    cursor.execute(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = %s",
        [CLAIMS.name],
    )
    return cursor.fetchone()[0] > 0


def _existing_triggers(cursor):
    cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
    return {name for (name,) in cursor.fetchall()}


def index_create(cursor):
    """Make the FTS5 tables and their triggers, and fill the tables."""
    for document in DOCUMENTS:
        cursor.execute(
            f"CREATE VIRTUAL TABLE {document.name} USING fts5("
            f"{document.column_names()}, tokenize = '{TOKENIZE}')"
        )
    for statement in TRIGGERS.values():
        cursor.execute(statement)
    index_rebuild(cursor)


def index_drop(cursor):
    for trigger in TRIGGERS:
        cursor.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    for document in DOCUMENTS:
        cursor.execute(f"DROP TABLE IF EXISTS {document.name}")


def index_rebuild(cursor):
    """Write every row of the index afresh from the records, and merge each table's
    index into one b-tree (bulk writes leave it in many); return the rows written per
    FTS5 table."""
    written = {}
    for document in DOCUMENTS:
        cursor.execute(f"DELETE FROM {document.name}")
        cursor.execute(
            f"INSERT INTO {document.name} (rowid, {document.column_names()})"
            f" SELECT id, {document.values(document.table)} FROM {document.table}"
        )
        written[document.name] = cursor.rowcount
        cursor.execute(f"INSERT INTO {document.name} ({document.name}) VALUES ('optimize')")
    return written


def triggers_restore(cursor):
    """Put back the triggers a table's remake dropped, and rebuild the index, which
    missed whatever was written meanwhile; return the triggers restored."""
    if not index_installed(cursor):
        return []
    missing = [name for name in TRIGGERS if name not in _existing_triggers(cursor)]
    for name in missing:
        cursor.execute(TRIGGERS[name])
    if missing:
        index_rebuild(cursor)
    return missing
