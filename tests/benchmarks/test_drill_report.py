"""The fault drill's table (benchmarks/drill.py) goes into docs/benchmarks.md, and the
benchmark's report (benchmarks/run.py) keeps it when it rewrites that file."""

from benchmarks import drill, run

TABLE = "| phase | requests |\n| --- | ---: |\n| Redis down | 412 |"


def test_the_drill_puts_its_table_before_the_closing_note_and_replaces_its_last_one(
    tmp_path, monkeypatch
):
    report = tmp_path / "benchmarks.md"
    report.write_text("# Benchmarks\n\n## Load test\n\nwrk\n\n## Closing note\n\nWhy.\n")
    monkeypatch.setattr(drill, "REPORT", report)
    monkeypatch.setattr(drill, "RESULTS", tmp_path / "results")

    drill.write_section("| old |")
    drill.write_section(TABLE)

    text = report.read_text()
    assert "| old |" not in text
    assert text.index("## Load test") < text.index("## Fault drill") < text.index("## Closing note")
    assert TABLE in text and text.endswith("Why.\n")


def test_the_benchmark_report_keeps_the_drill_section_without_the_drills_results(
    tmp_path, monkeypatch
):
    report = tmp_path / "benchmarks.md"
    report.write_text(f"# Benchmarks\n\n## Fault drill\n\n{TABLE}\n\n## Closing note\n\nWhy.\n")
    results = tmp_path / "results"
    results.mkdir()
    monkeypatch.setattr(run, "REPORT", report)
    monkeypatch.setattr(run, "RESULTS", results)
    monkeypatch.setattr(run, "ROOT", tmp_path)

    run.report()

    assert f"## Fault drill\n\n{TABLE}\n" in report.read_text()
