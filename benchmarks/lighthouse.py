"""Lighthouse over one page of each public page type, as a reader's browser gets it.

One command, on this machine only (everything listens on 127.0.0.1):

    python benchmarks/lighthouse.py [--runs 1] [--page TYPE ...] [--no-report]

It needs Node.js with npm (Lighthouse runs through `npx`, at the version pinned below,
fetched from the npm registry the first time) and Chromium (CHROME_PATH, by default
/usr/bin/chromium). It makes the demo in a fresh SQLite file in a temporary folder
(migrated, the demo fixtures loaded, the whole-archive download written), collects the
static files and starts gunicorn with the production settings: DEBUG off, WhiteNoise
serving the compressed, hashed static files. Then Lighthouse audits each page at the
desktop and the mobile preset (its defaults: a mid-range phone on a slow 4G line,
simulated) in all four categories: performance, accessibility, best practices, SEO.

With --runs N each page is audited N times and the median score of each category is
kept, as Lighthouse's own documentation advises for performance, which varies from run
to run on a shared machine. It prints the table, with every audit that kept a score
under 0.98, and writes it to docs/benchmarks.md under "Lighthouse" (benchmarks/run.py
keeps that section: benchmarks/results/lighthouse.md).

Not part of the test suite: npm may be missing where the tests run, and the scores
depend on the machine. The accessibility of every page is a test (tests/browser/
test_accessibility.py, axe-core).
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

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this file's folder is on the path and the project's root is not.
sys.path.insert(0, str(ROOT))
from benchmarks import drill  # noqa: E402

REPORT = ROOT / "docs" / "benchmarks.md"
SECTION = "## Lighthouse"
# Lighthouse 13 wants Node 22; Debian's Node is 20.
LIGHTHOUSE = "lighthouse@12.8.2"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
FORM_FACTORS = ["desktop", "mobile"]
TARGET = 0.98
# On a busy machine Lighthouse now and then loses its trace of the page load
# (NO_NAVSTART) and asks to be run again.
ATTEMPTS = 3
CHROME_FLAGS = "--headless --no-sandbox --disable-gpu"
# (page type, address): one page of each type the demo has, as the axe test lists them.
# Not the 404 page: Lighthouse refuses to audit a page that answers 404 (the axe test
# checks it).
PAGES = [
    ("home", "/"),
    ("claim list", "/claims/"),
    ("claim list, filtered", "/claims/?level=established&level=strong"),
    ("topic (claim list by topic)", "/claims/?topic=cold-war"),
    ("claim", "/claims/stalin-approved-invasion/"),
    ("claim as of a date", "/claims/stalin-approved-invasion/?as_of=1992"),
    ("source", "/sources/report-1966/"),
    ("person", "/people/kathryn-weathersby/"),
    ("organisation", "/people/cold-war-international-history-project/"),
    ("event", "/events/cwihp-moscow-1993/"),
    ("search with results", "/search/?q=Mao+Zedong"),
    ("search without results", "/search/?q=Zhukov"),
    ("methodology", "/methodology/"),
    ("download", "/download/"),
    ("API documentation", "/api/docs"),
]


def manage(*args, env):
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=env, check=True)


def wait_for_server(port, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            connection = HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer within {seconds} s")


def audit(url, form_factor, folder, chrome):
    """One Lighthouse run: the four scores and the audits that cost points."""
    output = folder / "report.json"
    command = [
        "npx",
        "--yes",
        LIGHTHOUSE,
        url,
        "--output=json",
        f"--output-path={output}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={CHROME_FLAGS}",
        "--quiet",
    ]
    if form_factor == "desktop":
        command.append("--preset=desktop")
    for attempt in range(1, ATTEMPTS + 1):
        finished = subprocess.run(
            command, env={**os.environ, "CHROME_PATH": chrome}, timeout=300, check=False
        )
        if finished.returncode == 0:
            break
        print(f"Lighthouse failed on {url} ({form_factor}), attempt {attempt}", file=sys.stderr)
    else:
        raise SystemExit(f"Lighthouse failed {ATTEMPTS} times on {url} ({form_factor})")
    report = json.loads(output.read_text())
    scores = {name: report["categories"][name]["score"] for name in CATEGORIES}
    losses = []
    for name in CATEGORIES:
        for ref in report["categories"][name]["auditRefs"]:
            found = report["audits"][ref["id"]]
            if ref["weight"] and found["score"] is not None and found["score"] < 1:
                value = found.get("displayValue") or f"score {found['score']:.2f}"
                losses.append(f"{name}: {ref['id']} ({value})")
    return scores, losses


def measure(base, pages, runs, chrome):
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        for page_type, path in pages:
            for form_factor in FORM_FACTORS:
                results = [
                    audit(base + path, form_factor, Path(scratch), chrome) for _ in range(runs)
                ]
                scores = {
                    name: statistics.median(scores[name] for scores, _ in results)
                    for name in CATEGORIES
                }
                losses = sorted({loss for _, found in results for loss in found})
                rows.append(
                    {
                        "page": page_type,
                        "path": path,
                        "form_factor": form_factor,
                        "scores": scores,
                        "losses": losses,
                    }
                )
                shown = " ".join(f"{scores[name]:.2f}" for name in CATEGORIES)
                print(f"{page_type} ({form_factor}): {shown}", file=sys.stderr)
    return rows


def report(rows, *, runs, load, started):
    lines = [
        f"`python benchmarks/lighthouse.py{f' --runs {runs}' if runs > 1 else ''}`, run "
        f"{started} on {os.cpu_count()} cores (Python {platform.python_version()}, "
        f"{LIGHTHOUSE}, Debian's Chromium): the demo under gunicorn with DEBUG off and "
        "WhiteNoise serving the static files, on 127.0.0.1. Desktop is Lighthouse's "
        "desktop preset; mobile its default, a phone on a slow 4G line with a 4× slower "
        "processor, both simulated. "
        + (f"The median of {runs} runs. " if runs > 1 else "One run each. ")
        + f"Load average (1 minute) {load[0]:.1f} before, {load[1]:.1f} after. "
        f"Target: at least {TARGET} in every category.",
        "",
        "| page type | address | form factor | performance | accessibility | "
        "best practices | SEO |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        cells = [
            f"**{score:.2f}**" if score < TARGET else f"{score:.2f}"
            for score in (row["scores"][name] for name in CATEGORIES)
        ]
        lines.append(
            f"| {row['page']} | `{row['path']}` | {row['form_factor']} | {' | '.join(cells)} |"
        )
    below = [row for row in rows if min(row["scores"].values()) < TARGET]
    lines.append("")
    if below:
        lines.append(f"Below {TARGET} (in bold), and the audits that cost the points:")
        lines.append("")
        for row in below:
            lines.append(f"- {row['page']}, {row['form_factor']}: " + "; ".join(row["losses"]))
    else:
        lines.append(f"Every page type scores at least {TARGET} in every category.")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=1, help="Runs per page (the median is kept).")
    parser.add_argument(
        "--page",
        action="append",
        choices=[name for name, _ in PAGES],
        help="Audit only this page type (repeatable); implies --no-report.",
    )
    parser.add_argument(
        "--no-report", action="store_true", help="Print the table; leave docs/benchmarks.md."
    )
    options = parser.parse_args()
    chrome = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
    for needed, why in ((shutil.which("npx"), "npx (npm)"), (Path(chrome).exists(), chrome)):
        if not needed:
            raise SystemExit(f"Lighthouse needs {why}, which is missing here")

    with tempfile.TemporaryDirectory() as folder:
        port = drill.free_port()
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{folder}/demo.sqlite3",
            "MEDIA_ROOT": f"{folder}/media",
            "DEBUG": "0",
            "SECRET_KEY": "lighthouse-only-not-secret-" + "x" * 40,
            "ALLOWED_HOSTS": "127.0.0.1",
            # Plain HTTP on 127.0.0.1: no TLS proxy in front to redirect to.
            "SECURE_SSL_REDIRECT": "0",
            "DJANGO_SETTINGS_MODULE": "config.settings",
        }
        env.pop("REDIS_URL", None)
        manage("migrate", "--no-input", "-v0", env=env)
        manage("loaddata", "demo", "-v0", env=env)
        manage("export_archive", "-v0", env=env)
        manage("collectstatic", "--noinput", "-v0", env=env)
        gunicorn = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        try:
            wait_for_server(port)
            load_before = os.getloadavg()[0]
            started = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
            pages = [page for page in PAGES if not options.page or page[0] in options.page]
            rows = measure(f"http://127.0.0.1:{port}", pages, options.runs, chrome)
            load = (load_before, os.getloadavg()[0])
        finally:
            gunicorn.send_signal(signal.SIGTERM)
            try:
                gunicorn.wait(timeout=30)
            except subprocess.TimeoutExpired:
                gunicorn.kill()

    text = report(rows, runs=options.runs, load=load, started=started)
    print(text)
    if not (options.no_report or options.page):
        drill.write_section(text, heading=SECTION, results_name="lighthouse.md")
        print(f"wrote {REPORT.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
