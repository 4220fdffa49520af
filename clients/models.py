from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.ids import generate_id
from core.tenancy import TenantQuerySet
from core.validators import validate_caller_id, validate_metadata


class ClientQuerySet(TenantQuerySet):
    pass


class Client(models.Model):
    """A customer of a company who talks to its chat assistant."""

    id = models.CharField(
        _("id"), max_length=255, primary_key=True, default=generate_id, validators=[validate_caller_id]
    )
    company = models.ForeignKey(
        "companies.Company", on_delete=models.CASCADE, related_name="clients", verbose_name=_("company")
    )
    name = models.CharField(_("name"), max_length=255, blank=True)
    email = models.EmailField(_("email"), max_length=254, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    external_id = models.CharField(
        _("external id"),
        max_length=255,
        blank=True,
        help_text=_("The company's own id for this client, such as its CRM id. Unique within the company."),
    )
    metadata = models.JSONField(_("metadata"), default=dict, blank=True, validators=[validate_metadata])
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ClientQuerySet.as_manager()

    class Meta:
        db_table = "clients"
        ordering = ["-created_at", "id"]
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        constraints = [
            models.UniqueConstraint(
                fields=["company", "external_id"],
                condition=~Q(external_id=""),
                name="clients_external_id_unique_per_company",
                violation_error_message=_("This company already has a client with this external id."),
            ),
        ]
        indexes = [
            models.Index(fields=["company", "email"], name="clients_company_email_idx"),
            models.Index(fields=["company", "-created_at", "id"], name="clients_company_created_idx"),
        ]

    def __str__(self):
        return self.name or self.email or self.external_id or self.id
