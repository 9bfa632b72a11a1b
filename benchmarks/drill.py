"""The fault drill: readers keep getting pages while the cache and the database fail.

One command, on this machine only (everything listens on 127.0.0.1):

    python benchmarks/drill.py [--database-url postgres://postgres@127.0.0.1:5432/corroborate_drill]

It creates the PostgreSQL database if it is missing (migrated, and filled by
`generate_archive --claims 2000` when it holds no claim), starts a private Redis on a
free port and gunicorn with the production settings (DEBUG off, the Redis cache), then
runs 50 readers for 60 s over claim, list, search and source pages. In the middle:

- at 20 s Redis is stopped, and started again (empty) at 30 s; while it is down an
  editor unpublishes a claim and publishes it again, through the workflow;
- at 40 s every PostgreSQL connection to the database is terminated, once
  (`pg_terminate_backend`): each app worker must reconnect.

It prints, and writes to docs/benchmarks.md (its "Fault drill" section, which
benchmarks/run.py keeps: benchmarks/results/drill.md), the requests, errors by status
and p50/p95 of each phase, the requests in flight when the connections were
terminated, and whether each target was met:

- no server error while Redis is down;
- no more failed requests around the kill than were in flight at it.

Readers are threads using http.client, each one request at a time, each request
bounded by a 30 s timeout; the run stops after --seconds whatever happens.
"""

import argparse
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
REPORT = ROOT / "docs" / "benchmarks.md"
SECTION = "## Fault drill"
REDIS_SERVER = "/usr/bin/redis-server"
REQUEST_TIMEOUT = 30
# After the kill, requests are counted "around the kill" for this long.
KILL_WINDOW = 5


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(check, what, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise SystemExit(f"{what} did not come up within {seconds} s")


class Redis:
    def __init__(self):
        self.port = free_port()
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no", "--daemonize", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

        def answers():
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")

        wait_for(answers, "redis-server")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


def manage(*args, env):
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=env, check=True)


def prepare_database(url, claims, env):
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')
    manage("migrate", "--no-input", "-v0", env=env)
    with psycopg.connect(url) as connection:
        count = connection.execute("SELECT count(*) FROM claims_claim").fetchone()[0]
    if not count:
        manage("generate_archive", "--claims", str(claims), "-v0", env=env)


def terminate_connections(url):
    """One round of pg_terminate_backend over the database's other connections."""
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    with psycopg.connect(url, autocommit=True) as connection:
        rows = connection.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            [name],
        ).fetchall()
    return len(rows)


def sample_addresses(url):
    """Claim, list, search and source pages of published claims, read once."""
    import psycopg

    with psycopg.connect(url) as connection:
        claims = [
            row[0]
            for row in connection.execute(
                "SELECT slug FROM claims_claim WHERE status = 'published' ORDER BY id LIMIT 300"
            )
        ]
        sources = [
            row[0]
            for row in connection.execute(
                "SELECT DISTINCT s.slug FROM provenance_source s "
                "JOIN claims_evidence e ON e.source_id = s.id "
                "JOIN claims_claim c ON c.id = e.claim_id AND c.status = 'published' "
                "ORDER BY s.slug LIMIT 200"
            )
        ]
    words = ["Stalin", "telegram", "report", "Moscow", "memoir", "archive", "Mao", "treaty"]
    lists = [
        "/claims/",
        "/claims/?sort=strongest",
        "/claims/?level=strong",
        "/claims/?sort=earliest&page=2",
        "/claims/?from=1945&to=1955",
    ]
    return {
        "claim": [f"/claims/{slug}/" for slug in claims],
        "list": lists,
        "search": [f"/search/?{urlencode({'q': word})}" for word in words],
        "source": [f"/sources/{slug}/" for slug in sources],
    }


