"""Admin building blocks shared by every app: company scoping, large-table counts, filters.

Company scoping is written once here, in `CompanyScopedAdminMixin`. A staff
user with a company sees, searches, filters, exports and edits only that
company's rows, and form choices and autocompletes offer only that company's
related rows. A superuser without a company sees everything.
"""

import json

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.paginator import Paginator
from django.db import connections
from django.utils.formats import number_format
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from core.estimates import query_row_estimate, table_row_estimate

admin.site.site_header = _("Chat session store")
admin.site.site_title = _("Chat session store")
admin.site.index_title = _("Administration")

# Up to this many rows a list shows an exact count. Above it, PostgreSQL gives
# an estimate, so that a list of millions of rows never runs a full COUNT(*).
EXACT_COUNT_LIMIT = 10_000
AUTOCOMPLETE_EXACT_COUNT_LIMIT = 100


def is_company_staff(user):
    """Return True when `user` is limited to one company (company staff, even when superuser)."""
    return user.company_id is not None


class EstimatedCountPaginator(Paginator):
    """A paginator that never counts more than `exact_count_limit` + 1 rows (EXACT_COUNT_LIMIT by default).

    PostgreSQL: the unfiltered list takes the table estimate from
    pg_class.reltuples (kept by ANALYZE and autovacuum), and a filtered list
    counts up to the limit exactly, then takes the planner's estimate.
    With `count_is_estimate` set, the template labels the count as an
    estimate, and the page links stop near the current page, because an
    estimated last page may not exist.
    SQLite has neither estimate, so there the count is always exact.
    """

    count_is_estimate = False

    def __init__(self, *args, exact_count_limit=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.exact_count_limit = EXACT_COUNT_LIMIT if exact_count_limit is None else exact_count_limit

    @cached_property
    def count(self):
        queryset = self.object_list
        if connections[queryset.db].vendor != "postgresql":
            return super().count

        if not queryset.query.where:
            estimate = table_row_estimate(queryset.model, queryset.db)
            if estimate is not None and estimate > self.exact_count_limit:
                self.count_is_estimate = True
                return estimate

        capped = queryset.order_by().values("pk")[: self.exact_count_limit + 1].count()
        if capped <= self.exact_count_limit:
            return capped
        self.count_is_estimate = True
        return max(capped, query_row_estimate(queryset))

    def page(self, number):
        if not (self.count and self.count_is_estimate):
            return super().page(number)

        # Django cuts the last page at `count`; an estimate may be too low.
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        return self._get_page(self.object_list[bottom : bottom + self.per_page], number, self)

    @property
    def count_display(self):
        """Return the count with thousands separators, for the "About N (estimate)" line."""
        return number_format(self.count, force_grouping=True)

    def get_elided_page_range(self, number=1, *, on_each_side=3, on_ends=2):
        if not self.count_is_estimate:
            yield from super().get_elided_page_range(number, on_each_side=on_each_side, on_ends=on_ends)
            return

        number = self.validate_number(number)
        last_shown = min(number + on_each_side, self.num_pages)
        yield from range(1, last_shown + 1)
        if last_shown < self.num_pages:
            yield self.ELLIPSIS


def scoped_choices(model, user):
    """Return the rows of `model` that `user` may pick in a form or an autocomplete."""
    return model._default_manager.visible_to(user)


class CompanyScopedAdminMixin:
    """Limit a ModelAdmin to the rows, choices and filters of the staff user's company.

    `company_field` names the model's foreign key to Company (None when the
    model reaches its company through another relation or is Company itself).
    Subclasses save through services by overriding `save_with_service()`;
    `save_model()` first gives new rows of company staff their company.
    """

    company_field = "company"
    paginator = EstimatedCountPaginator
    # Facet counts run one COUNT per filter choice over the whole table.
    show_facets = admin.ShowFacets.NEVER
    show_full_result_count = False

    def get_queryset(self, request):
        return self.scope_queryset(request, super().get_queryset(request))

    def get_paginator(
        self, request, queryset, per_page, orphans=0, allow_empty_first_page=True, exact_count_limit=None
    ):
        if exact_count_limit is None and _is_autocomplete(request):
            # An autocomplete needs the count only to offer a next page.
            exact_count_limit = AUTOCOMPLETE_EXACT_COUNT_LIMIT
        return self.paginator(queryset, per_page, orphans, allow_empty_first_page, exact_count_limit=exact_count_limit)

    def scope_queryset(self, request, queryset):
        """Return the rows of `queryset` that the request's user may see."""
        return queryset.visible_to(request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        related_model = db_field.remote_field.model
        if "queryset" not in kwargs and hasattr(related_model._default_manager, "visible_to"):
            kwargs["queryset"] = scoped_choices(related_model, request.user)

        if db_field.name == self.company_field and is_company_staff(request.user):
            # A disabled field ignores the posted value, so company staff
            # cannot assign another company even with a hand-made request.
            kwargs["initial"] = request.user.company_id
            kwargs["disabled"] = True
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_autocomplete_fields(self, request):
        fields = super().get_autocomplete_fields(request)
        if is_company_staff(request.user):
            return [name for name in fields if name != self.company_field]
        return fields

    def get_list_filter(self, request):
        filters = super().get_list_filter(request)
        if not is_company_staff(request.user):
            return filters
        return [item for item in filters if not self._filters_by_company(item)]

    def get_list_display(self, request):
        columns = super().get_list_display(request)
        if is_company_staff(request.user):
            return [column for column in columns if column != self.company_field]
        return columns

    @property
    def media(self):
        media = super().media
        if any(_is_company_autocomplete_filter(item) for item in self.list_filter):
            company_field = self.model._meta.get_field(CompanyAutocompleteFilter.field_name)
            media += AutocompleteSelect(company_field, self.admin_site).media
            # Listed with the scripts it needs, so that Media keeps it after them.
            media += forms.Media(
                js=["admin/js/jquery.init.js", "admin/js/autocomplete.js", "chat_admin/js/filter_autocomplete.js"]
            )
        return media

    def _filters_by_company(self, list_filter_item):
        if isinstance(list_filter_item, (list, tuple)):
            list_filter_item = list_filter_item[0]
        return list_filter_item == self.company_field or getattr(list_filter_item, "filters_company", False)

    def save_model(self, request, obj, form, change):
        if not change and self.company_field and is_company_staff(request.user):
            setattr(obj, f"{self.company_field}_id", request.user.company_id)
        self.save_with_service(request, obj, form, change)

    def save_with_service(self, request, obj, form, change):
        """Save `obj`; subclasses call their app's service here."""
        super().save_model(request, obj, form, change)


def adopt_saved_state(target, saved):
    """Copy the field values and saved state of `saved` onto `target`, the admin's form instance.

    Services return their own instance; the admin keeps using the form's, for
    the change message and the redirect after saving.
    """
    for field in saved._meta.concrete_fields:
        setattr(target, field.attname, getattr(saved, field.attname))
    target._state.adding = False
    target._state.db = saved._state.db


class SingleParameterFilter(admin.ListFilter):
    """A sidebar filter driven by one query string parameter, `parameter_name`."""

    parameter_name = None

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        if self.parameter_name in params:
            self.used_parameters[self.parameter_name] = params.pop(self.parameter_name)[-1]

    def has_output(self):
        return True

    def expected_parameters(self):
        return [self.parameter_name]

    def value(self):
        return self.used_parameters.get(self.parameter_name)


class CompanyAutocompleteFilter(SingleParameterFilter):
    """A company filter with a search box, so that the sidebar never lists every company.

    It reuses the admin's autocomplete view for the model's company field, so
    the choices are those of CompanyAdmin.get_queryset() for the request's user.
    """

    title = _("company")
    template = "admin/filters/company_autocomplete.html"
    filters_company = True
    field_name = "company"

    parameter_name = f"{field_name}__id__exact"

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        self.model = model

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        if not value.isdigit():
            # Behaves like an id that does not exist instead of raising a 500.
            return queryset.none()
        return queryset.filter(**{f"{self.field_name}_id": int(value)})

    def selected_company(self):
        from companies.models import Company

        value = self.value()
        if not value or not value.isdigit():
            return None
        return Company.objects.visible_to(self.request.user).filter(pk=int(value)).first()

    def choices(self, changelist):
        # The template renders one select box; this single "choice" carries what it needs.
        yield {
            "selected_company": self.selected_company(),
            "all_query_string": changelist.get_query_string(remove=[self.parameter_name, "p"]),
            "hidden_params": _hidden_params(changelist, exclude=[self.parameter_name]),
            "parameter_name": self.parameter_name,
            "app_label": self.model._meta.app_label,
            "model_name": self.model._meta.model_name,
            "field_name": self.field_name,
        }


class TextSearchFilter(SingleParameterFilter):
    """A sidebar filter with a text box; subclasses define `parameter_name` and `filter_queryset()`."""

    template = "admin/filters/text_search.html"
    help_text = ""

    def value(self):
        return (super().value() or "").strip()

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        return self.filter_queryset(request, queryset, value)

    def filter_queryset(self, request, queryset, value):
        raise NotImplementedError("subclasses of TextSearchFilter must provide filter_queryset()")

    def choices(self, changelist):
        yield {
            "value": self.value(),
            "parameter_name": self.parameter_name,
            "help_text": self.help_text,
            "clear_query_string": changelist.get_query_string(remove=[self.parameter_name, "p"]),
            "hidden_params": _hidden_params(changelist, exclude=[self.parameter_name]),
        }


def _is_autocomplete(request):
    return request.resolver_match is not None and request.resolver_match.url_name == "autocomplete"


def _is_company_autocomplete_filter(list_filter_item):
    return isinstance(list_filter_item, type) and issubclass(list_filter_item, CompanyAutocompleteFilter)


def _hidden_params(changelist, *, exclude):
    """Return the (name, value) pairs a filter's GET form resends to keep the other filters."""
    return [
        (name, value) for name, values in changelist.filter_params.items() if name not in exclude for value in values
    ]


class PrettyJSONField(forms.JSONField):
    """A JSON form field that shows its value indented, one key a line."""

    def prepare_value(self, value):
        if isinstance(value, forms.fields.InvalidJSONInput):
            return value
        return json.dumps(value, ensure_ascii=False, indent=2, cls=self.encoder)
