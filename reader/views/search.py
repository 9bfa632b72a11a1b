"""The search across claims, sources and people."""

from django.shortcuts import render

from reader import search as site_search


def search_page(request):
    # Control characters (a NUL would make PostgreSQL refuse the query) go, and runs of
    # spaces become one.
    text = "".join(
        char for char in request.GET.get("q", "") if char.isprintable() or char.isspace()
    )
    query = " ".join(text.split())
    context = {
        "query": query,
        "max_length": site_search.MAX_QUERY_LENGTH,
        "too_long": False,
        "no_words": False,
        "results": None,
    }
    if len(query) > site_search.MAX_QUERY_LENGTH:
        context["too_long"] = True
    elif query and not site_search.query_words(query):
        # Only excluded words (-Mao) or punctuation: nothing to look for, and "every
        # record but these" would read the whole archive.
        context["no_words"] = True
    elif query:
        context["results"] = site_search.search(query)
    return render(request, "search/results.html", context)
