import sys

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from tqdm import tqdm

from chat.demo.loader import DEMO_PASSWORD, SUPERUSER_NAME, demo_data_load
from core.management.base import LocalizedCommand


class Command(LocalizedCommand):
    help = gettext_lazy(
        "Load demo companies, staff users, clients and multi-turn chat sessions in Spanish, English and "
        "Portuguese. Running it again creates only what is missing. "
        "Example: manage.py load_demo_data --sessions 100000"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--sessions",
            type=int,
            default=300,
            help=gettext_lazy("Total number of demo sessions, spread over three companies (default: 300)."),
        )

    def handle(self, *args, sessions, verbosity, **options):
        if sessions < 0:
            raise CommandError(_("--sessions must be zero or more, not %(value)d.") % {"value": sessions})

        show_progress = verbosity > 0 and sys.stderr.isatty()
        with tqdm(total=sessions, unit=_("sessions"), disable=not show_progress) as bar:
            created = demo_data_load(sessions=sessions, progress=bar.update)

        if verbosity > 0:
            self.stdout.write(
                _("Created %(sessions)d sessions and %(messages)d messages.")
                % {"sessions": created["sessions"], "messages": created["messages"]}
            )
            self.stdout.write(
                _("Demo admin login: user %(user)s, password %(password)s")
                % {"user": SUPERUSER_NAME, "password": DEMO_PASSWORD}
            )
