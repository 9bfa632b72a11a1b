"""Lighthouse's table (benchmarks/lighthouse.py): scores under the target are in bold
with the audits that cost them, and the benchmark's report (benchmarks/run.py) keeps
the section when it rewrites docs/benchmarks.md."""

from benchmarks import lighthouse, run


def row(page, form_factor, performance, losses=()):
    scores = {"performance": performance, "accessibility": 1.0, "best-practices": 1.0, "seo": 1.0}
    return {
        "page": page,
        "path": "/",
        "form_factor": form_factor,
        "scores": scores,
        "losses": list(losses),
    }


def test_a_score_under_the_target_is_bold_and_its_audits_are_named():
    text = lighthouse.report(
        [
            row("home", "desktop", 1.0),
            row("home", "mobile", 0.91, ["performance: total-blocking-time (420 ms)"]),
        ],
        runs=3,
        load=(1.2, 1.4),
        started="2026-12-07 19:00 UTC",
    )

    assert "| home | `/` | desktop | 1.00 | 1.00 | 1.00 | 1.00 |" in text
    assert "| home | `/` | mobile | **0.91** | 1.00 | 1.00 | 1.00 |" in text
    assert "- home, mobile: performance: total-blocking-time (420 ms)" in text
    assert "The median of 3 runs." in text


def test_every_score_at_the_target_says_so():
    text = lighthouse.report(
        [row("home", "mobile", 0.98)], runs=1, load=(1.0, 1.0), started="2026-12-07 19:00 UTC"
    )

    assert "Every page type scores at least 0.98 in every category." in text


def test_the_benchmark_report_keeps_the_lighthouse_section_without_its_results(
    tmp_path, monkeypatch
):
    table = "| page type | performance |\n| --- | ---: |\n| home | 1.00 |"
    report = tmp_path / "benchmarks.md"
    report.write_text(f"# Benchmarks\n\n## Lighthouse\n\n{table}\n\n## Closing note\n\nWhy.\n")
    results = tmp_path / "results"
    results.mkdir()
    monkeypatch.setattr(run, "REPORT", report)
    monkeypatch.setattr(run, "RESULTS", results)
    monkeypatch.setattr(run, "ROOT", tmp_path)

    run.report()

    assert f"## Lighthouse\n\n{table}\n" in report.read_text()
