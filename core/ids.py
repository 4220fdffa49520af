"""Identifiers for sessions and clients.

Generated ids are ULIDs (https://github.com/ulid/spec): 48 bits of
millisecond timestamp followed by 80 random bits from the operating system's
CSPRNG, written as 26 Crockford base-32 characters. They are URL-safe, cannot
be guessed, and sort roughly by creation time, which keeps B-tree inserts on
the primary key close to the right edge of the index.
"""

import re

from ulid import ULID

# Ids given by callers: 1-255 characters from this set, so every id is
# reachable at its URL without escaping.
CALLER_ID_PATTERN = r"[A-Za-z0-9._\-:~]{1,255}"
CALLER_ID_RE = re.compile(rf"\A{CALLER_ID_PATTERN}\Z")


def generate_id():
    """Return a new ULID string."""
    return str(ULID())
