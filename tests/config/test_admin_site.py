"""The admin index in the public pages' words, with claims first and each app's
models in the order a curator works."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_admin_index_speaks_of_people_and_organisations_not_agents(curator_client):
    response = curator_client.get(reverse("admin:index"))
    assert response.status_code == 200
    for words in ("People and organisations", "Other names of people and organisations"):
        assert f">{words}</a>" in response.text
    assert ">Creators of sources</a>" in response.text
    for words in ("Agents", "Agent names", "Source creators"):
        assert f">{words}</a>" not in response.text


def test_the_admin_index_lists_claims_first_and_models_in_a_curators_order(curator_client):
    response = curator_client.get(reverse("admin:index"))
    apps = response.context["app_list"]
    assert [app["name"] for app in apps[:2]] == [
        "Claims and evidence",
        "Sources, people and organisations",
    ]
    assert [model["name"] for model in apps[0]["models"][:3]] == [
        "Claims",
        "Evidence",
        "Presentations",
    ]
    assert [model["name"] for model in apps[1]["models"][:3]] == [
        "Sources",
        "People and organisations",
        "Events",
    ]
