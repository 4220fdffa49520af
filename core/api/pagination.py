"""Keyset (seek) cursor pagination on the ordering of the queryset.

DRF's CursorPagination seeks on the first ordering field only and steps over
rows with equal values by an offset, capped at 1,000. This class seeks on
every ordering field, and the last one must be the primary key. A page is
"the rows after (value, id)" in the ordering. A B-tree index on
(company, value, id) finds them without reading the rows before, and rows
with equal values are neither skipped nor repeated.

The cursor is the position (the ordering values of the first or last row of a
page), the direction and the ordering it was made for, signed with
SECRET_KEY and encoded as URL-safe base64. A cursor that was changed, or that
was made for another ordering, gets 400.
"""

from django.core import signing
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError as APIValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

CURSOR_SALT = "core.api.pagination.cursor"


class KeysetCursorPagination(BasePagination):
    page_size = 50
    max_page_size = 200
    cursor_query_param = "cursor"
    page_size_query_param = "page_size"

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.page_size = self._page_size(request)
        self.ordering = _ordering_of(queryset)
        position, self.reverse = self._decode_cursor(request)

        if position is not None:
            queryset = queryset.filter(_seek_condition(self.ordering, position, reverse=self.reverse))
        if self.reverse:
            queryset = queryset.order_by(*[_invert(term) for term in self.ordering])
        rows = list(queryset[: self.page_size + 1])

        has_more = len(rows) > self.page_size
        rows = rows[: self.page_size]
        if self.reverse:
            rows.reverse()
            self.has_previous, self.has_next = has_more, position is not None
        else:
            self.has_next, self.has_previous = has_more, position is not None
        self.page = rows
        return rows

    def get_paginated_response(self, data):
        return Response({"next": self.get_next_link(), "previous": self.get_previous_link(), "results": data})

    def get_next_link(self):
        if not self.has_next or not self.page:
            return None
        return self._link(self.page[-1], reverse=False)

    def get_previous_link(self):
        if not self.has_previous or not self.page:
            return None
        return self._link(self.page[0], reverse=True)

    def get_paginated_response_schema(self, schema):
        link = {"type": "string", "nullable": True, "format": "uri"}
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {
                "next": {**link, "description": _("URL of the next page; null on the last page.")},
                "previous": {**link, "description": _("URL of the previous page; null on the first page.")},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": _("Opaque cursor from the `next` or `previous` link of a page."),
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": _("Number of results per page, from 1 to %(max)d (default %(default)d).")
                % {"max": self.max_page_size, "default": self.page_size},
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]

    def _page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not raw.isdecimal() or not 1 <= int(raw) <= self.max_page_size:
            raise APIValidationError(
                {
                    self.page_size_query_param: [
                        _("Enter a whole number from 1 to %(max)d.") % {"max": self.max_page_size}
                    ]
                }
            )
        return int(raw)

    def _decode_cursor(self, request):
        encoded = request.query_params.get(self.cursor_query_param)
        if encoded is None:
            return None, False
        try:
            payload = signing.loads(encoded, salt=CURSOR_SALT)
        except signing.BadSignature as error:
            raise _invalid_cursor(_("Invalid cursor. Use the next or previous link of a page as it is.")) from error

        if payload.get("o") != _ordering_names(self.ordering):
            raise _invalid_cursor(_("This cursor belongs to another ordering. Repeat the request without the cursor."))
        return _parse_position(self.ordering, payload.get("p")), bool(payload.get("r"))

    def _link(self, row, *, reverse):
        payload = {"o": _ordering_names(self.ordering), "p": _position_of(row, self.ordering), "r": reverse}
        cursor = signing.dumps(payload, salt=CURSOR_SALT, compress=True)
        url = self.request.build_absolute_uri()
        return replace_query_param(remove_query_param(url, self.cursor_query_param), self.cursor_query_param, cursor)


def _invalid_cursor(message):
    return APIValidationError({"cursor": [message]})


def _ordering_of(queryset):
    """Return the queryset's ordering as (name, descending, field) triples; the last must be the primary key."""
    meta = queryset.model._meta
    terms = queryset.query.order_by or (meta.ordering if queryset.query.default_ordering else ())
    if not terms or not all(isinstance(term, str) for term in terms):
        raise ImproperlyConfigured(f"KeysetCursorPagination needs an ordering by field names; got {terms!r}")

    ordering = []
    for term in terms:
        name = term.lstrip("-")
        field = meta.pk if name == "pk" else meta.get_field(name)
        ordering.append((field.name, term.startswith("-"), field))
    if ordering[-1][2] != meta.pk:
        raise ImproperlyConfigured(
            f"KeysetCursorPagination needs an ordering that ends with the primary key; got {terms!r}"
        )
    return ordering


def _ordering_names(ordering):
    return [f"-{name}" if descending else name for name, descending, _field in ordering]


def _invert(term):
    name, descending, _field = term
    return name if descending else f"-{name}"


def _position_of(row, ordering):
    return [field.value_to_string(row) for _name, _descending, field in ordering]


def _parse_position(ordering, position):
    if not isinstance(position, list) or len(position) != len(ordering):
        raise _invalid_cursor(_("Invalid cursor. Use the next or previous link of a page as it is."))
    try:
        return [field.to_python(value) for (_name, _descending, field), value in zip(ordering, position, strict=True)]
    except ValidationError as error:
        raise _invalid_cursor(_("Invalid cursor. Use the next or previous link of a page as it is.")) from error


def _seek_condition(ordering, position, *, reverse):
    """Return the filter for the rows strictly after `position` in `ordering` (before it when `reverse`).

    For ordering (a DESC, id DESC) and position (x, y) that is
    `a <= x AND (a < x OR (a = x AND id < y))`. The first clause repeats what
    the second implies, so that the database can start an index scan at x.
    """
    clauses = Q()
    for index, (name, descending, _field) in enumerate(ordering):
        before = {prior_name: value for (prior_name, _d, _f), value in zip(ordering[:index], position, strict=False)}
        lookup = "lt" if descending != reverse else "gt"
        clauses |= Q(**before, **{f"{name}__{lookup}": position[index]})

    first_name, first_descending, _field = ordering[0]
    bound = "lte" if first_descending != reverse else "gte"
    return Q(**{f"{first_name}__{bound}": position[0]}) & clauses
