import datetime

from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chat.maintenance import BATCH_SIZE, session_purge
from chat.management.base import (
    MaintenanceCommand,
    RunningCountProgress,
    parse_datetime_option,
    positive_int,
)


class Command(MaintenanceCommand):
    help = gettext_lazy("Delete sessions, with their messages, whose last activity is older than a cutoff.")
    epilog = gettext_lazy(
        "Examples:\n"
        "  python manage.py purge_chat_sessions --inactive-days 365 --dry-run\n"
        "  python manage.py purge_chat_sessions --inactive-days 365\n"
        "  python manage.py purge_chat_sessions --before 2025-01-01 --company acme --batch-size 500\n"
        "\n"
        "Sessions are selected by last_message_at. Each batch of sessions is deleted with its messages\n"
        "in its own short transaction; stopped (Ctrl-C, a lost connection), the command keeps what it\n"
        "deleted, and running it again finishes the job."
    )

    def add_arguments(self, parser):
        cutoff = parser.add_mutually_exclusive_group(required=True)
        cutoff.add_argument(
            "--inactive-days",
            metavar="N",
            type=positive_int,
            help=gettext_lazy("Delete sessions with no activity for this many days (24-hour periods), e.g. 365."),
        )
        cutoff.add_argument(
            "--before",
            metavar="DATE",
            help=gettext_lazy(
                "Delete sessions last active before this date (midnight UTC) or ISO 8601 datetime, e.g. 2025-01-01."
            ),
        )
        parser.add_argument(
            "--company", metavar="SLUG", help=gettext_lazy("Purge only this company's sessions (slug), e.g. acme.")
        )
        parser.add_argument(
            "--dry-run", action="store_true", help=gettext_lazy("Count the sessions and messages, deleting nothing.")
        )
        self.add_batch_size_argument(
            parser,
            default=BATCH_SIZE,
            help=gettext_lazy("Sessions deleted per transaction (default %(default)s)."),
        )

    def handle(self, *args, **options):
        company = self.get_company(options["company"]) if options["company"] else None
        if options["before"]:
            before = parse_datetime_option(options["before"], "--before")
        else:
            before = self._days_ago(options["inactive_days"])

        with self.progress(unit="ses", description=_("Purging")) as bar:
            progress = RunningCountProgress(bar, "sessions")
            result = session_purge(
                before=before,
                company=company,
                batch_size=options["batch_size"],
                dry_run=options["dry_run"],
                on_batch=progress.update,
            )

        if self.verbosity == 0:
            return
        if options["dry_run"]:
            self.stdout.write(_("Dry run: nothing was deleted."))
            self.stdout.write(_("Sessions to delete: %(count)d") % {"count": result.sessions})
            self.stdout.write(_("Messages to delete: %(count)d") % {"count": result.messages})
            return
        self.stdout.write(_("Sessions deleted: %(count)d") % {"count": result.sessions})
        self.stdout.write(_("Messages deleted: %(count)d") % {"count": result.messages})

    def _days_ago(self, days):
        try:
            return timezone.now() - datetime.timedelta(days=days)
        except OverflowError:
            raise CommandError(
                _("--inactive-days %(days)d reaches before year 1; use a smaller number.") % {"days": days}
            ) from None
