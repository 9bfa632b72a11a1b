"""Corroborate's pages side by side with Datasette's on the same SQLite archive.

    pip install -e '.[bench]'
    python benchmarks/datasette.py /tmp/corroborate_sqlite_100k.sqlite3 \\
        [--requests 100] [--no-report]

The file must hold an archive made by `manage.py generate_archive` on SQLite (migrated,
so the search's FTS5 index is in it). Two servers read it, on 127.0.0.1:

- the project under gunicorn with the production settings (DEBUG off, as
  benchmarks/loadtest.sh serves it), one sync worker, its page cache off (Django's
  DummyCache, through `uncached_application()` below): Datasette caches no page, so
  a cached page would compare a cache lookup with a query;
- Datasette, with its default settings, opening the file immutable (read-only, no
  locking): neither server writes to it (the project's reads never write, which
  tests/reader/test_reads_never_write.py asserts), so both read the same file and
  share the same operating-system cache, where two copies would compete for it.

Then it requests each pair of equivalent pages in turn, one request at a time, in
alternating order (ours first in even rounds, Datasette's first in odd ones), after a
few requests of each unmeasured. A request is timed from sending it to reading the
whole answer, over a kept-alive connection; the servers' CPU time (user + system, of
every process of each server, from /proc) is read around the whole run of each page.
The pairs:

- claim list, page 1: our list against Datasette's table of published claims sorted
  as ours (most recently updated first), 20 rows a page as ours;
- claim list, strong: the same with the strength filter;
- claim page: a published claim with ten evidence items, against Datasette's page of
  its row;
- word search: our search (claims, sources and people, the visibility rule, snippets)
  for the family name the benchmark searches (benchmarks/run.py), against Datasette's
  table of published claims searched for it with `?_search=` through our FTS5 table
  of claims. Datasette finds an FTS table by itself only when it is an
  external-content table of the searched table (content="claims_claim"); ours is a
  plain FTS5 table whose rowid is the claim's id, so its metadata names it
  (`fts_table`, `fts_pk`), as Datasette's documentation says to for such a table.

It prints the table and writes it to benchmarks/results/datasette.md, which
benchmarks/run.py puts in docs/benchmarks.md under "Datasette" (not with
--no-report). Not part of the test suite: it takes minutes and wants a quiet machine.
"""

import argparse
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this file's folder is on the path and the project's root is not.
sys.path.insert(0, str(ROOT))
from benchmarks import run  # noqa: E402
from reader import search_index  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
OURS_PORT = 8210
DATASETTE_PORT = 8211
WARM_UP = 3
# Datasette hashes an immutable file before it answers: most of a minute for 750 MB on
# a busy machine.
START_SECONDS = 600
PAGE_SIZE = 20  # the claim list's (reader/views/claims.py)


def uncached_application():
    """The project's WSGI application with its page cache off, for gunicorn:
    `gunicorn 'benchmarks.datasette:uncached_application()'`."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.conf import settings

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    from config.wsgi import application

    return application


def percentile(values, fraction):
    """The value at `fraction` of the way through `values` sorted, as run.py takes it."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))]


def summary(times_ms):
    return {"p50": statistics.median(times_ms), "p95": percentile(times_ms, 0.95)}


def report(rows, *, requests, load, started, claims):
    """The Markdown table: for each pair, both pages' p50 and p95 in ms, the servers'
    CPU per request, and ours ÷ Datasette's (above 1 in bold: slower than Datasette)."""

    def ratio(ours, theirs):
        value = ours / theirs if theirs else float("inf")
        return f"**{value:.2f}**" if value > 1 else f"{value:.2f}"

    lines = [
        f"`python benchmarks/datasette.py`, run {started} on {os.cpu_count()} cores "
        f"(Python {platform.python_version()}), on a SQLite archive of {claims:,} claims: "
        "the project under gunicorn (DEBUG off, one sync worker, page cache off) and "
        "Datasette (default settings, the file opened immutable) on 127.0.0.1, "
        f"{requests} requests of each page, one at a time, alternating between the two. "
        "Time from request to the whole answer; CPU is the server's, per request. "
        f"Load average (1 minute) {load[0]:.1f} before, {load[1]:.1f} after. "
        "Ratio: ours ÷ Datasette's (in bold where ours is slower).",
        "",
        "| page | ours p50 | ours p95 | ours CPU | Datasette p50 | Datasette p95 "
        "| Datasette CPU | ratio p50 | ratio p95 |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        ours, theirs = row["ours"], row["datasette"]
        lines.append(
            f"| {row['page']} | {ours['p50']:.1f} | {ours['p95']:.1f} | {ours['cpu']:.1f} "
            f"| {theirs['p50']:.1f} | {theirs['p95']:.1f} | {theirs['cpu']:.1f} "
            f"| {ratio(ours['p50'], theirs['p50'])} | {ratio(ours['p95'], theirs['p95'])} |"
        )
    lines += ["", "Addresses (ours; Datasette's):", ""]
    lines += [f"- {row['page']}: `{row['ours_path']}`; `{row['datasette_path']}`" for row in rows]
    return "\n".join(lines)


def datasette_table_path(database, *, search=None, **filters):
    """Datasette's table of published claims in `database` (its name for the file:
    the file's name without its suffix), as our list shows them."""
    arguments = {
        "status__exact": "published",
        **{f"{field}__exact": value for field, value in filters.items()},
        "_sort_desc": "updated_at",
        "_size": PAGE_SIZE,
    }
    if search is not None:
        # Ranked by the search, as ours, not by date.
        arguments = {"_search": search, "status__exact": "published", "_size": PAGE_SIZE}
    return f"/{database}/claims_claim?{urlencode(arguments)}"


def _pairs(database_path):
    """(page, our path, Datasette's path) for each pair measured, and the number of
    claims in the archive."""
    run._setup_django(f"sqlite:///{database_path}")
    from django.urls import reverse

    from claims.models import Claim

    pages = {name: url for name, url, _ in run._pages()}
    claim_url = pages["claim, 10 evidence items"]
    claim = Claim.objects.get(slug=claim_url.rstrip("/").rsplit("/", 1)[-1])
    family_name = pages["search"].split("?q=", 1)[1]
    claim_list = reverse("claims:list")
    name = database_path.stem
    pairs = [
        ("claim list, page 1", claim_list, datasette_table_path(name)),
        (
            "claim list, strong",
            f"{claim_list}?level=strong",
            datasette_table_path(name, strength_level="strong"),
        ),
        ("claim page", claim_url, f"/{name}/claims_claim/{claim.pk}"),
        ("word search", pages["search"], datasette_table_path(name, search=family_name)),
    ]
    return pairs, Claim.objects.count()


def _metadata(folder, database):
    """Datasette's metadata for `database`: the FTS5 table that searches claims_claim,
    by claim id."""
    path = folder / "metadata.json"
    tables = {"claims_claim": {"fts_table": search_index.CLAIMS.name, "fts_pk": "id"}}
    path.write_text(json.dumps({"databases": {database: {"tables": tables}}}))
    return path


def _start(command, *, env, port, probe):
    server = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        try:
            connection = HTTPConnection("127.0.0.1", port, timeout=60)
            connection.request("GET", probe)
            if connection.getresponse().status == 200:
                return server
        except OSError:
            pass
        if server.poll() is not None:
            raise SystemExit(f"{command[0]} stopped before answering on port {port}")
        time.sleep(0.5)
    _stop(server)
    raise SystemExit(f"{command[0]} did not answer on port {port} within {START_SECONDS} s")


def _stop(server):
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)


