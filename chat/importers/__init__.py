"""Import chat sessions from native, OpenAI and ShareGPT files.

Each format module turns one JSON record into a SessionRecord (or raises
RecordError); SessionWriter stores it through the services. Records are
read as a stream and written in batches: one transaction per batch, one
savepoint per record, so a bad record is rolled back alone and never leaves
part of a session behind.
"""

import logging
from dataclasses import dataclass
from itertools import islice

from django.db import transaction
from django.utils.translation import gettext as _

from chat.importers import native, openai, sharegpt
from chat.importers.reading import iter_raw_records
from chat.importers.records import RecordError
from chat.importers.writer import SessionWriter

logger = logging.getLogger(__name__)

FORMATS = {
    "native": native.parse_record,
    "openai": openai.parse_record,
    "sharegpt": sharegpt.parse_record,
}
BATCH_SIZE = 200


@dataclass
class ImportResult:
    sessions_imported: int = 0
    sessions_present: int = 0
    messages_imported: int = 0
    records_skipped: int = 0
    # "<location>: <reason>" when reading stopped before the end of the file.
    stopped: str | None = None


def import_sessions(
    *, stream, company, format, dry_run=False, language=None, on_error=None, on_record=None, batch_size=BATCH_SIZE
):
    """Import the records of the binary `stream` into `company`; return an ImportResult.

    `on_error(location, message)` is called for every skipped record and
    `on_record()` after every record. With `dry_run` each batch is rolled
    back, so nothing is written. A dry run keeps a set of the session ids
    seen (about 100 bytes per session), so that it counts a record repeated
    in a later batch as already present.
    """
    parse = FORMATS[format]
    writer = SessionWriter(company=company, language=language or company.default_language)
    run = _ImportRun(writer, dry_run, on_error or _ignore, on_record or _ignore)
    logger.info("Import started: company %s format %s dry_run %s", company.pk, format, dry_run)

    raw_records = iter_raw_records(stream)
    while batch := list(islice(raw_records, batch_size)):
        parsed = run.parse_batch(batch, parse, company)
        run.write_batch(parsed)
        if run.result.stopped:
            break

    result = run.result
    logger.info(
        "Import finished: company %s imported %d present %d skipped %d messages %d dry_run %s",
        company.pk,
        result.sessions_imported,
        result.sessions_present,
        result.records_skipped,
        result.messages_imported,
        dry_run,
    )
    return result


def _ignore(*args):
    pass


class _ImportRun:
    def __init__(self, writer, dry_run, on_error, on_record):
        self.writer = writer
        self.dry_run = dry_run
        self.on_error = on_error
        self.on_record = on_record
        self.result = ImportResult()
        self.seen_ids = set() if dry_run else None
        self.fatal_error = None

    def skip(self, location, message):
        self.result.records_skipped += 1
        self.on_error(location, message)
        self.on_record()

    def parse_batch(self, batch, parse, company):
        """Return [(location, SessionRecord or None, error or None)] in file order, up to a fatal error."""
        parsed = []
        for raw in batch:
            if raw.fatal:
                self.fatal_error = raw
                break
            if raw.error is not None:
                parsed.append((raw.location, None, raw.error))
                continue
            try:
                parsed.append((raw.location, parse(raw.value, company=company), None))
            except RecordError as error:
                parsed.append((raw.location, None, error.message))
        return parsed

    def write_batch(self, parsed):
        """Write the parsed records in one transaction, reporting skipped ones in file order."""
        ids = [record.id for _location, record, _error in parsed if record is not None]
        with transaction.atomic():
            existing = self.writer.load_existing(ids) if ids else {}
            for location, record, error in parsed:
                if error is not None:
                    self.skip(location, error)
                else:
                    self._write_record(location, record, existing)
            if self.dry_run:
                transaction.set_rollback(True)
        # Cached users and clients are kept for one batch only, so memory
        # does not grow with the number of distinct clients in the file.
        self.writer.forget_cached_rows()

        if self.fatal_error is not None:
            self.result.stopped = f"{self.fatal_error.location}: {self.fatal_error.error}"
            self.on_error(self.fatal_error.location, self.fatal_error.error)

    def _write_record(self, location, record, existing):
        if self.seen_ids is not None and record.id in self.seen_ids and record.id not in existing:
            self.result.sessions_present += 1
            self.on_record()
            return

        try:
            with transaction.atomic():
                session, created, messages_added = self.writer.write(record, existing.get(record.id))
        except RecordError as error:
            self.writer.forget_cached_rows()
            self.skip(location, error.message)
            return

        existing[record.id] = session
        if self.seen_ids is not None:
            self.seen_ids.add(record.id)
        self.result.messages_imported += messages_added
        if created:
            self.result.sessions_imported += 1
        else:
            self.result.sessions_present += 1
        self.on_record()


def location_message(location, message):
    """Return the one-line report of a skipped record."""
    return _("%(location)s: %(message)s") % {"location": location, "message": message}
