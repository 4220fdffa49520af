import contextlib
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from chat.importers import BATCH_SIZE, FORMATS, import_sessions, location_message
from chat.management.base import MaintenanceCommand
from core.validators import validate_language_tag


class Command(MaintenanceCommand):
    help = gettext_lazy("Import chat sessions with their messages from a native, OpenAI or ShareGPT file.")
    epilog = gettext_lazy(
        "Examples:\n"
        "  python manage.py import_chat_sessions acme.jsonl --company acme\n"
        "  python manage.py import_chat_sessions train.jsonl --company acme --format openai --session-language en\n"
        "  python manage.py import_chat_sessions data.json --company acme --format sharegpt --dry-run\n"
        "  gunzip -c acme.jsonl.gz | python manage.py import_chat_sessions - --company acme\n"
        "\n"
        "Importing a file again adds nothing: sessions are matched by id (openai records, and sharegpt\n"
        "records without a usable id, get an id hashed from the company and the record), messages by\n"
        "position. Bad records are reported by line or record number and skipped. Exit status: 0 when\n"
        "every record was imported or already present, 1 when any record was skipped or on an error."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "file", metavar="FILE", help=gettext_lazy("Path of the file to import, or - to read standard input.")
        )
        parser.add_argument(
            "--company",
            required=True,
            metavar="SLUG",
            help=gettext_lazy("Slug of the company that receives the sessions, e.g. acme."),
        )
        parser.add_argument(
            "--format",
            choices=sorted(FORMATS),
            default="native",
            help=gettext_lazy(
                "File format: native (this product's export, JSON Lines), openai (JSON Lines of "
                '{"messages": [...]}) or sharegpt (a JSON array of {"conversations": [...]}). Default: native.'
            ),
        )
        parser.add_argument(
            "--session-language",
            metavar="TAG",
            help=gettext_lazy(
                "BCP-47 tag given to openai and sharegpt sessions, e.g. en or pt-BR. "
                "Default: the company's default language. Native records carry their own."
            ),
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=gettext_lazy("Read and validate every record and print the summary, writing nothing."),
        )

        self.add_batch_size_argument(
            parser,
            default=BATCH_SIZE,
            help=gettext_lazy("Records written per transaction (default %(default)s)."),
        )

    def handle(self, *args, **options):
        company = self.get_company(options["company"])
        language = self._language(options)

        with self._open(options["file"]) as stream, self.progress(unit="rec", description=_("Importing")) as bar:
            result = import_sessions(
                stream=stream,
                company=company,
                format=options["format"],
                dry_run=options["dry_run"],
                language=language,
                batch_size=options["batch_size"],
                on_error=self._report_skipped,
                on_record=bar.update,
            )

        self._print_summary(result, options["dry_run"])
        if result.stopped:
            raise CommandError(_("Reading stopped. %(reason)s") % {"reason": result.stopped})
        if result.records_skipped:
            message = ngettext(
                "%(count)d record was skipped; see the messages above.",
                "%(count)d records were skipped; see the messages above.",
                result.records_skipped,
            )
            raise CommandError(message % {"count": result.records_skipped})

    def _language(self, options):
        language = options["session_language"]
        if language is None:
            return None
        if options["format"] == "native":
            raise CommandError(
                _("--session-language applies to openai and sharegpt files; native records carry a language.")
            )
        try:
            validate_language_tag(language)
        except ValidationError as error:
            raise CommandError(
                _("Invalid --session-language %(value)s: %(error)s") % {"value": language, "error": error.messages[0]}
            ) from None
        return language

    @contextlib.contextmanager
    def _open(self, path):
        if path == "-":
            yield sys.stdin.buffer
            return
        try:
            stream = open(path, "rb")  # noqa: SIM115 - closed below, after the import
        except OSError as error:
            raise CommandError(
                _("Cannot read %(path)s: %(error)s.") % {"path": path, "error": error.strerror}
            ) from None
        with stream:
            yield stream

    def _report_skipped(self, location, message):
        if self.verbosity > 0:
            self.stderr.write(location_message(location, message))

    def _print_summary(self, result, dry_run):
        if self.verbosity == 0:
            return
        if dry_run:
            self.stdout.write(_("Dry run: nothing was written. The counts below are what an import would do."))
        self.stdout.write(_("Sessions imported: %(count)d") % {"count": result.sessions_imported})
        self.stdout.write(_("Sessions already present: %(count)d") % {"count": result.sessions_present})
        self.stdout.write(_("Records skipped: %(count)d") % {"count": result.records_skipped})
        self.stdout.write(_("Messages imported: %(count)d") % {"count": result.messages_imported})
