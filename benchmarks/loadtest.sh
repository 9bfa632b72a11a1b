#!/usr/bin/env bash
# Load test: the public pages served by gunicorn against PostgreSQL, driven by wrk on
# loopback only, each run bounded in time. Prints wrk's report for each run and writes
# a Markdown summary to benchmarks/results/loadtest.md (docs/benchmarks.md quotes it).
#
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/corroborate_bench \
#       benchmarks/loadtest.sh [claim-slug]
#
# Runs:
#   hello     a view that does nothing (/benchmark/hello/, served with BENCHMARK_VIEWS=1)
#             under the same gunicorn and middleware: the least any answer can cost;
#   cached    one claim page again and again, pages cached in Redis (REDIS_URL, a
#             database of its own, emptied first): what readers get most of the time;
#             hello and cached alternate, ROUNDS times each, since one run of either
#             can differ from the next by a quarter on a shared machine;
#   uncached  the same claim page with a new query string on every request, so every
#             request misses the cache and renders the page from the database;
#   varnish   the same claim page through Varnish in front of gunicorn
#             (`manage.py serve_edge`, config/varnish.vcl), EDGE_CONNECTIONS
#             connections: what readers get when the site runs behind it.
# Environment: DURATION (default 20s), ROUNDS (3), CONNECTIONS (16), EDGE_CONNECTIONS (64), THREADS
# (2), WORKERS (gunicorn processes, default 2 x cores), PORT (8100), EDGE_PORT (8180),
# REDIS_LOADTEST_URL (redis://127.0.0.1:6379/14).
set -euo pipefail
cd "$(dirname "$0")/.."

