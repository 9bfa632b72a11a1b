"""Imports run reader → claims → provenance and never back: the domain knows nothing
of the pages, and where evidence comes from knows nothing of claims."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MAY_NOT_IMPORT = {
    # The imports' own app serves every curated app and so knows none of them.
    "intake": {"provenance", "claims", "reader", "benchmarks"},
    "provenance": {"claims", "reader", "benchmarks"},
    "claims": {"reader", "benchmarks"},
}


def imported_apps(path):
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module.split(".")[0]


@pytest.mark.parametrize("app", sorted(MAY_NOT_IMPORT))
def test_an_app_never_imports_the_apps_that_build_on_it(app):
    modules = sorted((ROOT / app).rglob("*.py"))
    assert modules
    wrong = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in modules
        for name in imported_apps(path)
        if name in MAY_NOT_IMPORT[app]
    ]
    assert wrong == []


def test_the_check_finds_an_import_that_runs_back(tmp_path):
    module = tmp_path / "module.py"
    module.write_text("def f():\n    from reader import cache\n")
    assert list(imported_apps(module)) == ["reader"]
