"""Measure Corroborate's pages against generated archives and write docs/benchmarks.md.

    python benchmarks/run.py \\
        --database sqlite-1k=sqlite:////tmp/bench_1k.sqlite3 \\
        --database pg-100k=postgres://postgres@127.0.0.1:5432/corroborate_bench \\
        [--requests 200] [--recompute] [--demo-load]

Each database must hold an archive made by `manage.py generate_archive`. For each one,
a child process (Django configured for that database) requests every page in process
from the WSGI application, as gunicorn calls it (`WSGIClient`), with caching off
(DummyCache), and records server-side
latency percentiles, the number of queries, the time of the page's own SQL run alone
(the queries captured, re-run raw through a cursor) and the ratio page ÷ SQL, which is
the cost of Django's own work. On PostgreSQL it also keeps EXPLAIN ANALYZE of the
slowest queries. Results go to benchmarks/results/<label>.json; the report is built
from every results file there, so databases can be measured one at a time.

Not part of the test suite: it takes minutes and wants a quiet machine.
"""

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
REPORT = ROOT / "docs" / "benchmarks.md"
# A page so slow that `requests` of them would take longer than --seconds-per-page is
# measured this many times at least, and the table says how many.
MIN_REQUESTS = 5
# A page whose first request takes longer than this is reported as too slow to measure.
TOO_SLOW_SECONDS = 30
SLOWEST = "The slowest queries on PostgreSQL"
TARGETS = "Targets (PostgreSQL"


# In the child process: Django set up for one database


def _setup_django(database_url):
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    # Query logging on every cursor costs a little per query; measure without it.
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["testserver"]
    # One connection for the whole run: one closed after CONN_MAX_AGE and opened again
    # inside a measured request would add its setup statements to the page's queries.
    settings.DATABASES["default"]["CONN_MAX_AGE"] = None
    # The served application's garbage collection, as config/wsgi.py sets it.
    from config import gc_tuning

    gc_tuning.tune()


