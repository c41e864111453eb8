"""Health endpoints for the load balancer and for Kubernetes probes (docs/operations.md).

No sign-in and no personal data: states and counts only. Thin: ``core.health`` decides.
"""

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_GET

from koers.core import health, metrics


@require_GET
def live(request: HttpRequest) -> JsonResponse:
    """The process answers; asks nothing of the database."""
    return JsonResponse({"status": "alive"})


@require_GET
def ready(request: HttpRequest) -> JsonResponse:
    """200 when the database answers, the migrations are applied and a worker beats; 503
    otherwise. The body says which check failed and how much e-mail waits."""
    readiness = health.readiness()
    return JsonResponse(readiness.as_json(), status=200 if readiness.ready else 503)


@require_GET
def metrics_page(request: HttpRequest) -> HttpResponse:
    """Prometheus metrics, for the bearer of ``KOERS_METRICS_TOKEN``; counts and durations
    only. Anyone else finds no such page."""
    if not metrics.allowed(request.headers.get("Authorization", "")):
        raise Http404
    return HttpResponse(metrics.exposition(), content_type=metrics.CONTENT_TYPE)
