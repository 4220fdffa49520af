"""The one DRF exception handler: domain and Django errors become DRF's usual error shapes."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

from core.exceptions import ConflictError


def exception_handler(exc, context):
    """Map ConflictError to 409 and Django's ValidationError to 400, then defer to DRF.

    A conflict that names a field is returned in the field-error shape
    (`{"id": ["..."]}`), any other as `{"detail": "..."}`.
    """
    if isinstance(exc, ConflictError):
        data = {exc.field: [exc.message]} if exc.field else {"detail": exc.message}
        return Response(data, status=status.HTTP_409_CONFLICT)

    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))

    if isinstance(exc, Http404):
        # Django's message names the model class ("No ChatSession matches the
        # given query."); clients get DRF's translated "Not found." instead.
        exc = exceptions.NotFound()

    return drf_exception_handler(exc, context)
