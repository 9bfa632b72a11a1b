"""A view that does nothing, served only when BENCHMARK_VIEWS is set: the load test
measures a cached page against it under the same server and middleware, which is the
least any answer of this site can cost."""

from django.http import HttpResponse


def hello(request):
    return HttpResponse("Hello, world.\n", content_type="text/plain")
