"""The synthetic archive the benchmarks measure (`manage.py generate_archive`), the
benchmark itself (run.py) and the load test (loadtest.sh). Not needed to serve the site."""
