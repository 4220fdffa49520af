"""Base class for this project's management commands."""

import logging

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class LocalizedCommand(BaseCommand):
    """A command whose output and errors follow `--language`, else LANGUAGE_CODE.

    With `--verbosity 0` it also drops log records below WARNING.
    """

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.add_argument(
            "--language",
            help=gettext_lazy("Language of the output: es or en (default: the LANGUAGE_CODE setting)."),
        )
        return parser

    def execute(self, *args, **options):
        if options.get("verbosity", 1) == 0:
            # Quiet means no log lines below WARNING either, for cron jobs.
            previous = logging.root.manager.disable
            logging.disable(logging.INFO)
            try:
                return self._execute_in_language(*args, **options)
            finally:
                logging.disable(previous)
        return self._execute_in_language(*args, **options)

    def _execute_in_language(self, *args, **options):
        language = options.get("language") or settings.LANGUAGE_CODE
        if language not in dict(settings.LANGUAGES):
            raise CommandError(
                _("Unknown language %(language)s; use one of: %(choices)s.")
                % {"language": language, "choices": ", ".join(dict(settings.LANGUAGES))}
            )
        with translation.override(language):
            return super().execute(*args, **options)
