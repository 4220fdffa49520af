from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.validators import validate_language_tag


class CompanyQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Return the companies `user` may see: all for platform operators, their own for staff."""
        if user.is_superuser and user.company_id is None:
            return self.all()
        return self.filter(pk=user.company_id)


class Company(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=50, unique=True)
    is_active = models.BooleanField(_("active"), default=True)
    default_language = models.CharField(
        _("default language"),
        max_length=10,
        default="es",
        validators=[validate_language_tag],
        help_text=_("BCP-47 tag given to new sessions that do not name a language, such as es or pt-BR."),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    objects = CompanyQuerySet.as_manager()

    class Meta:
        db_table = "companies"
        ordering = ["name"]
        verbose_name = _("company")
        verbose_name_plural = _("companies")

    def __str__(self):
        return self.name
