"""The admin start page's review sections (templates/admin/index.html)."""

from django import template

from claims.review_queue import queue_for

register = template.Library()

START_PAGE_ROWS = 10


@register.inclusion_tag("admin/claims/review/_sections.html", takes_context=True)
def review_start_page(context):
    request = context["request"]
    queue = queue_for(request.user, limit=START_PAGE_ROWS, back_to=request.path)
    return {**queue, "start_page": True}
