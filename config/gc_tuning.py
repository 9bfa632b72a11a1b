"""Garbage collection tuned for a process that serves pages.

A claim page with fifty evidence items makes some hundred thousand short-lived
objects (model instances, template contexts). With CPython's default threshold the
collector ran several times a page and, every so often, went through every object of
the application as well, so one request in many took far longer than the rest
(docs/decisions.md has the measurements). Two changes, as large Django sites make them:

- `gc.freeze()` once the application is loaded: its modules, URL patterns and
  compiled templates live as long as the process, so collections leave them out;
- the youngest generation is collected after 50,000 allocations instead of 700, so a
  page is rarely interrupted; memory grows by a few megabytes at most.

`config/wsgi.py` calls `tune()` for the served application (gunicorn, runserver);
`benchmarks/run.py` does too, so it measures what is served.
"""

import gc

THRESHOLDS = (50_000, 20, 100)


def tune():
    gc.collect()
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)