class Readers:
    """`count` threads, each requesting one page after another until `stop_at`."""

    def __init__(self, port, addresses, *, count, stop_at, seed=1):
        self.port, self.addresses = port, addresses
        self.count, self.stop_at = count, stop_at
        self.records = []  # (started, finished, kind, status or "connection")
        self.lock = threading.Lock()
        self.random = random.Random(seed)

    def pick(self, rng):
        kind = rng.choices(["claim", "list", "search", "source"], weights=[5, 2, 1, 2])[0]
        return kind, rng.choice(self.addresses[kind])

    def reader(self, number):
        rng = random.Random(number)
        while time.monotonic() < self.stop_at:
            kind, path = self.pick(rng)
            started = time.monotonic()
            connection = HTTPConnection("127.0.0.1", self.port, timeout=REQUEST_TIMEOUT)
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                status = response.status
            except OSError:
                status = "connection"
            finally:
                connection.close()
            with self.lock:
                self.records.append((started, time.monotonic(), kind, status))

    def run(self):
        threads = [
            threading.Thread(target=self.reader, args=(number,), daemon=True)
            for number in range(self.count)
        ]
        for thread in threads:
            thread.start()
        return threads


def percentile(values, fraction):
    if not values:
        return None
    values = sorted(values)
    return values[min(len(values) - 1, int(fraction * len(values)))]


def phase_of(record, phases, t0, kill_moment):
    """The phase a request belongs to: when it started, except that every request in
    flight when the connections were terminated counts as around the kill."""
    if record[0] <= kill_moment <= record[1]:
        return "around the kill"
    return next(name for name, start, end in phases if start <= record[0] - t0 < end)


def summarise(records, phases, t0, kill_moment):
    rows = []
    for name, start, end in phases:
        chosen = [r for r in records if phase_of(r, phases, t0, kill_moment) == name]
        latencies = [(r[1] - r[0]) * 1000 for r in chosen]
        statuses = {}
        for record in chosen:
            status = record[3]
            label = "connection" if status == "connection" else f"{status // 100}xx"
            if status != "connection" and status >= 500:
                label = str(status)
            statuses[label] = statuses.get(label, 0) + 1
        failed = sum(
            count for label, count in statuses.items() if label == "connection" or label[0] == "5"
        )
        rows.append(
            {
                "phase": name,
                "from": start,
                "to": end,
                "requests": len(chosen),
                "statuses": statuses,
                "failed": failed,
                "p50": percentile(latencies, 0.5),
                "p95": percentile(latencies, 0.95),
            }
        )
    return rows


def editor_moves(env):
    """An editor unpublishes a claim and publishes it again, through the workflow, in
    a process of its own using the drill's cache (which is down)."""
    code = """
from django.contrib.auth import get_user_model
from claims import workflow
from claims.models import Claim
editor, _ = get_user_model().objects.get_or_create(
    username="drill-editor", defaults={"is_staff": True, "is_superuser": True}
)
claim = Claim.objects.published().order_by("pk").first()
workflow.claim_unpublish(claim=claim, by=editor, reason="Fault drill: checking a date.")
assert Claim.objects.get(pk=claim.pk).status == Claim.Status.DRAFT
claim.refresh_from_db()
workflow.claim_submit_for_review(claim=claim, by=editor)
claim.refresh_from_db()
workflow.claim_publish(claim=claim, by=editor)
assert Claim.objects.get(pk=claim.pk).status == Claim.Status.PUBLISHED
print(claim.slug)
"""
    finished = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "shell", "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return finished.returncode == 0, (finished.stdout + finished.stderr).strip()[-500:]


