import sys

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chat.maintenance import BATCH_SIZE, company_delete_in_batches
from chat.management.base import MaintenanceCommand, RunningCountProgress


class Command(MaintenanceCommand):
    help = gettext_lazy("Delete a company with all its sessions, messages, clients and users, in batches.")
    epilog = gettext_lazy(
        "Examples:\n"
        "  python manage.py delete_company acme --dry-run\n"
        "  python manage.py delete_company acme\n"
        "  python manage.py delete_company acme --no-input --batch-size 2000\n"
        "\n"
        "Deleting a large company in the admin loads every related row into memory; this command deletes\n"
        "in short transactions instead. The company is marked inactive first and deleted last, so an\n"
        "interrupted run leaves an inactive company that a second run finishes deleting."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", metavar="SLUG", help=gettext_lazy("Slug of the company to delete, e.g. acme."))
        self.add_batch_size_argument(
            parser,
            default=BATCH_SIZE,
            help=gettext_lazy("Sessions, clients or users deleted per transaction (default %(default)s)."),
        )
        parser.add_argument(
            "--dry-run", action="store_true", help=gettext_lazy("Count what would be deleted, deleting nothing.")
        )
        parser.add_argument(
            "--no-input",
            "--noinput",
            action="store_false",
            dest="interactive",
            help=gettext_lazy("Delete without asking to type the slug again (needed without a terminal)."),
        )

    def handle(self, *args, **options):
        company = self.get_company(options["slug"])
        if not options["dry_run"] and options["interactive"]:
            self._confirm(company)

        with self.progress(unit="ses", description=_("Deleting")) as bar:
            progress = RunningCountProgress(bar, "sessions")
            result = company_delete_in_batches(
                company=company,
                batch_size=options["batch_size"],
                dry_run=options["dry_run"],
                on_batch=progress.update,
            )

        if self.verbosity == 0:
            return
        if options["dry_run"]:
            self.stdout.write(_("Dry run: nothing was deleted."))
        counts = [
            (_("Sessions"), result.sessions),
            (_("Messages"), result.messages),
            (_("Clients"), result.clients),
            (_("Users"), result.users),
        ]
        for label, count in counts:
            self.stdout.write(_("%(label)s: %(count)d") % {"label": label, "count": count})
        if result.company_deleted:
            self.stdout.write(_("Company %(slug)s deleted.") % {"slug": options["slug"]})

    def _confirm(self, company):
        if not sys.stdin.isatty():
            raise CommandError(_("Standard input is not a terminal; pass --no-input to delete without confirming."))
        answer = input(
            _("This deletes company %(slug)s and all its data. Type the slug to confirm: ") % {"slug": company.slug}
        )
        if answer.strip() != company.slug:
            raise CommandError(_("Deletion cancelled; nothing was deleted."))
