"""Regression test: PySide6 6.12.0 on Python 3.11 aborted the interpreter (none_dealloc)
after a few thousand calls of void C++ methods, because each leaked a reference to None.

The calls run in a child process so that an abort shows up as a failed test rather
than killing the test run.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

CALLS = 50_000

SCRIPT = textwrap.dedent(
    f"""
    import sys
    from PySide6.QtWidgets import QApplication, QWidget

    app = QApplication([])
    widget = QWidget()
    before = sys.getrefcount(None)
    for i in range({CALLS}):
        widget.setEnabled(i % 2 == 0)  # void C++ method
        widget.setObjectName("w")  # void on QObject
    after = sys.getrefcount(None)
    widget.deleteLater()
    print("survived", before, after)
    """
)


def test_fifty_thousand_void_calls_do_not_crash(tmp_path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, f"exit {done.returncode}: {done.stderr[-2000:]}"
    assert done.stdout.startswith("survived")


def test_pyside6_pin_avoids_the_broken_release() -> None:
    import PySide6

    major, minor = (int(x) for x in PySide6.__version__.split(".")[:2])
    if sys.version_info < (3, 12):
        assert (major, minor) < (6, 12), f"PySide6 {PySide6.__version__} aborts on 3.11"