def _pages():
    """(name, url, needs a logged-in superuser) for every page measured."""
    from django.db.models import Count, Q
    from django.urls import reverse

    from claims.models import Claim, Evidence, Presentation, Topic
    from provenance.models import Agent, Citation, CustodyEvent, Event, Source, SourceCreator
    from reader.filters import DEFAULT_SORT, SORTS

    published = Claim.objects.published()
    wide = (
        published.annotate(n=Count("evidence"))
        .filter(n__gte=50)
        .order_by("pk")
        .values_list("slug", flat=True)
        .first()
    )
    typical = (
        published.annotate(n=Count("evidence"))
        .filter(n=10)
        .order_by("pk")
        .values_list("slug", flat=True)
        .first()
    )
    topic = Topic.objects.filter(parent__isnull=False).order_by("pk").first()
    sample = Source.objects.order_by("pk")[:2000].annotate(n=Count("evidence"))
    counts = sorted((row.n, row.pk, row.slug) for row in sample if row.n)
    source_typical = counts[len(counts) // 2][2]
    people = (
        Agent.objects.filter(kind=Agent.Kind.PERSON)
        .order_by("pk")[:2000]
        .annotate(n=Count("claims_about", filter=Q(claims_about__status="published")))
    )
    people = sorted((row.n, row.pk, row.slug, row.name) for row in people if row.n)
    person_typical = people[len(people) // 2]
    # The busiest records of the whole archive, by the rows their pages list, counted
    # on the tables that link them (quick even at 100,000 claims).
    person = {"agent__kind": Agent.Kind.PERSON}
    person_busiest = _busiest(
        Agent,
        (Claim.subjects.through.objects.filter(**person, claim__status="published"), "agent"),
        (SourceCreator.objects.filter(**person), "agent"),
        (Presentation.presenters.through.objects.filter(**person), "agent"),
    )
    source_busiest = _busiest(
        Source,
        (Evidence.objects.filter(claim__status="published"), "source"),
        (Citation.objects.all(), "cited"),
        (Presentation.objects.filter(reported_in__isnull=False), "reported_in"),
    )
    presented_at = Presentation.objects.filter(event__isnull=False)
    events = list(presented_at.values("event").annotate(n=Count("pk")).order_by("n", "event"))
    event_typical = Event.objects.get(pk=events[len(events) // 2]["event"]).slug if events else None
    event_busiest = _busiest(
        Event,
        (presented_at, "event"),
        (CustodyEvent.objects.filter(event__isnull=False), "event"),
    )
    family_name = person_typical[3].split()[-1]
    # The last claim of the API's first page, in its default order.
    second = published.order_by(*SORTS[DEFAULT_SORT].ordering()).values_list("slug", flat=True)[19]
    claim_list = reverse("claims:list")
    pages = [
        ("home", reverse("claims:home"), False),
        ("claim list, page 1", claim_list, False),
        # The list reads pages after a claim, and the last one from the end.
        ("claim list, last page", f"{claim_list}?page=last", False),
        (
            "claim list, strong + topic, page 1",
            f"{claim_list}?level=strong&topic={topic.slug}",
            False,
        ),
        (
            "claim list, strong + topic, last page",
            f"{claim_list}?level=strong&topic={topic.slug}&page=last",
            False,
        ),
        ("claim, 10 evidence items", reverse("claims:detail", args=[typical]), False),
        ("claim, 50 evidence items", reverse("claims:detail", args=[wide]), False),
        ("source, typical", reverse("provenance:source", args=[source_typical]), False),
        ("source, busiest", reverse("provenance:source", args=[source_busiest]), False),
        ("person, typical", reverse("provenance:agent", args=[person_typical[2]]), False),
        ("person, busiest", reverse("provenance:agent", args=[person_busiest]), False),
        ("event, typical", reverse("provenance:event", args=[event_typical]), False),
        ("event, busiest", reverse("provenance:event", args=[event_busiest]), False),
        ("search", f"{reverse('provenance:search')}?q={family_name}", False),
        # Every generated claim, source and person says "generated": each section stops
        # at its cap, and no name matches.
        ("search, a word in every record", f"{reverse('provenance:search')}?q=generated", False),
        # The read API (reader/api.py): the same lists and records, as JSON.
        ("API claim list, page 1", reverse("api:claims"), False),
        # Its cursor: the page after the first page's last claim.
        (
            "API claim list, page 2 (after a claim)",
            f"{reverse('api:claims')}?after={second}",
            False,
        ),
        (
            "API claim list, strong + topic, page 1",
            f"{reverse('api:claims')}?level=strong&topic={topic.slug}",
            False,
        ),
        (
            "API claim list, strong + topic, last page",
            f"{reverse('api:claims')}?level=strong&topic={topic.slug}&page=last",
            False,
        ),
        ("API claim, 10 evidence items", reverse("api:claim", args=[typical]), False),
        ("API claim, 50 evidence items", reverse("api:claim", args=[wide]), False),
        ("API sources, page 1", reverse("api:sources"), False),
        ("API source, typical", reverse("api:source", args=[source_typical]), False),
        ("API source, busiest", reverse("api:source", args=[source_busiest]), False),
        ("API people, page 1", reverse("api:agents"), False),
        ("API person, typical", reverse("api:agent", args=[person_typical[2]]), False),
        ("API person, busiest", reverse("api:agent", args=[person_busiest]), False),
        ("API events, page 1", reverse("api:events"), False),
        ("API event, typical", reverse("api:event", args=[event_typical]), False),
        ("API event, busiest", reverse("api:event", args=[event_busiest]), False),
        ("API topics, page 1", reverse("api:topics"), False),
        ("API topic", reverse("api:topic", args=[topic.slug]), False),
        ("admin claim list", reverse("admin:claims_claim_changelist"), True),
        (
            "admin claim list, published",
            f"{reverse('admin:claims_claim_changelist')}?status__exact=published",
            True,
        ),
    ]
    # An archive without a page's subject (no claim with 50 items) skips that page.
    return [page for page in pages if "/None/" not in page[1] and not page[1].endswith("/None")]


def _busiest(model, *links):
    """The slug of the record of `model` with the most rows in the given (queryset,
    name of the key to it) pairs, summed; None if it has none."""
    from collections import Counter

    from django.db.models import Count

    totals = Counter()
    for rows, key in links:
        for pk, n in rows.values(key).annotate(n=Count("pk")).values_list(key, "n"):
            totals[pk] += n
    if not totals:
        return None
    busiest = max(totals, key=lambda pk: (totals[pk], -pk))
    return model.objects.filter(pk=busiest).values_list("slug", flat=True).get()


def _percentile(values, fraction):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def _time_sql(queries, repeat):
    """Median time of running the page's SELECTs alone, raw, `repeat` times."""
    from django.db import connection

    selects = [
        q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("SELECT", "WITH"))
    ]
    runs = []
    with connection.cursor() as cursor:
        for _ in range(repeat):
            started = time.perf_counter()
            for sql in selects:
                cursor.execute(sql)
                cursor.fetchall()
            runs.append(time.perf_counter() - started)
    return statistics.median(runs), selects


def _slowest_queries(selects, keep=2):
    from django.db import connection

    timed = []
    with connection.cursor() as cursor:
        for sql in selects:
            started = time.perf_counter()
            for _ in range(3):
                cursor.execute(sql)
                cursor.fetchall()
            timed.append(((time.perf_counter() - started) / 3, sql))
    timed.sort(reverse=True)
    return timed[:keep]


def _explain(sql):
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


# While set, a query running past this moment is stopped (see _stop_slow_queries).
_deadline = [None]


def _stop_slow_queries(sender, connection, **kwargs):
    """Let one request of a hopelessly slow page end at TOO_SLOW_SECONDS: SQLite through
    a progress handler, PostgreSQL through statement_timeout."""
    if connection.vendor == "sqlite":
        connection.connection.set_progress_handler(
            lambda: int(_deadline[0] is not None and time.perf_counter() > _deadline[0]),
            100_000,
        )
    elif connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET statement_timeout = '{TOO_SLOW_SECONDS}s'")


class WSGIClient:
    """Requests pages from the WSGI application as gunicorn calls it, in process.

    django.test.Client does more than a server: it keeps each response in a
    reference cycle (`response.json` holds the response), so every page's objects
    wait for the garbage collector, which then stalls one request in thirty; and it
    builds and checks more per request. Measured here is what a server runs."""

    def __init__(self, cookies=""):
        from django.core.handlers.wsgi import WSGIHandler
        from django.test import RequestFactory

        self.application = WSGIHandler()
        self.base = RequestFactory()._base_environ()
        if cookies:
            self.base["HTTP_COOKIE"] = cookies

    def get(self, url):
        from io import BytesIO
        from urllib.parse import urlsplit

        parts = urlsplit(url)
        environ = {
            **self.base,
            "PATH_INFO": parts.path,
            "QUERY_STRING": parts.query,
            "REQUEST_METHOD": "GET",
            "wsgi.input": BytesIO(b""),
        }
        started = []
        body = b"".join(
            self.application(environ, lambda status, headers, exc_info=None: started.append(status))
        )
        return Response(int(started[0].split()[0]), body)


class Response:
    def __init__(self, status_code, content):
        self.status_code, self.content = status_code, content


def _superuser_client():
    from django.contrib.auth import get_user_model
    from django.test import Client

    user, _ = get_user_model().objects.get_or_create(
        username="benchmark-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(user)
    cookies = "; ".join(f"{name}={morsel.value}" for name, morsel in client.cookies.items())
    return WSGIClient(cookies)


def measure(label, database_url, requests, recompute, seconds_per_page, only=()):
    """Measure every page of the database at `database_url` and keep the results under
    `label`; with `only`, just the pages of those names, printed and not kept (the
    report's tables stay whole)."""
    _setup_django(database_url)
    from django.conf import settings
    from django.core.management import call_command
    from django.db import OperationalError as DatabaseOperationalError
    from django.db import connection
    from django.db.backends.signals import connection_created
    from django.test import override_settings
    from django.test.utils import CaptureQueriesContext

    from claims.models import Claim

    # Finding the pages counts links over whole tables: at a million claims that takes
    # longer than the limit a page's query gets.
    pages = _pages()
    unknown = set(only) - {name for name, _, _ in pages}
    if unknown:
        names = "; ".join(name for name, _, _ in pages)
        sys.exit(f"No page is called {'; '.join(sorted(unknown))}. The pages are: {names}.")
    pages = [page for page in pages if not only or page[0] in only]
    connection_created.connect(_stop_slow_queries)
    connection.close()  # reopen with the limit in place

    results = {
        "label": label,
        "vendor": connection.vendor,
        "claims": Claim.objects.count(),
        "requests": requests,
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "load_before": os.getloadavg(),
        "pages": [],
        "explain": [],
    }
    dummy = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    anonymous, admin = WSGIClient(), _superuser_client()
    with override_settings(CACHES=dummy):
        for name, url, as_admin in pages:
            client = admin if as_admin else anonymous
            started = time.perf_counter()
            _deadline[0] = started + TOO_SLOW_SECONDS
            try:
                response = client.get(url)
            except DatabaseOperationalError:  # the database gave up at the deadline
                response = None
            finally:
                _deadline[0] = None
            first = time.perf_counter() - started
            if response is None or first > TOO_SLOW_SECONDS:
                results["pages"].append({"name": name, "url": url, "too_slow": first * 1000})
                print(f"{label}: {name}: {first:.0f} s, too slow to measure", file=sys.stderr)
                continue
            assert response.status_code == 200, (name, url, response.status_code)
            for _ in range(2):  # warm up: connections, template caches, database buffers
                client.get(url)
            with CaptureQueriesContext(connection) as captured:
                client.get(url)
            queries = list(captured.captured_queries)
            times, cpu_times, deadline = [], [], time.perf_counter() + seconds_per_page
            while len(times) < requests and (
                len(times) < MIN_REQUESTS or time.perf_counter() < deadline
            ):
                started, cpu_started = time.perf_counter(), time.process_time()
                client.get(url)
                times.append(time.perf_counter() - started)
                cpu_times.append(time.process_time() - cpu_started)
            sql_time, selects = _time_sql(queries, repeat=max(5, min(len(times), 50) // 2))
            page = {
                "name": name,
                "url": url,
                "queries": len(queries),
                "requests": len(times),
                "p50": _percentile(times, 0.50) * 1000,
                "p95": _percentile(times, 0.95) * 1000,
                "p99": _percentile(times, 0.99) * 1000,
                "sql": sql_time * 1000,
                # This process's own CPU time per request: on a shared machine, what the
                # page costs in Python, however long it waited for a core.
                "cpu_p50": _percentile(cpu_times, 0.50) * 1000,
                "cpu_p95": _percentile(cpu_times, 0.95) * 1000,
            }
            page["ratio"] = page["p50"] / page["sql"] if page["sql"] else None
            results["pages"].append(page)
            for seconds, sql in _slowest_queries(selects):
                results["explain"].append(
                    {"page": name, "ms": seconds * 1000, "sql": sql, "plan": _explain(sql)}
                )
            print(
                f"{label}: {name}: p50 {page['p50']:.1f} ms, p95 {page['p95']:.1f} ms, "
                f"{page['queries']} queries, SQL {page['sql']:.1f} ms",
                file=sys.stderr,
            )
    if only:
        return
    with override_settings(
        CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    ):
        from django.core.cache import cache

        cache.clear()
        url = next(url for name, url, _ in pages if name == "claim, 10 evidence items")
        anonymous.get(url)
        times = []
        for _ in range(requests):
            started = time.perf_counter()
            anonymous.get(url)
            times.append(time.perf_counter() - started)
        results["cached_claim_page"] = {
            "p50": _percentile(times, 0.5) * 1000,
            "p95": _percentile(times, 0.95) * 1000,
            "p99": _percentile(times, 0.99) * 1000,
        }
        # A page the cache misses (a new query string each time) whose provenance
        # drawing is kept, as it is after most changes: the drawing is stored under what
        # it is drawn from, and `dot` is most of the uncached page's time otherwise.
        results["drawing_kept"] = []
        for name, url, _ in pages:
            if name.startswith("claim, "):
                anonymous.get(url)
                times = []
                for number in range(requests):
                    started = time.perf_counter()
                    anonymous.get(f"{url}?miss={number}")
                    times.append(time.perf_counter() - started)
                results["drawing_kept"].append(
                    {
                        "name": name,
                        "p50": _percentile(times, 0.5) * 1000,
                        "p95": _percentile(times, 0.95) * 1000,
                        "p99": _percentile(times, 0.99) * 1000,
                    }
                )
    if recompute:
        jobs = os.cpu_count() if connection.vendor == "postgresql" else 1
        started = time.perf_counter()
        with open(os.devnull, "w") as quiet:
            call_command("reassess", "--jobs", str(jobs), stdout=quiet, stderr=quiet)
        results["recompute"] = {
            "seconds": time.perf_counter() - started,
            "jobs": jobs,
            "claims": results["claims"],
            "started": results["started"],
        }
        print(f"{label}: recomputation {results['recompute']['seconds']:.1f} s", file=sys.stderr)
    else:
        # A run without the recomputation keeps the last one measured, with its date.
        previous = RESULTS / f"{label}.json"
        kept = json.loads(previous.read_text()).get("recompute") if previous.exists() else None
        if kept:
            results["recompute"] = kept
    results["load_after"] = os.getloadavg()
    results["versions"] = _versions(connection)
    results["bytes"] = _database_bytes(connection)
    results["machine"] = _machine()
    del settings  # only imported to be configured
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{label}.json").write_text(json.dumps(results, indent=1))


def demo_load(label, database_url):
    """Time `loaddata demo` (with the assessments it triggers) into an empty database."""
    _setup_django(database_url)
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("loaddata", "demo", verbosity=0)
    seconds = time.perf_counter() - started
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"demo-load-{label}.json").write_text(
        json.dumps({"label": label, "vendor": connection.vendor, "seconds": seconds})
    )
    print(f"demo load on {label}: {seconds:.2f} s", file=sys.stderr)


def _database_bytes(connection):
    """The archive's size on disk, indexes included."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            return cursor.fetchone()[0]
    return Path(connection.settings_dict["NAME"]).stat().st_size


def _versions(connection):
    import sqlite3

    import django

    versions = {
        "python": platform.python_version(),
        "django": django.get_version(),
        "sqlite": sqlite3.sqlite_version,
    }
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            versions["postgresql"] = cursor.fetchone()[0]
    return versions


# The report


def _machine():
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory = next(
        line.split()[1]
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    return f"{model}, {os.cpu_count()} cores, {int(memory) / 1024 / 1024:.0f} GiB RAM"


def _order(result):
    return (result["vendor"], result["claims"])


def report(extra_sections=()):
    results = sorted(
        (
            json.loads(path.read_text())
            for path in RESULTS.glob("*.json")
            if not path.name.startswith("demo-load")
        ),
        key=_order,
    )
    demo = [json.loads(path.read_text()) for path in sorted(RESULTS.glob("demo-load-*.json"))]
    versions = {}
    for result in results:
        versions |= result.get("versions", {})
    lines = [
        "# Benchmarks",
        "",
        "Made by `python benchmarks/run.py` (see the README). Server-side latency of each "
        "page requested in process from the WSGI application as gunicorn calls it, caching "
        "off (DummyCache), "
        "after three warm-up requests; *SQL* is the page's own queries re-run raw through a "
        "cursor (median of repeated runs), and *page ÷ SQL* shows how much of the time is "
        "Django's own work (URL routing, forms, templates). *CPU*, in the tables that have "
        "it, is the page's CPU time in the benchmark's own process, which waiting for a core "
        "on a busy machine does not inflate.",
        "",
        f"- Machine: {_machine()}" if results else _kept_line("- Machine"),
        f"- Date: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}"
        if results
        else _kept_line("- Date"),
        (
            f"- Python {versions.get('python')}, Django {versions.get('django')}, "
            f"SQLite {versions.get('sqlite')}, PostgreSQL {versions.get('postgresql', 'n/a')}"
            if versions
            else _kept_line("- Python")
        ),
        "- The load average (1 minute) before and after each run is given with it; the "
        "benchmark itself counts for about 1, and on 2 cores a load above 2 means it "
        "shared the CPU with other work.",
        "",
    ]
    measured = {result["label"] for result in results}
    tables = [(_order(result), result) for result in results] + [
        (order, text) for label, order, text in _kept_tables() if label not in measured
    ]
    for _, result in sorted(tables, key=lambda table: table[0]):
        if isinstance(result, str):  # a table measured on another machine, kept as it was
            lines += [result, ""]
            continue
        before, after = result["load_before"][0], result["load_after"][0]
        size = f" The database took {_size(result['bytes'])} on disk." if "bytes" in result else ""
        lines += [
            f"## {result['label']}: {result['vendor']}, {result['claims']:,} claims",
            "",
            f"{result['requests']} requests per page; load average {before:.1f} before, "
            f"{after:.1f} after; started {result['started']}"
            + (f" on {result['machine']}" if "machine" in result else "")
            + f".{size}",
            "",
        ]
        cpu = any("cpu_p50" in page for page in result["pages"])
        lines += [
            "| page | requests | p50 ms | p95 ms | p99 ms | queries | SQL ms | page ÷ SQL |"
            + (" CPU p50 ms | CPU p95 ms |" if cpu else ""),
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
            + (" ---: | ---: |" if cpu else ""),
        ]
        cpu_blank = " – | – |" if cpu else ""
        for page in result["pages"]:
            if "too_slow" in page:
                too_slow = f"> {page['too_slow'] / 1000:.0f} s (stopped)"
                lines.append(f"| {page['name']} | 1 | {too_slow} | – | – | – | – | – |{cpu_blank}")
                continue
            ratio = f"{page['ratio']:.1f}" if page["ratio"] else "–"
            lines.append(
                f"| {page['name']} | {page.get('requests', result['requests'])} | "
                f"{page['p50']:.1f} | {page['p95']:.1f} | "
                f"{page['p99']:.1f} | {page['queries']} | {page['sql']:.1f} | {ratio} |"
                + (f" {page['cpu_p50']:.1f} | {page['cpu_p95']:.1f} |" if cpu else "")
            )
        cached = result.get("cached_claim_page")
        if cached:
            lines.append(
                f"| claim, 10 evidence items, **cached** (LocMemCache) | {result['requests']} | "
                f"{cached['p50']:.2f} | "
                f"{cached['p95']:.2f} | {cached['p99']:.2f} | 0 | – | – |{cpu_blank}"
            )
        for kept in result.get("drawing_kept", ()):
            lines.append(
                f"| {kept['name']}, page not cached, **drawing kept** (LocMemCache) | "
                f"{result['requests']} | {kept['p50']:.1f} | {kept['p95']:.1f} | "
                f"{kept['p99']:.1f} | – | – | – |{cpu_blank}"
            )
        if "recompute" in result:
            recompute = result["recompute"]
            earlier = recompute.get("started", result["started"]) != result["started"]
            lines += [
                "",
                f"Full recomputation of {recompute['claims']:,} assessments "
                f"(`reassess --jobs {recompute['jobs']}`): {recompute['seconds']:.1f} s"
                + (f" (measured in the run started {recompute['started']})." if earlier else "."),
            ]
        lines.append("")
    if demo:
        lines += ["## Demo fixture load", "", "| database | `loaddata demo` |", "| --- | ---: |"]
        lines += [f"| {row['label']} ({row['vendor']}) | {row['seconds']:.2f} s |" for row in demo]
        lines.append("")
    else:
        lines += _kept_sections(lambda heading: heading == "Demo fixture load")
    largest = max(
        (result for result in results if result["vendor"] == "postgresql"),
        key=lambda result: result["claims"],
        default=None,
    )
    explained = list(largest["explain"]) if largest and largest["claims"] >= 100_000 else []
    if explained:
        explained.sort(key=lambda row: -row["ms"])
        lines += [
            f"## {SLOWEST} at {largest['claims']:,} claims (EXPLAIN ANALYZE)",
            "",
        ]
        for row in explained[:6]:
            lines += [
                f"### {row['page']}: {row['ms']:.1f} ms",
                "",
                "```sql",
                row["sql"][:1500] + ("…" if len(row["sql"]) > 1500 else ""),
                "```",
                "",
                "```",
                row["plan"] or "",
                "```",
                "",
            ]
    else:
        lines += _kept_sections(lambda heading: heading.startswith(SLOWEST))
    targets = {
        result["claims"]: result
        for result in results
        if result["vendor"] == "postgresql" and result["claims"] >= 100_000
    }
    small = next((r for r in results if r["vendor"] == "postgresql" and r["claims"] <= 1_000), None)
    lines += _kept_sections(
        lambda heading: (
            heading.startswith(TARGETS) and int(re.sub(r"\D", "", heading)) not in targets
        )
    )
    for claims in sorted(targets):
        lines += _targets(targets[claims], small)
    # The load test's summary (benchmarks/loadtest.sh), the fault drill's
    # (benchmarks/drill.py), the import's and Lighthouse's, then the closing note
    # written by whoever ran the benchmark: what the figures mean, met or missed and why.
    for title, extra in (
        ("Load test", RESULTS / "loadtest.md"),
        ("Fault drill", RESULTS / "drill.md"),
        ("Import speed", RESULTS / "import.md"),
        ("Lighthouse", RESULTS / "lighthouse.md"),
        ("Datasette", RESULTS / "datasette.md"),
        ("Closing note", ROOT / "benchmarks" / "notes.md"),
    ):
        text = extra.read_text().strip() if extra.exists() else _kept_section(title)
        if text:
            lines += [f"## {title}", "", text, ""]
    lines += list(extra_sections)
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text("\n".join(lines).rstrip() + "\n")
    print(f"wrote {REPORT.relative_to(ROOT)}", file=sys.stderr)


def _sections():
    """The report as it stands: (heading, body) of each of its "## " sections."""
    if not REPORT.exists():
        return []
    parts = ("\n" + REPORT.read_text()).split("\n## ")[1:]
    return [tuple(part.partition("\n")[::2]) for part in parts]


def _kept_line(start):
    """The report's line that starts with `start`, as it stands (for a report rebuilt
    with no results of this machine's)."""
    lines = REPORT.read_text().splitlines() if REPORT.exists() else []
    return next((line for line in lines if line.startswith(start)), "")


def _kept_section(title):
    """The load test's, the fault drill's, the import's, Lighthouse's or the Datasette
    comparison's section of the report as it stands, when its results are not on this
    machine: each is run on its own, not with every benchmark."""
    kept = ("Load test", "Fault drill", "Import speed", "Lighthouse", "Datasette")
    if title not in kept:
        return ""
    return next((body.strip() for heading, body in _sections() if heading == title), "")


def _kept_sections(wanted):
    """The whole sections of the report as it stands whose heading is `wanted`."""
    return [
        line
        for heading, body in _sections()
        if wanted(heading)
        for line in (f"## {heading}", "", body.strip(), "")
    ]


_TABLE_HEADING = re.compile(r"(\S+): (postgresql|sqlite), ([\d,]+) claims$")


def _kept_tables():
    """(label, order, text) of each database's table in the report as it stands, so
    that a run on a new machine, which has only the results it measured itself,
    keeps the tables measured before it."""
    for heading, body in _sections():
        match = _TABLE_HEADING.match(heading)
        if match:
            label, vendor, claims = match.groups()
            order = (vendor, int(claims.replace(",", "")))
            yield label, order, f"## {heading}\n{body.rstrip()}"


def _size(size):
    return f"{size / 1024**3:.1f} GiB" if size >= 1024**3 else f"{size / 1024**2:.0f} MiB"


def _page(result, name):
    return next((page for page in result["pages"] if page["name"] == name), None)


def _targets(large, small):
    """The issues' targets for one large PostgreSQL archive against its measurements;
    `small`, the 1,000-claim archive if it was measured, for the query counts."""

    def verdict(value, limit):
        return "met" if value is not None and value < limit else "**missed**"

    rows = []
    for name in ("claim, 10 evidence items", "claim, 50 evidence items"):
        page = _page(large, name)
        if page:
            rows.append(
                (
                    f"{name}: p95 uncached",
                    f"{page['p95']:.0f} ms",
                    "< 30 ms",
                    verdict(page["p95"], 30),
                )
            )
    measured = [page for page in large["pages"] if "p95" in page]
    lists = [page for page in measured if page["name"].startswith("claim list")]
    if lists:
        worst = max(lists, key=lambda page: page["p95"])
        rows.append(
            (
                f"claim list p95, worst page ({worst['name']})",
                f"{worst['p95']:.0f} ms",
                "< 50 ms",
                verdict(worst["p95"], 50),
            )
        )
    api_claims = [page for page in measured if page["name"].startswith("API claim,")]
    if api_claims:
        worst = max(api_claims, key=lambda page: page["p95"])
        rows.append(
            (
                f"API claim p95, worst ({worst['name']})",
                f"{worst['p95']:.0f} ms",
                "< 30 ms",
                verdict(worst["p95"], 30),
            )
        )
    api_lists = [
        page
        for page in measured
        if page["name"].startswith("API") and ("list" in page["name"] or "page 1" in page["name"])
    ]
    if api_lists:
        worst = max(api_lists, key=lambda page: page["p95"])
        rows.append(
            (
                f"API list p95, worst ({worst['name']})",
                f"{worst['p95']:.0f} ms",
                "< 50 ms",
                verdict(worst["p95"], 50),
            )
        )
    admin_list = _page(large, "admin claim list")
    if admin_list and "p95" in admin_list:
        rows.append(
            (
                "admin claim list p95",
                f"{admin_list['p95']:.0f} ms",
                "< 50 ms",
                verdict(admin_list["p95"], 50),
            )
        )
    search = _page(large, "search")
    if search and "p95" in search:
        rows.append(
            ("search p95", f"{search['p95']:.0f} ms", "< 100 ms", verdict(search["p95"], 100))
        )
    if small:
        differing = [
            f"{page['name']} ({_page(small, page['name'])['queries']} → {page['queries']})"
            for page in large["pages"]
            if "queries" in page
            and "queries" in (_page(small, page["name"]) or {})
            and _page(small, page["name"])["queries"] != page["queries"]
        ]
        rows.append(
            (
                f"query counts the same at 1,000 and {large['claims']:,} claims",
                "same on every page" if not differing else "differ: " + "; ".join(differing),
                "same",
                "met" if not differing else "**missed**",
            )
        )
    if "recompute" in large and large["claims"] == 100_000:
        seconds = large["recompute"]["seconds"]
        rows.append(
            (
                "full recomputation of 100,000 assessments",
                f"{seconds:.0f} s",
                "< 120 s",
                verdict(seconds, 120),
            )
        )
    lines = [
        f"## {TARGETS}, {large['claims']:,} claims)",
        "",
        "| target | measured | limit | |",
        "| --- | ---: | ---: | --- |",
        *(f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows),
        "",
    ]
    return lines


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--database",
        action="append",
        default=[],
        metavar="LABEL=URL",
        help="A generated database to measure (repeatable).",
    )
    parser.add_argument("--requests", type=int, default=200, help="Requests per page (200).")
    parser.add_argument(
        "--seconds-per-page",
        type=float,
        default=60,
        help=f"Stop a slow page after this long (but after {MIN_REQUESTS} requests at least).",
    )
    parser.add_argument(
        "--recompute", action="store_true", help="Also time the full recomputation (writes)."
    )
    parser.add_argument(
        "--demo-load",
        action="append",
        default=[],
        metavar="LABEL=URL",
        help="An EMPTY database to time `loaddata demo` into (repeatable).",
    )
    parser.add_argument("--report-only", action="store_true", help="Only rebuild the report.")
    parser.add_argument(
        "--page",
        action="append",
        default=[],
        metavar="NAME",
        help=(
            'Measure only the page of this name (repeatable; "search", "admin claim list"…) '
            "and print it: nothing is kept, and the report is not rebuilt."
        ),
    )
    parser.add_argument("--measure", nargs=2, metavar=("LABEL", "URL"), help=argparse.SUPPRESS)
    parser.add_argument("--demo", nargs=2, metavar=("LABEL", "URL"), help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.measure:
        measure(
            *options.measure,
            options.requests,
            options.recompute,
            options.seconds_per_page,
            only=options.page,
        )
        return
    if options.demo:
        demo_load(*options.demo)
        return
    child = [sys.executable, str(Path(__file__).resolve())]
    failed = False
    for spec in options.database if not options.report_only else ():
        label, _, url = spec.partition("=")
        extra = ["--recompute"] if options.recompute else []
        extra += [argument for name in options.page for argument in ("--page", name)]
        finished = subprocess.run(
            [
                *child,
                "--measure",
                label,
                url,
                "--requests",
                str(options.requests),
                "--seconds-per-page",
                str(options.seconds_per_page),
                *extra,
            ],
        )
        if finished.returncode:
            failed = True
            print(f"{label}: the measurement failed; see above", file=sys.stderr)
    if options.page:
        sys.exit(1 if failed else 0)
    for spec in options.demo_load if not options.report_only else ():
        label, _, url = spec.partition("=")
        subprocess.run([*child, "--demo", label, url], check=True)
    report()


if __name__ == "__main__":
    main()
