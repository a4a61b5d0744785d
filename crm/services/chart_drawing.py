"""What every chart path shares: loading matplotlib once, and the colours a chart is
drawn in. The Dashboard's cards and the Feedback trend (crm.ui.widgets.chart_image,
on ctx.tasks) and the PDF report (crm.services.report_pdf, on its task) all call
`load_matplotlib()` before they build a Figure. No Qt here: the PDF runs headless too.
"""

from __future__ import annotations

import gc
import importlib
import threading
from dataclasses import dataclass

# What every chart needs (the PDF's backend is imported by the report itself).
MODULES = ("matplotlib.figure", "matplotlib.ticker", "matplotlib.backends.backend_agg")
_loading = threading.Lock()
_loaded = False


def load_matplotlib() -> None:
    """Import what a chart needs, once, without a full garbage collection on the way.

    The import makes a few hundred thousand long-lived objects, enough to set off a
    collection of the oldest generation: a walk over every object of the app, about
    120 ms with the GIL held, which stops the GUI thread even though the import runs
    on a worker. So the collector waits while the modules load, and what is loaded by
    then (the app's and matplotlib's modules: objects that live as long as the app)
    is frozen out of later collections (gc.freeze), leaving them cheap: the full
    collections that drawing later sets off walk only what was made since, not the
    whole app (at 100k, 120–180 ms each before, measured by bench_dashboard). Nothing
    is collected before the freeze: a collection of the young generations, grown by
    the whole import, would itself stall ~60 ms; the few cycles of import-time garbage
    frozen with the rest are the price."""
    global _loaded
    if _loaded:
        return
    with _loading:
        if _loaded:
            return
        was_on = gc.isenabled()
        gc.disable()
        try:
            for name in MODULES:
                importlib.import_module(name)
        finally:
            gc.freeze()
            if was_on:
                gc.enable()
        _loaded = True


@dataclass(frozen=True)
class ChartColors:
    """A chart's colours, taken from the widget's palette (light or dark)."""

    face: str = "#ffffff"
    text: str = "#1f2937"
    muted: str = "#6b7280"
    bars: str = "#e5e7eb"
    line: str = "#2563eb"
    rule: str = "#9ca3af"
