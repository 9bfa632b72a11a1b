"""The methodology page and docs/methodology.md are rendered from the strength module,
so neither can disagree with the code."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from claims import strength
from reader.management.commands.write_methodology import render_methodology
from tests.builders import get_html

DOCS = Path(__file__).resolve().parents[2] / "docs" / "methodology.md"


METHODOLOGY = reverse("claims:methodology")


def test_methodology_page_lists_every_level_with_its_meaning_and_rule(client):
    html = get_html(client, METHODOLOGY)

    for level in strength.LEVELS_BY_RANK:
        assert f'<span class="badge__label">{level.label}</span>' in html
        assert level.meaning in html
    assert "Support of at least 90% from at least 2 independent lines" in html


def test_methodology_page_shows_the_factor_weights_the_code_uses(client):
    html = get_html(client, METHODOLOGY)

    weight = strength.PROXIMITY_WEIGHT[strength.Proximity.TESTIMONY]
    assert f'<td>Participant testimony or memoir</td><td class="num">{weight:g}</td>' in html
    assert "<td>Forged</td>" in html


def test_methodology_worked_example_is_the_codes_own_arithmetic(client):
    html = get_html(client, METHODOLOGY)

    assert "1 − (1 − 0.495) × (1 − 0.8) = 0.899" in html
    assert (
        "participant testimony or memoir 0.55 × published 1 × accepted 0.9 × content not "
        "assessed 1 × direct statement 1 = 0.495"
    ) in html


def test_methodology_page_explains_partial_dates_in_as_of(client):
    assert "<code>?as_of=1969</code> is 31 December 1969" in get_html(client, METHODOLOGY)


def test_methodology_page_needs_no_database(client):
    # No django_db mark: pytest-django fails any test here that touches the database.
    assert "<h1>How the strength of the evidence is assessed</h1>" in get_html(client, METHODOLOGY)


def test_docs_methodology_md_is_up_to_date_with_the_code():
    assert DOCS.read_text(encoding="utf-8") == render_methodology(), (
        "docs/methodology.md is out of date: run `python manage.py write_methodology`."
    )


def test_write_methodology_writes_the_markdown_and_can_check_it(tmp_path):
    target = tmp_path / "methodology.md"

    call_command("write_methodology", path=target, verbosity=0)
    assert target.read_text(encoding="utf-8") == render_methodology()
    call_command("write_methodology", path=target, check=True, verbosity=0)

    target.write_text("stale", encoding="utf-8")
    with pytest.raises(SystemExit):
        call_command("write_methodology", path=target, check=True, verbosity=0)
