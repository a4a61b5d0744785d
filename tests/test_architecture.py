"""Layer rules: the data core (crm.models, crm.services) never touches Qt or the UI."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORE = [ROOT / "crm" / "models", ROOT / "crm" / "services"]
FORBIDDEN = ("PySide6", "crm.ui")


def _imports(path: Path) -> list[tuple[int, str]]:
    """Every module a file imports, anywhere in it (functions and TYPE_CHECKING included)."""
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    return _imports_in(path.read_text(encoding="utf-8"), package)


def _imports_in(source: str, package: str) -> list[tuple[int, str]]:
    tree = ast.parse(source)
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against this file's package
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            found.append((node.lineno, module))
            found += [(node.lineno, f"{module}.{alias.name}") for alias in node.names]
        elif isinstance(node, ast.Call) and getattr(node.func, "id", "") == "__import__":
            if node.args and isinstance(node.args[0], ast.Constant):
                found.append((node.lineno, str(node.args[0].value)))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            found.append((node.lineno, str(node.args[0].value)))
    return found


def _forbidden(module: str) -> bool:
    return any(module == f or module.startswith(f + ".") for f in FORBIDDEN)


@pytest.mark.parametrize(
    "source",
    [
        "import PySide6",
        "from PySide6.QtCore import QObject",
        "def f():\n    import PySide6.QtWidgets",
        "from crm.ui import bus",
        "from crm import ui",
        "from ..ui.bus import ChangeBus",
        "__import__('PySide6')",
        "import importlib\nimportlib.import_module('crm.ui.app')",
    ],
)
def test_the_rule_catches_qt_however_it_is_imported(source: str) -> None:
    assert any(_forbidden(m) for _, m in _imports_in(source, "crm.services"))


def test_the_rule_lets_other_imports_pass() -> None:
    source = "import PySide6x\nfrom crm.models import Person\nfrom . import search"
    assert not any(_forbidden(m) for _, m in _imports_in(source, "crm.services"))


def test_core_modules_never_import_qt_or_the_ui() -> None:
    files = [f for folder in CORE for f in sorted(folder.rglob("*.py"))]
    assert len(files) >= 10  # the walk really found the core
    offences = [
        f"{f.relative_to(ROOT)}:{line}: imports {module}"
        for f in files
        for line, module in _imports(f)
        if _forbidden(module)
    ]
    assert offences == []


def test_import_linter_contracts_pass() -> None:
    exe = Path(sys.executable).parent / "lint-imports"
    if not exe.exists():
        pytest.fail(f"import-linter is not installed next to {sys.executable}")
    result = subprocess.run(
        [str(exe), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout
    assert "Core never imports Qt KEPT" in result.stdout


def test_importing_the_core_does_not_load_qt() -> None:
    code = (
        "import sys\n"
        "import crm.models, crm.services, crm.services.people_query, crm.cli\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] == 'PySide6' "
        "or m.startswith('crm.ui'))\n"
        "print(loaded)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert result.stdout.strip() == "[]"
