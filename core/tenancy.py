"""Tenant scoping, written once.

Every model that stores a company's data uses a manager built from
`TenantQuerySet`, and every read of tenant data goes through `for_company()`
or `visible_to()`. Both put the company filter first, so the queries stay
valid when the tables are later sharded by company.
"""

from django.db import models


class TenantQuerySet(models.QuerySet):
    # Path from the model to its company, for models that reach it through a relation.
    company_field = "company"

    def for_company(self, company):
        """Return the rows of one company (a Company or its id)."""
        return self.filter(**{self.company_field: company})

    def visible_to(self, user):
        """Return the rows `user` may see: all for platform operators, one company for staff."""
        if user.is_superuser and user.company_id is None:
            return self.all()
        if user.company_id is None:
            return self.none()
        return self.for_company(user.company_id)
