"""Public views about claims (work in progress: placeholders so the URLs resolve)."""

from django.http import HttpResponse
from django.shortcuts import render


def _placeholder(request, *args, **kwargs):
    return render(request, "base.html")


home = claim_list = claim_json = claim_detail = methodology = _placeholder


def feed(request):
    return HttpResponse("", content_type="application/atom+xml")


def sitemap(request):
    return HttpResponse("", content_type="application/xml")


def robots_txt(request):
    return HttpResponse("User-agent: *\nDisallow: /admin/\n", content_type="text/plain")
