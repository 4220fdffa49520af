"""Writes to companies. Every write path (admin, commands) calls these."""

import logging

from django.db import transaction

from companies.models import Company

logger = logging.getLogger(__name__)

EDITABLE_FIELDS = ("name", "slug", "is_active", "default_language")


def company_create(*, name, slug, is_active=True, default_language="es"):
    """Create a company after validating its fields; raise ValidationError naming the invalid ones."""
    company = Company(name=name, slug=slug, is_active=is_active, default_language=default_language)
    company.full_clean()
    with transaction.atomic():
        company.save(force_insert=True)
    logger.info("Created company %s", company.pk)
    return company


def company_update(*, company, **changes):
    """Change the editable fields of a company after validating them."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"company_update() got unexpected fields: {sorted(unknown)}")

    for field, value in changes.items():
        setattr(company, field, value)
    company.full_clean()
    company.save(update_fields=list(changes) or None)
    logger.info("Updated company %s fields %s", company.pk, ",".join(sorted(changes)))
    return company