def report(result):
    rows = result["phases"]
    kill = result["kill"]
    redis_down = next(row for row in rows if row["phase"].startswith("Redis down"))
    around = next(row for row in rows if row["phase"].startswith("around the kill"))
    server_errors_down = sum(
        count for label, count in redis_down["statuses"].items() if label[0] == "5"
    )
    lines = [
        f"`python benchmarks/drill.py`, run {result['started']} on {result['machine']}: "
        f"gunicorn ({result['workers']} sync workers, DEBUG off) against PostgreSQL "
        f"({result['claims']:,} generated claims) with a private Redis as the page cache; "
        f"{result['readers']} readers for {result['seconds']} s over claim, list, search "
        "and source pages (weights 5:2:1:2), each reader one request at a time, on "
        "127.0.0.1. Phases by when a request started. Load average (1 minute) "
        f"{result['load'][0]:.1f} before, {result['load'][1]:.1f} after: the readers, "
        "the workers and PostgreSQL share the machine's cores.",
        "",
        "| phase | seconds | requests | answers by status | failed | p50 ms | p95 ms |",
        "| --- | --- | ---: | --- | ---: | ---: | ---: |",
    ]
    for row in rows:
        statuses = ", ".join(
            f"{label}: {count:,}" for label, count in sorted(row["statuses"].items())
        )
        p50 = f"{row['p50']:.0f}" if row["p50"] is not None else "–"
        p95 = f"{row['p95']:.0f}" if row["p95"] is not None else "–"
        lines.append(
            f"| {row['phase']} | {row['from']}–{row['to']} | {row['requests']:,} | "
            f"{statuses or '–'} | {row['failed']} | {p50} | {p95} |"
        )
    total = sum(row["requests"] for row in rows)
    met = "met" if server_errors_down == 0 else "missed"
    # A request fails with its connection only while a worker is using it: at most one
    # request per terminated connection, however many readers are waiting.
    bound = min(kill["in_flight"], kill["terminated"])
    kill_met = "met" if around["failed"] <= bound else "missed"
    lines += [
        f"| **all** | 0–{result['seconds']} | {total:,} | | "
        f"{sum(row['failed'] for row in rows)} | | |",
        "",
        f"- Redis stopped at {result['redis_down'][0]} s and started again, empty, at "
        f"{result['redis_down'][1]} s. An editor's unpublish and publish through the "
        f"workflow while it was down: {'committed' if result['editor']['ok'] else 'FAILED'}.",
        f"- At {kill['at']} s, {kill['terminated']} PostgreSQL connections were terminated "
        f"({result['workers']} gunicorn workers); {kill['in_flight']} requests were in "
        "flight at the readers at that moment, counted around the kill whenever they "
        f"started, though at most {kill['terminated']} of them can have been using a "
        "connection.",
        "",
        "| target | measured | met |",
        "| --- | --- | --- |",
        f"| 0 server errors while Redis is down | {server_errors_down} | {met} |",
        "| failed requests around the kill ≤ requests in flight on a terminated "
        f"connection | {around['failed']} ≤ {bound} | {kill_met} |",
    ]
    return "\n".join(lines)


