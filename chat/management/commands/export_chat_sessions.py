import contextlib
import io
import os
import stat
import tempfile

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chat.exporting import BATCH_SIZE, count_sessions, export_sessions
from chat.management.base import MaintenanceCommand, parse_datetime_option


class Command(MaintenanceCommand):
    help = gettext_lazy("Export chat sessions with their messages as JSON Lines in the native format.")
    epilog = gettext_lazy(
        "Examples:\n"
        "  python manage.py export_chat_sessions --company acme --output acme.jsonl\n"
        "  python manage.py export_chat_sessions --since 2026-01-01 --until 2026-02-01 | gzip > january.jsonl.gz\n"
        "\n"
        "One session with its messages a line, readable by import_chat_sessions --format native.\n"
        "--since and --until select by last activity (last_message_at): --since is inclusive, --until\n"
        "exclusive. A date means midnight UTC; a datetime without an offset is UTC. With --output, the\n"
        "file appears only when the export is complete."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--company",
            metavar="SLUG",
            help=gettext_lazy("Slug of the company to export, e.g. acme. Default: every company."),
        )
        parser.add_argument(
            "--since",
            metavar="DATE",
            help=gettext_lazy("Export sessions active at or after this date or datetime, e.g. 2026-01-01."),
        )
        parser.add_argument(
            "--until",
            metavar="DATE",
            help=gettext_lazy("Export sessions last active before this date or datetime, e.g. 2026-02-01T00:00:00Z."),
        )
        parser.add_argument(
            "--output",
            metavar="FILE",
            help=gettext_lazy("File to write, e.g. acme.jsonl. Default: standard output (also with -)."),
        )
        self.add_batch_size_argument(
            parser,
            default=BATCH_SIZE,
            help=gettext_lazy("Sessions read per query (default %(default)s)."),
        )

    def handle(self, *args, **options):
        company = self.get_company(options["company"]) if options["company"] else None
        since = parse_datetime_option(options["since"], "--since") if options["since"] else None
        until = parse_datetime_option(options["until"], "--until") if options["until"] else None
        to_stdout = options["output"] in (None, "-")

        total = None
        if self.verbosity > 0 and self.stderr.isatty():
            total = count_sessions(company=company, since=since, until=until)
        with (
            self._open(options["output"]) as output,
            self.progress(total=total, unit="ses", description=_("Exporting")) as bar,
        ):
            result = export_sessions(
                output=output,
                company=company,
                since=since,
                until=until,
                batch_size=options["batch_size"],
                on_batch=bar.update,
            )

        if self.verbosity > 0:
            # JSON Lines go to standard output, so the summary goes elsewhere.
            summary = self.stderr if to_stdout else self.stdout
            summary.write(_("Sessions exported: %(count)d") % {"count": result.sessions})
            summary.write(_("Messages exported: %(count)d") % {"count": result.messages})
            summary.write(_("Bytes written: %(count)d") % {"count": result.bytes})

    @contextlib.contextmanager
    def _open(self, path):
        if path in (None, "-"):
            yield from self._open_stdout()
            return
        try:
            yield from _open_file(path)
        except OSError as error:
            raise CommandError(
                _("Cannot write %(path)s: %(error)s.") % {"path": path, "error": error.strerror or error}
            ) from None

    def _open_stdout(self):
        stream = self.stdout._out
        if not hasattr(stream, "buffer"):
            yield stream  # an in-memory text stream, e.g. from call_command(stdout=...)
            return
        # The lines are UTF-8 whatever the locale's encoding.
        stream.flush()
        wrapper = io.TextIOWrapper(stream.buffer, encoding="utf-8", newline="\n")
        try:
            yield wrapper
        finally:
            wrapper.flush()
            wrapper.detach()


def _open_file(path):
    """Yield a text stream for `path`; a regular file is replaced only after the export succeeds."""
    if os.path.exists(path) and not stat.S_ISREG(os.stat(path).st_mode):
        # /dev/null, a named pipe or a terminal: written in place, never replaced.
        with open(path, "w", encoding="utf-8", newline="\n") as stream:
            yield stream
        return

    directory = os.path.dirname(os.path.abspath(path))
    descriptor, temporary_path = tempfile.mkstemp(prefix=".export-", suffix=".jsonl.tmp", dir=directory)
    try:
        with open(descriptor, "w", encoding="utf-8", newline="\n") as stream:
            yield stream
        os.replace(temporary_path, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary_path)
        raise
