"""Middleware shared by the whole project."""

from django.conf import settings
from django.http import JsonResponse
from django.utils.translation import gettext as _


class APIRequestBodyLimitMiddleware:
    """Reject API requests whose declared body is larger than DATA_UPLOAD_MAX_MEMORY_SIZE with 413.

    DRF's parsers read the request stream directly, so Django's own check on
    `request.body` never runs for API requests. Only paths under /api/ are
    checked, because admin file uploads have their own limits.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and request.path.startswith("/api/"):
            length = _content_length(request)
            if length > limit:
                message = _("The request body is %(size)d bytes; the maximum is %(max)d bytes.") % {
                    "size": length,
                    "max": limit,
                }
                return JsonResponse({"detail": message}, status=413)
        return self.get_response(request)


def _content_length(request):
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0
