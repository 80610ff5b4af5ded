"""The typed failures of sync, apart from the httpx client so the GUI can name them cheaply.

The GUI classifies errors at start-up (``pos_app.ui.operations``); importing these does not
import httpx (about 70 ms of a cold start).
"""

from __future__ import annotations


class SyncError(Exception):
    """Base of every sync failure; the message is safe to show and to log."""


class InsecureServer(SyncError):
    pass


class AuthFailed(SyncError):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"{status}: {message}")
        self.status = status


class PayloadRejected(SyncError):
    def __init__(self, message: str, field: str | None, sale_id: str | None) -> None:
        super().__init__(message + (f" (field {field})" if field else ""))
        self.field = field
        self.sale_id = sale_id


class TooLarge(SyncError):
    pass


class Retryable(SyncError):
    """Timeouts, connection errors, 429, 5xx and malformed replies: try the same batch later."""
