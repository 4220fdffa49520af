"""Shared behaviour of the data-maintenance commands.

Each command gets an epilog with examples, which `--help` prints as
written, and option parsers for dates, companies and batch sizes. A bad
option raises CommandError with a message naming the option. The progress
bar appears on a terminal only. An unreachable database (exit status 1) or
Ctrl-C (exit status 130) ends the command with a CommandError, not a
traceback.
"""

import argparse
import datetime
import logging

from django.core.management.base import CommandError, DjangoHelpFormatter
from django.db import OperationalError
from django.utils.translation import gettext as _
from tqdm import tqdm

from companies.models import Company
from core.management.base import LocalizedCommand

logger = logging.getLogger(__name__)

MAX_BATCH_SIZE = 50_000


class MaintenanceHelpFormatter(DjangoHelpFormatter, argparse.RawDescriptionHelpFormatter):
    """Django's help layout, keeping the line breaks of the description and epilog."""


class MaintenanceCommand(LocalizedCommand):
    # Examples printed after the options by --help, line breaks kept.
    epilog = None

    def create_parser(self, prog_name, subcommand, **kwargs):
        kwargs.setdefault("formatter_class", MaintenanceHelpFormatter)
        kwargs.setdefault("epilog", self.epilog)
        return super().create_parser(prog_name, subcommand, **kwargs)

    def execute(self, *args, **options):
        self.verbosity = options.get("verbosity", 1)
        try:
            return super().execute(*args, **options)
        except KeyboardInterrupt:
            logger.warning("Command %s interrupted", self._command_name())
            raise CommandError(
                _("Interrupted. Work committed before the interruption is kept; run the command again to finish."),
                returncode=130,
            ) from None
        except OperationalError as error:
            logger.exception("Command %s failed: database error", self._command_name())
            raise CommandError(_("Database error: %(error)s") % {"error": error}) from error

    def add_batch_size_argument(self, parser, *, default, help):
        """Add --batch-size N, a whole number from 1 to MAX_BATCH_SIZE."""
        parser.add_argument("--batch-size", metavar="N", type=batch_size, default=default, help=help)

    def _command_name(self):
        return self.__class__.__module__.rsplit(".", 1)[-1]

    def progress(self, *, total=None, unit, description):
        """Return a tqdm bar on standard error, disabled unless it is a terminal and verbosity > 0."""
        enabled = self.verbosity > 0 and self.stderr.isatty()
        # tqdm redraws with carriage returns, so it writes to the stream under
        # Django's OutputWrapper, which would append a newline to every write.
        return tqdm(total=total, unit=unit, desc=description, disable=not enabled, file=self.stderr._out, leave=False)

    def get_company(self, slug):
        """Return the company with `slug`, or raise CommandError naming it."""
        company = Company.objects.filter(slug=slug).first()
        if company is None:
            raise CommandError(
                _("Company not found: %(slug)s. Check the slug in the admin's company list.") % {"slug": slug}
            )
        return company


class RunningCountProgress:
    """Advance a tqdm bar to a running count that a service reports after each batch."""

    def __init__(self, bar, attribute):
        self.bar = bar
        self.attribute = attribute
        self.done = 0

    def update(self, result):
        count = getattr(result, self.attribute)
        self.bar.update(count - self.done)
        self.done = count


def parse_datetime_option(value, option):
    """Parse YYYY-MM-DD (midnight UTC) or an ISO 8601 datetime (naive means UTC)."""
    try:
        if len(value) == 10:
            parsed = datetime.datetime.combine(datetime.date.fromisoformat(value), datetime.time())
        else:
            parsed = datetime.datetime.fromisoformat(value)
    except ValueError:
        raise CommandError(
            _("Invalid date for %(option)s: %(value)s. Use YYYY-MM-DD or an ISO 8601 datetime such as %(example)s.")
            % {"option": option, "value": value, "example": "2026-01-31T12:00:00Z"}
        ) from None

    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=datetime.UTC)
    return parsed


def positive_int(value):
    """argparse type: a whole number of at least 1."""
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(_("%(value)s is not a whole number of at least 1.") % {"value": value})
    return number


def batch_size(value):
    """argparse type: a batch size between 1 and MAX_BATCH_SIZE rows."""
    number = positive_int(value)
    if number > MAX_BATCH_SIZE:
        raise argparse.ArgumentTypeError(
            _("%(value)s is above the maximum batch size of %(max)d.") % {"value": value, "max": MAX_BATCH_SIZE}
        )
    return number
