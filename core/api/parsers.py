"""Request body parsers of the REST API."""

import json

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

# Deeper JSON is rejected before any validator walks it recursively.
MAX_JSON_DEPTH = 100


def check_storable_json(data):
    """Raise ValueError unless `data` can be stored as JSON in PostgreSQL and SQLite.

    Python's json module accepts numbers that overflow to infinity (1e400) and
    unpaired UTF-16 surrogates ("\\ud800"), and neither database can store them.
    """
    if _depth(data) > MAX_JSON_DEPTH:
        raise ValueError(_("it is nested more than %(max)d levels deep.") % {"max": MAX_JSON_DEPTH})
    try:
        json.dumps(data, ensure_ascii=False, allow_nan=False).encode()
    except UnicodeEncodeError as error:
        raise ValueError(_("it contains an unpaired UTF-16 surrogate, which is not valid Unicode text.")) from error
    except ValueError as error:
        raise ValueError(_("it contains a number out of range.")) from error


def _depth(data):
    deepest = 0
    pending = [(data, 1)]
    while pending:
        value, level = pending.pop()
        if isinstance(value, dict | list):
            deepest = max(deepest, level)
            if level <= MAX_JSON_DEPTH:
                items = value.values() if isinstance(value, dict) else value
                pending.extend((item, level + 1) for item in items)
    return deepest


class StrictJSONParser(JSONParser):
    """DRF's JSON parser, rejecting with 400 the bodies that no database could store."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
            check_storable_json(data)
        except ParseError as error:
            # DRF's own message is not in its Spanish catalog; the cause is the
            # json module's ValueError, which names the position.
            reason = error.__context__ or error.detail
            raise ParseError(_("JSON parse error - %(reason)s") % {"reason": reason}) from error
        except RecursionError as error:
            raise ParseError(_("JSON parse error - the body is nested too deeply.")) from error
        except ValueError as error:
            raise ParseError(_("JSON parse error - %(reason)s") % {"reason": error}) from error
        return data
