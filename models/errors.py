"""One kind of user error.

Every refusal a person can act on (a field typed wrong, an action the role or the law does not allow, a file
that cannot be read, a disk that is full) is a `UserError`: its text is Vietnamese and is shown as it is, beside
`field` when there is one. The window and the command line each catch `UserError` in one place; any other
exception is a bug and gets a crash report (details in the log file, one calm line for the user).

Sub-classes keep their own names (`Invalid`, `NotAllowed`, `BackupError`…) so a caller can still react to one
kind, but nobody needs to list them to show a message.
"""
from __future__ import annotations

EXIT_DATA = 3  # the command-line exit code of a refusal (bad input, missing data, not allowed)


class UserError(Exception):
    """A refusal the user can act on. `str(error)` is the Vietnamese message; `field` names the input it is
    about ("" for the whole action); `exit_code` is what the command line returns."""

    exit_code: int = EXIT_DATA

    def __init__(self, message: str = "", *, field: str = "") -> None:
        super().__init__(message)
        self.field = field

    @property
    def message(self) -> str:
        return str(self)
