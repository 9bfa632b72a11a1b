"""The JSON the claim list's subject box asks for its suggestions
(static/js/subject-lookup.js): /subjects.json?q=stal.

Only people and organisations some published claim is about are suggested, so every
suggestion leads to claims; a draft's subjects stay unknown to readers. Two queries
(the agents, the other names that matched), however many agents there are.
"""

from django.http import JsonResponse
from django.views.decorators.http import require_safe

from reader.filters import SUBJECT_MAX_LENGTH, SUBJECT_MIN_LENGTH, matching_subjects


@require_safe
def subject_lookup(request):
    # Control characters go, as in the search: a NUL would make PostgreSQL refuse it.
    typed = "".join(char for char in request.GET.get("q", "") if char.isprintable() or char == " ")
    text = " ".join(typed.split())[:SUBJECT_MAX_LENGTH]
    agents = matching_subjects(text) if len(text) >= SUBJECT_MIN_LENGTH else []
    return JsonResponse(
        {
            "query": text,
            "results": [
                {
                    "slug": agent.slug,
                    "name": agent.name,
                    "kind": agent.get_kind_display(),
                    "other_name": agent.other_name,
                }
                for agent in agents
            ],
        }
    )
