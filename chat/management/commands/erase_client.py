from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chat.maintenance import client_erase
from chat.management.base import MaintenanceCommand
from clients.models import Client


class Command(MaintenanceCommand):
    help = gettext_lazy("Erase one client's personal data, keeping its rows, counts and timestamps.")
    epilog = gettext_lazy(
        "Examples:\n"
        "  python manage.py erase_client 01JD8Z6Q4X2M9V7K3T5R1B0C8N --dry-run\n"
        "  python manage.py erase_client 01JD8Z6Q4X2M9V7K3T5R1B0C8N\n"
        "\n"
        "Empties the client's name, email, phone, external_id and metadata, and the content and metadata\n"
        "of every message in the client's sessions. Sessions, messages, roles and times stay, so counts\n"
        "and statistics do not change. Running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "client_id", metavar="CLIENT_ID", help=gettext_lazy("Id of the client, as shown in the admin or the API.")
        )
        parser.add_argument(
            "--dry-run", action="store_true", help=gettext_lazy("Print what would be erased, changing nothing.")
        )

    def handle(self, *args, **options):
        client = Client.objects.filter(pk=options["client_id"]).select_related("company").first()
        if client is None:
            raise CommandError(_("Client not found: %(id)s.") % {"id": options["client_id"]})

        result = client_erase(client=client, dry_run=options["dry_run"])

        if self.verbosity == 0:
            return
        fields = ", ".join(result.client_fields) or _("none")
        if options["dry_run"]:
            self.stdout.write(_("Dry run: nothing was changed."))
            self.stdout.write(_("Client fields to erase: %(fields)s") % {"fields": fields})
            self.stdout.write(_("Messages to erase: %(count)d") % {"count": result.messages})
            self.stdout.write(_("Sessions with messages to erase: %(count)d") % {"count": result.sessions})
            return
        self.stdout.write(_("Client %(id)s of company %(company)s") % {"id": client.pk, "company": client.company.slug})
        self.stdout.write(_("Client fields erased: %(fields)s") % {"fields": fields})
        self.stdout.write(_("Messages erased: %(count)d") % {"count": result.messages})
        self.stdout.write(_("Sessions with erased messages: %(count)d") % {"count": result.sessions})
