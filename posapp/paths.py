"""Where posapp keeps its files: the data directory, the database, logs and backups."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "posapp"
APP_AUTHOR = "posapp"
ENV_DATA_DIR = "POSAPP_DATA_DIR"


def default_data_dir() -> Path:
    env = os.environ.get(ENV_DATA_DIR)
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))


@dataclass(frozen=True)
class DataPaths:
    root: Path

    @classmethod
    def resolve(cls, data_dir: str | os.PathLike[str] | None = None) -> DataPaths:
        root = Path(data_dir).expanduser() if data_dir else default_data_dir()
        return cls(root=root.resolve())

    @property
    def database(self) -> Path:
        return self.root / "posapp.sqlite3"

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def receipts(self) -> Path:
        return self.root / "receipts"

    def ensure(self) -> None:
        for p in (self.root, self.backups, self.logs, self.receipts):
            p.mkdir(parents=True, exist_ok=True)


def resources_dir() -> Path:
    """The ``resources/`` folder of the checkout (or of a frozen build, next to the executable)."""
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "resources", here / "resources"):
        if candidate.is_dir():
            return candidate
    return here.parent / "resources"
