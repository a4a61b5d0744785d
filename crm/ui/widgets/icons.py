"""Icons drawn for Rapport (SVG files in resources/), found in a checkout and a frozen build.

A missing file gives an empty icon rather than an error: an icon is decoration, and a
broken install should still open the database.
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

from PySide6.QtGui import QIcon


def resources_dir() -> Path:
    """resources/ next to the package (checkout) or inside the PyInstaller bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    candidates = [Path(bundle) / "resources"] if bundle else []
    here = Path(__file__).resolve()
    candidates += [here.parents[3] / "resources", here.parents[2] / "resources"]
    for path in candidates:
        if path.is_dir():
            return path
    return candidates[-1]


def resource(name: str) -> Path:
    return resources_dir() / name


@cache
def icon(name: str) -> QIcon:
    """The icon resources/icons/<name>.svg (empty when the file is missing)."""
    path = resource(f"icons/{name}.svg")
    return QIcon(str(path)) if path.is_file() else QIcon()
