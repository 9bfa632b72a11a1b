"""An event's page: its organisers, what was presented there and what happened to
sources there.

Only a public event has a page; its organisers are public because it is, and of what
happened there only what happened to public sources is listed (claims/visibility.py)."""

from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, render

from claims.visibility import public_events, source_is_public
from provenance.models import Agent, CustodyEvent
from reader.cache import record_key, shown
from reader.views.lists import by_date, list_page, presentations_page, published_presentations


def event_detail(request, slug):
    event = get_object_or_404(
        public_events().prefetch_related(
            Prefetch("organisers", queryset=Agent.objects.order_by("sort_name", "name")),
        ),
        slug=slug,
    )
    shown(request, {record_key("event", event.pk)})
    return render(
        request,
        "provenance/event_detail.html",
        {
            "event": event,
            # In the order they were presented, as on a person's page.
            "presented": presentations_page(
                request,
                published_presentations().filter(event=event).order_by(*by_date("id")),
                name="presented",
            ),
            "custody": list_page(
                request,
                CustodyEvent.objects.filter(Q(event=event) & source_is_public("source"))
                .select_related("source")
                .only("kind", "date", "note", "source__slug", "source__title")
                .prefetch_related(Prefetch("agents", queryset=Agent.objects.only("slug", "name")))
                .order_by(*by_date("id")),
                name="custody",
            ),
        },
    )
