"""Where Rapport keeps its files: platformdirs, overridable by --db or CRM_DATABASE_URL."""

from __future__ import annotations

import os
import string
from pathlib import Path

from platformdirs import user_data_path

APP_NAME = "Rapport"
APP_AUTHOR = "Rapport"
ENV_URL = "CRM_DATABASE_URL"
# File names made only of these read the same inside a sqlite URL as outside it: for
# them sqlite_url and sqlite_path answer without importing SQLAlchemy, which the app's
# start-up leaves until after its first paint (a test checks them against SQLAlchemy).
_PLAIN = frozenset(string.ascii_letters + string.digits + "/._-~+ ")


def data_dir() -> Path:
    return user_data_path(APP_NAME, APP_AUTHOR, ensure_exists=True)


def default_db_path() -> Path:
    return data_dir() / "rapport.sqlite"


def database_url(db: str | os.PathLike[str] | None = None) -> str:
    """The SQLAlchemy URL to use: an explicit --db path, then the env var, then the data dir."""
    if db:
        text = str(db)
        if "://" in text:
            return text
        return sqlite_url(Path(text).expanduser().resolve())
    env = os.environ.get(ENV_URL, "").strip()
    if env:
        return env if "://" in env else sqlite_url(Path(env).expanduser().resolve())
    return sqlite_url(default_db_path())


def sqlite_url(path: Path) -> str:
    """The URL of a database file, escaped so "#", "?" and "%" in names survive."""
    if _PLAIN.issuperset(str(path)):
        return f"sqlite:///{path}"
    from sqlalchemy.engine import URL

    return URL.create("sqlite", database=str(path)).render_as_string(hide_password=False)


def sqlite_path(url: str) -> Path | None:
    """The file behind a sqlite URL, or None for memory or other databases."""
    if not url.startswith("sqlite:///"):
        return None
    rest = url[len("sqlite:///") :]
    if not _PLAIN.issuperset(rest):
        from sqlalchemy.engine import make_url

        rest = make_url(url).database
    if not rest or rest == ":memory:":
        return None
    return Path(rest)
