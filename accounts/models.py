from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.tenancy import TenantQuerySet


class UserQuerySet(TenantQuerySet):
    pass


class TenantUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """A person who signs in: a company's staff member, or a platform operator when `company` is empty."""

    company = models.ForeignKey(
        "companies.Company",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("company"),
        help_text=_("Leave empty for platform operators, who see every company."),
    )

    objects = TenantUserManager()

    class Meta:
        db_table = "users"
        verbose_name = _("user")
        verbose_name_plural = _("users")
