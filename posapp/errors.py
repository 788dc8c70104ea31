"""Error classes shared by the core.

*Rejected* errors are the user's or the environment's (bad input, permission, locked database): they carry a
message fit to show as it is. Anything else is a bug and is logged with a traceback and an error id.
"""

from __future__ import annotations


class PosError(Exception):
    """Base for errors whose message can be shown to a user as it is."""


class ValidationError(PosError):
    """Input was rejected; nothing was written."""


class NotFoundError(PosError):
    """The thing asked for does not exist."""


class PermissionDenied(PosError):
    """The signed-in employee's role does not allow the action."""

    def __init__(self, message: str, *, permission: str = "") -> None:
        super().__init__(message)
        self.permission = permission


class AuthenticationError(PosError):
    """Wrong employee number or PIN, or the employee is locked out."""


class LockedOut(AuthenticationError):
    """Too many failed PIN attempts."""


class DatabaseUnavailable(PosError):
    """The local database cannot be opened or upgraded; the message names the file and the fix."""

    def __init__(self, message: str, *, path: str, fix: str) -> None:
        super().__init__(f"{message}\nFile: {path}\nWhat to do: {fix}")
        self.path = path
        self.fix = fix