: "${DATABASE_URL:?set DATABASE_URL to a generated PostgreSQL archive}"
DURATION=${DURATION:-20s}
ROUNDS=${ROUNDS:-3}
CONNECTIONS=${CONNECTIONS:-16}
EDGE_CONNECTIONS=${EDGE_CONNECTIONS:-64}
EDGE_PORT=${EDGE_PORT:-8180}
THREADS=${THREADS:-2}
WORKERS=${WORKERS:-$(( $(nproc) * 2 ))}
PORT=${PORT:-8100}
REDIS_LOADTEST_URL=${REDIS_LOADTEST_URL:-redis://127.0.0.1:6379/14}
RESULTS=benchmarks/results
mkdir -p "$RESULTS"

SLUG=${1:-$(python manage.py shell -c "
from django.db.models import Count
from claims.models import Claim
print(Claim.objects.published().annotate(n=Count('evidence')).filter(n=10).order_by('pk').values_list('slug', flat=True).first())
" 2>/dev/null | tail -n 1)}
URL_PATH="/claims/${SLUG}/"

# Production settings, on plain HTTP: TLS ends at the load balancer in front; and the
# view that does nothing, to measure the pages against.
export DEBUG=0 SECRET_KEY=loadtest-only-not-secret ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=0
export BENCHMARK_VIEWS=1
python manage.py collectstatic --noinput -v0

UNCACHED_LUA=$(mktemp --suffix=.lua)
trap 'rm -f "$UNCACHED_LUA"; [ -n "${GUNICORN_PID:-}" ] && kill "$GUNICORN_PID" 2>/dev/null || true; [ -n "${EDGE_PID:-}" ] && kill "$EDGE_PID" 2>/dev/null || true' EXIT
cat > "$UNCACHED_LUA" <<'LUA'
-- A new query string on every request: every one misses the page cache.
local counter = 0
local thread_id = 0
local next_id = 0
function setup(thread)
  next_id = next_id + 1
  thread:set("id", next_id)
end
function init(args)
  thread_id = id
end
function request()
  counter = counter + 1
  return wrk.format("GET", wrk.path .. "?miss=" .. thread_id .. "-" .. counter)
end
LUA

answering() {  # what, port: wait until the claim page answers there (30 s at most)
  for _ in $(seq 150); do
    curl -fs -o /dev/null "http://127.0.0.1:${2}${URL_PATH}" && return 0
    sleep 0.2
  done
  echo "$1 did not answer on port $2" >&2
  exit 1
}

serve() {  # serve with the given REDIS_URL ("" for the local-memory cache)
  REDIS_URL="$1" gunicorn config.wsgi:application --bind "127.0.0.1:${PORT}" \
    --workers "$WORKERS" --log-level warning --access-logfile /dev/null &
  GUNICORN_PID=$!
  answering gunicorn "$PORT"
}

stop() {
  kill "$GUNICORN_PID"
  wait "$GUNICORN_PID" 2>/dev/null || true
  GUNICORN_PID=
}

run() {  # name, extra wrk arguments; RUN_PATH overrides the claim page
  local name=$1
  shift
  local path=${RUN_PATH:-$URL_PATH}
  echo "== ${name}: ${path}, ${DURATION}, ${CONNECTIONS} connections, ${WORKERS} workers"
  wrk --latency --timeout 10s -t "$THREADS" -c "$CONNECTIONS" -d "$DURATION" "$@" \
    "http://127.0.0.1:${PORT}${path}" | tee "$RESULTS/wrk-${name}.txt"
}

serve_edge() {  # Varnish on EDGE_PORT, gunicorn behind it on PORT
  REDIS_URL="$REDIS_LOADTEST_URL" python manage.py serve_edge --port "$EDGE_PORT" \
    --backend-port "$PORT" --workers "$WORKERS" >/dev/null 2>&1 &
  EDGE_PID=$!
  answering Varnish "$EDGE_PORT"
}

redis-cli -u "$REDIS_LOADTEST_URL" flushdb >/dev/null
serve "$REDIS_LOADTEST_URL"
curl -fs -o /dev/null "http://127.0.0.1:${PORT}${URL_PATH}"  # fill the cache
rm -f "$RESULTS"/wrk-hello-*.txt "$RESULTS"/wrk-cached-*.txt
for round in $(seq "$ROUNDS"); do
  RUN_PATH=/benchmark/hello/ run "hello-${round}"
  run "cached-${round}"
done
stop

serve ""
run uncached -s "$UNCACHED_LUA"
stop

redis-cli -u "$REDIS_LOADTEST_URL" flushdb >/dev/null
serve_edge
echo "== varnish: ${URL_PATH}, ${DURATION}, ${EDGE_CONNECTIONS} connections, through Varnish"
wrk --latency --timeout 10s -t "$THREADS" -c "$EDGE_CONNECTIONS" -d "$DURATION" \
  "http://127.0.0.1:${EDGE_PORT}${URL_PATH}" | tee "$RESULTS/wrk-varnish.txt"
kill "$EDGE_PID"
wait "$EDGE_PID" 2>/dev/null || true
EDGE_PID=
redis-cli -u "$REDIS_LOADTEST_URL" flushdb >/dev/null

python - "$RESULTS" "$URL_PATH" "$WORKERS" "$CONNECTIONS" "$DURATION" "$EDGE_CONNECTIONS" "$ROUNDS" <<'PY'
import re, sys
from pathlib import Path

results, path, workers, connections, duration, edge_connections, rounds = sys.argv[1:]
rows = []
rates = {}
runs = [
    *(f"{name}-{number}" for number in range(1, int(rounds) + 1) for name in ("hello", "cached")),
    "uncached",
    "varnish",
]
served = {}  # run kind: [requests, seconds], over its rounds
for name in runs:
    text = (Path(results) / f"wrk-{name}.txt").read_text()
    rate = re.search(r"Requests/sec:\s+([\d.]+)", text).group(1)
    rates[name] = float(rate)
    total, seconds = re.search(r"(\d+) requests in ([\d.]+)s", text).groups()
    kind = served.setdefault(name.split("-")[0], [0, 0.0])
    kind[0] += int(total)
    kind[1] += float(seconds)
    percentiles = dict(re.findall(r"^\s+(50|75|90|99)%\s+(\S+)", text, re.M))
    errors = re.search(r"Socket errors: (.*)", text)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    error_count = 0
    if errors:
        error_count += sum(int(n) for n in re.findall(r"\d+", errors.group(1)))
    if non_2xx:
        error_count += int(non_2xx.group(1))
    rows.append(
        f"| {name} | {float(rate):,.0f} | {total} | {percentiles.get('50')} | "
        f"{percentiles.get('90')} | {percentiles.get('99')} | {error_count} |"
    )
rate = {kind: requests / seconds for kind, (requests, seconds) in served.items()}
each = [
    rates[f"cached-{number}"] / rates[f"hello-{number}"] for number in range(1, int(rounds) + 1)
]
summary = "\n".join(
    [
        f"Claim page `{path}`, gunicorn with {workers} sync workers, wrk with "
        f"{connections} connections for {duration} per run, on 127.0.0.1; the hello run is "
        "a view that does nothing under the same server and middleware, and it alternates "
        f"with the cached run, {rounds} rounds of each; the varnish run "
        f"goes through Varnish in front of the same gunicorn, with {edge_connections} "
        "connections.",
        "",
        "| run | requests/s | requests | p50 | p90 | p99 | errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        *rows,
        "",
        f"Against the view that does nothing, in the same run (all rounds together): the "
        f"cached claim page {rate['cached'] / rate['hello']:.2f} of its requests per second "
        f"(round by round {', '.join(f'{ratio:.2f}' for ratio in each)}), the uncached "
        f"{rate['uncached'] / rate['hello']:.3f}.",
    ]
)
(Path(results) / "loadtest.md").write_text(summary + "\n")
print(summary)
PY
