"""The domain error of this project, raised by services and mapped to HTTP by the API."""


class ConflictError(Exception):
    """A write conflicts with data already stored (an existing id, a reused idempotency key)."""

    def __init__(self, message, *, field=None):
        super().__init__(message)
        self.message = message
        self.field = field
