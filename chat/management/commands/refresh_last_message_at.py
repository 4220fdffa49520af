from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chat.maintenance import BATCH_SIZE, session_refresh_last_message_at
from chat.management.base import MaintenanceCommand, RunningCountProgress


class Command(MaintenanceCommand):
    help = gettext_lazy("Recompute each session's last activity (last_message_at) from its messages.")
    epilog = gettext_lazy(
        "Examples:\n"
        "  python manage.py refresh_last_message_at\n"
        "  python manage.py refresh_last_message_at --company acme --batch-size 2000\n"
        "\n"
        "last_message_at becomes the time of the session's latest message, or its created_at when it has\n"
        "no messages. This repairs data written around the services (e.g. raw SQL) and may move the value\n"
        "back. Sessions are updated in batches, each in its own short transaction."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--company", metavar="SLUG", help=gettext_lazy("Refresh only this company's sessions (slug), e.g. acme.")
        )
        self.add_batch_size_argument(
            parser,
            default=BATCH_SIZE,
            help=gettext_lazy("Sessions updated per transaction (default %(default)s)."),
        )

    def handle(self, *args, **options):
        company = self.get_company(options["company"]) if options["company"] else None

        with self.progress(unit="ses", description=_("Refreshing")) as bar:
            progress = RunningCountProgress(bar, "sessions_checked")
            result = session_refresh_last_message_at(
                company=company, batch_size=options["batch_size"], on_batch=progress.update
            )

        if self.verbosity > 0:
            self.stdout.write(_("Sessions checked: %(count)d") % {"count": result.sessions_checked})
            self.stdout.write(_("Sessions changed: %(count)d") % {"count": result.sessions_changed})
