"""Database URLs for file paths: the quick answers (no SQLAlchemy) match SQLAlchemy's."""

from __future__ import annotations

import string
from pathlib import Path

import pytest
from sqlalchemy.engine import URL, make_url

from crm.paths import sqlite_path, sqlite_url

NAMES = [f"/tmp/a{ch}b.sqlite" for ch in string.printable + "éÅ€"] + [
    "relative.sqlite",
    "/home/ann/My Files/rapport+old.sqlite",
    "/a/b/c~/d.e-f_g.sqlite",
]


@pytest.mark.parametrize("name", NAMES)
def test_urls_round_trip_as_sqlalchemy_reads_them(name: str) -> None:
    url = sqlite_url(Path(name))
    assert url == URL.create("sqlite", database=str(Path(name))).render_as_string(
        hide_password=False
    )
    assert make_url(url).database == str(Path(name))
    assert sqlite_path(url) == Path(name)


def test_memory_and_other_databases_have_no_file() -> None:
    assert sqlite_path("sqlite:///:memory:") is None
    assert sqlite_path("sqlite://") is None
    assert sqlite_path("postgresql://u@h/db") is None
