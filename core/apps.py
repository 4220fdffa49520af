from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    default = True
    name = "core"
    verbose_name = _("Core")


class TokensConfig(AppConfig):
    """django-rest-knox under a name staff understand in the admin."""

    name = "knox"
    label = "knox"
    verbose_name = _("API tokens")
