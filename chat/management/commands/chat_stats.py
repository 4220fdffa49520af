import json
import logging

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chat.management.base import MaintenanceCommand
from chat.selectors import count_sessions_and_messages_by_company_language

logger = logging.getLogger(__name__)


class Command(MaintenanceCommand):
    help = gettext_lazy("Print the number of sessions and messages per company and language.")
    epilog = gettext_lazy(
        "Examples:\n"
        "  python manage.py chat_stats\n"
        "  python manage.py chat_stats --company acme --json\n"
        "\n"
        "--json prints a JSON array of {company, language, sessions, messages}, sorted by company slug\n"
        "and language; the table adds a total line."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--company", metavar="SLUG", help=gettext_lazy("Count only this company (slug), e.g. acme.")
        )
        parser.add_argument(
            "--json", action="store_true", help=gettext_lazy("Print JSON instead of a table, for scripts.")
        )

    def handle(self, *args, **options):
        company = self.get_company(options["company"]) if options["company"] else None
        logger.info("Statistics started: company %s", company.pk if company else None)
        rows = count_sessions_and_messages_by_company_language(company=company)
        logger.info(
            "Statistics finished: company %s rows %d sessions %d messages %d",
            company.pk if company else None,
            len(rows),
            sum(row["sessions"] for row in rows),
            sum(row["messages"] for row in rows),
        )

        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        self._write_table(rows)

    def _write_table(self, rows):
        header = (_("Company"), _("Language"), _("Sessions"), _("Messages"))
        total = (_("Total"), "", sum(row["sessions"] for row in rows), sum(row["messages"] for row in rows))
        lines = [header] + [(row["company"], row["language"], row["sessions"], row["messages"]) for row in rows]
        lines.append(total)
        widths = [max(len(str(line[column])) for line in lines) for column in range(4)]

        for line in lines:
            cells = [str(line[0]).ljust(widths[0]), str(line[1]).ljust(widths[1])]
            cells += [str(line[2]).rjust(widths[2]), str(line[3]).rjust(widths[3])]
            self.stdout.write("  ".join(cells).rstrip())
