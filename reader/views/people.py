"""A person's or an organisation's page: the published claims about them, the sources
they made, the evidence they presented, their members, events and holdings.

Only a public person or organisation has a page, and every list on it holds only
public records (claims/visibility.py): an organisation a draft alone is about is not
named among someone's affiliations."""

from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, render

from claims.models import Claim
from claims.visibility import agent_is_public, event_is_public, public_agents, source_is_public
from provenance.models import Affiliation, Source, SourceCreator
from reader.cache import record_key, shown
from reader.views.lists import (
    LISTED_CLAIM,
    LISTED_EVENT,
    LISTED_SOURCE,
    by_date,
    list_page,
    presentations_page,
    published_presentations,
)


def public_agent_or_404(slug):
    """A public person or organisation with their other names and public affiliations,
    as their page and the API's person read them (3 queries)."""
    return get_object_or_404(
        public_agents().prefetch_related(
            "other_names",
            Prefetch(
                "affiliations",
                queryset=Affiliation.objects.filter(agent_is_public("organisation"))
                .select_related("organisation")
                .order_by(*by_date("organisation__sort_name")),
            ),
        ),
        slug=slug,
    )


def agent_detail(request, slug):
    agent = public_agent_or_404(slug)
    shown(request, {record_key("agent", agent.pk)})
    # A source is listed once, with every role the agent had in making it.
    roles = SourceCreator.objects.filter(Q(agent=agent) & source_is_public("source"))
    sources_made = (
        Source.objects.filter(pk__in=roles.values("source"))
        .only(*LISTED_SOURCE)
        .prefetch_related(
            Prefetch(
                "creator_roles",
                queryset=SourceCreator.objects.filter(agent=agent).order_by("position", "id"),
                to_attr="roles_of_agent",
            )
        )
    )
    return render(
        request,
        "provenance/agent_detail.html",
        {
            "agent": agent,
            "claims": list_page(
                request,
                Claim.objects.published()
                .filter(subjects=agent)
                .only(*LISTED_CLAIM)
                .order_by("statement", "id"),
                name="claims",
            ),
            "sources_made": list_page(
                request,
                sources_made.order_by(*by_date("title", "id")),
                name="sources",
                # From the roles alone, without reading each source.
                count=roles.values("source").distinct().count,
            ),
            "presented": presentations_page(
                request,
                published_presentations().filter(presenters=agent).order_by(*by_date("id")),
                name="presented",
            ),
            "members": list_page(
                request,
                Affiliation.objects.filter(Q(organisation=agent) & agent_is_public("agent"))
                .select_related("agent")
                .only("role", "date", "agent__slug", "agent__name")
                .order_by("agent__sort_name", "agent__name", "id"),
                name="members",
            ),
            "events": list_page(
                request,
                agent.organised_events.filter(event_is_public())
                .only(*LISTED_EVENT)
                .order_by(*by_date("name", "id")),
                name="events",
            ),
            "held": list_page(
                request,
                Source.objects.filter(Q(archive=agent) & source_is_public())
                .only("slug", "title", "archival_reference")
                .order_by(*by_date("title", "id")),
                name="held",
            ),
        },
    )