def write_section(text, *, heading=SECTION, results_name="drill.md"):
    """Put the drill's section (or another benchmark's, run on its own as the drill is)
    into docs/benchmarks.md, in place of the last one, or before the closing note;
    benchmarks/run.py reads it back from results/<results_name>."""
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / results_name).write_text(text + "\n")
    document = REPORT.read_text() if REPORT.exists() else "# Benchmarks\n"
    section = f"{heading}\n\n{text}\n"
    if heading in document:
        start = document.index(heading)
        following = document.find("\n## ", start + len(heading))
        rest = document[following + 1 :] if following != -1 else ""
        document = document[:start] + section + ("\n" + rest if rest else "")
    elif "## Closing note" in document:
        at = document.index("## Closing note")
        document = document[:at] + section + "\n" + document[at:]
    else:
        document = document.rstrip() + "\n\n" + section
    REPORT.write_text(document)


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/corroborate_drill"
    )
    parser.add_argument("--claims", type=int, default=2000, help="Claims to generate (2000).")
    parser.add_argument("--readers", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1))
    parser.add_argument(
        "--no-report", action="store_true", help="Print the table; leave docs/benchmarks.md."
    )
    options = parser.parse_args()
    if not os.path.exists(REDIS_SERVER):
        raise SystemExit(f"the drill starts a Redis of its own: {REDIS_SERVER} is missing")
    seconds = options.seconds
    redis_down = (seconds // 3, seconds // 3 + 10)
    kill_at = 2 * seconds // 3

    redis = Redis()
    redis.start()
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": options.database_url,
        "REDIS_URL": f"redis://127.0.0.1:{redis.port}/0",
        "DEBUG": "0",
        "SECRET_KEY": "fault-drill-only-not-secret-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    gunicorn = None
    try:
        prepare_database(options.database_url, options.claims, env)
        manage("collectstatic", "--noinput", "-v0", env=env)
        addresses = sample_addresses(options.database_url)
        RESULTS.mkdir(exist_ok=True)
        # What the app logged (cache failures, the tracebacks of any 500) stays here.
        server_log = (RESULTS / "drill-server.log").open("w")
        gunicorn = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(options.workers),
                "--log-level",
                "warning",
                "--access-logfile",
                "/dev/null",
            ],
            cwd=ROOT,
            env=env,
            stderr=server_log,
        )

        def serves():
            connection = HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", addresses["claim"][0])
            return connection.getresponse().status == 200

        wait_for(serves, "gunicorn", seconds=60)

        load_before = os.getloadavg()[0]
        t0 = time.monotonic()
        readers = Readers(port, addresses, count=options.readers, stop_at=t0 + seconds)
        threads = readers.run()

        def at(moment):
            time.sleep(max(0.0, t0 + moment - time.monotonic()))

        at(redis_down[0])
        redis.stop()
        print(f"{redis_down[0]} s: Redis stopped", file=sys.stderr)
        at(redis_down[0] + 2)
        editor_ok, editor_said = editor_moves(env)
        print(f"editor's unpublish and publish: {editor_ok} {editor_said}", file=sys.stderr)
        at(redis_down[1])
        redis.start()
        print(f"{redis_down[1]} s: Redis started again", file=sys.stderr)
        at(kill_at)
        kill_moment = time.monotonic()
        terminated = terminate_connections(options.database_url)
        print(f"{kill_at} s: {terminated} connections terminated", file=sys.stderr)
        for thread in threads:
            thread.join(timeout=seconds + REQUEST_TIMEOUT)
        records = list(readers.records)
        in_flight = sum(1 for r in records if r[0] <= kill_moment <= r[1])
    finally:
        if gunicorn is not None:
            gunicorn.send_signal(signal.SIGTERM)
            try:
                gunicorn.wait(timeout=30)
            except subprocess.TimeoutExpired:
                gunicorn.kill()
        redis.stop()

    phases = [
        ("before", 0, redis_down[0]),
        ("Redis down", redis_down[0], redis_down[1]),
        ("Redis back", redis_down[1], kill_at),
        ("around the kill", kill_at, kill_at + KILL_WINDOW),
        ("after", kill_at + KILL_WINDOW, seconds),
    ]
    result = {
        "started": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{os.cpu_count()} cores",
        "workers": options.workers,
        "claims": _claim_count(options.database_url),
        "readers": options.readers,
        "load": (load_before, os.getloadavg()[0]),
        "seconds": seconds,
        "redis_down": redis_down,
        "editor": {"ok": editor_ok, "said": editor_said},
        "kill": {"at": kill_at, "terminated": terminated, "in_flight": in_flight},
        "phases": summarise(records, phases, t0, kill_moment),
    }
    text = report(result)
    print(text)
    print(json.dumps(result["kill"]), file=sys.stderr)
    if not options.no_report:
        write_section(text)
        print(f"wrote {REPORT.relative_to(ROOT)}", file=sys.stderr)


def _claim_count(url):
    import psycopg

    with psycopg.connect(url) as connection:
        return connection.execute("SELECT count(*) FROM claims_claim").fetchone()[0]


if __name__ == "__main__":
    main()