def _cpu_seconds(server):
    """User + system CPU of the server and every process of its session."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # After the name: state ppid pgrp session … utime (12th) stime (13th).
        if int(fields[3]) == server.pid:
            total += int(fields[11]) + int(fields[12])
    return total / ticks


def _get(connection, path):
    started = time.perf_counter()
    connection.request("GET", path)
    response = connection.getresponse()
    response.read()
    elapsed = (time.perf_counter() - started) * 1000
    if response.status != 200:
        raise SystemExit(f"{path} answered {response.status}")
    return elapsed


def measure(pairs, servers, *, requests):
    """Alternate the two servers' pages of each pair; p50, p95 and CPU per request."""
    rows = []
    connections = {
        name: HTTPConnection("127.0.0.1", port, timeout=60) for name, (port, _) in servers.items()
    }
    for page, ours_path, datasette_path in pairs:
        paths = {"ours": ours_path, "datasette": datasette_path}
        for _ in range(WARM_UP):
            for name, path in paths.items():
                _get(connections[name], path)
        times = {name: [] for name in paths}
        cpu = {name: _cpu_seconds(process) for name, (_, process) in servers.items()}
        for round_ in range(requests):
            order = list(paths) if round_ % 2 == 0 else list(reversed(paths))
            for name in order:
                times[name].append(_get(connections[name], paths[name]))
        row = {"page": page, "ours_path": ours_path, "datasette_path": datasette_path}
        for name, (_, process) in servers.items():
            used = _cpu_seconds(process) - cpu[name]
            row[name] = {**summary(times[name]), "cpu": used * 1000 / requests}
        rows.append(row)
        print(
            f"{page}: ours p50 {row['ours']['p50']:.1f} ms, Datasette p50 "
            f"{row['datasette']['p50']:.1f} ms",
            file=sys.stderr,
        )
    return rows


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("database", type=Path, help="a generated SQLite archive")
    parser.add_argument("--requests", type=int, default=100, help="of each page (100)")
    parser.add_argument("--no-report", action="store_true", help="print the table only")
    arguments = parser.parse_args()
    database = arguments.database.resolve()
    datasette = shutil.which("datasette") or str(Path(sys.executable).with_name("datasette"))
    if not Path(datasette).exists():
        raise SystemExit("Datasette is not installed: pip install -e '.[bench]'")

    pairs, claims = _pairs(database)
    load_before = os.getloadavg()[0]
    started = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "DEBUG": "0",
        "SECRET_KEY": "datasette-benchmark-only-not-secret",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "REDIS_URL": "",
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    with tempfile.TemporaryDirectory() as scratch:
        metadata = _metadata(Path(scratch), database.stem)
        gunicorn = [
            *(sys.executable, "-m", "gunicorn", "benchmarks.datasette:uncached_application()"),
            *("--bind", f"127.0.0.1:{OURS_PORT}", "--workers", "1", "--log-level", "warning"),
        ]
        served = [
            *(datasette, "serve", "--immutable", str(database), "--metadata", str(metadata)),
            *("--host", "127.0.0.1", "--port", str(DATASETTE_PORT)),
        ]
        ours = _start(gunicorn, env=env, port=OURS_PORT, probe=pairs[0][1])
        try:
            theirs = _start(served, env=os.environ, port=DATASETTE_PORT, probe="/-/versions.json")
            try:
                servers = {"ours": (OURS_PORT, ours), "datasette": (DATASETTE_PORT, theirs)}
                rows = measure(pairs, servers, requests=arguments.requests)
            finally:
                _stop(theirs)
        finally:
            _stop(ours)
    load = (load_before, os.getloadavg()[0])
    text = report(rows, requests=arguments.requests, load=load, started=started, claims=claims)
    print(text)
    if not arguments.no_report:
        RESULTS.mkdir(exist_ok=True)
        (RESULTS / "datasette.md").write_text(text + "\n")
        print(f"wrote {(RESULTS / 'datasette.md').relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
