"""The pure-Python half of the demo: every row, in order, with no database in sight.

`produce()` yields the rows as messages. The loader either iterates it directly or,
for big demos on a machine with a spare core, runs it in a child Python process and
reads the pickled messages from its stdout: the child makes batch k+1 while the parent's SQLite
writes batch k, which takes about a third off a 100,000-person load. Threads would
not help: the GIL comes back to the writer only every few milliseconds while a
generating thread runs, once per row. Both paths run this same generator, so the
same seed gives the same data either way (the tests compare them).
"""

from __future__ import annotations

import os
import pickle
import random
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from crm.services.common import ServiceError
from crm.services.demo.attendance import attendance, link
from crm.services.demo.clock import Clock
from crm.services.demo.communities import make_world
from crm.services.demo.events import make_events
from crm.services.demo.interactions import InteractionMaker
from crm.services.demo.people import HISTORY_DAYS, PeopleMaker

PEOPLE_BATCH = 5_000
INTERACTION_BATCH = 50_000
# Below this many rows the child's start-up (about half a second) costs more than
# it saves.
PARALLEL_MIN_ROWS = 200_000

Message = tuple[str, object]


@dataclass(frozen=True)
class Plan:
    contacts: int
    interactions: int
    seed: int
    now: datetime


@dataclass
class WorldRows:
    tags: list[tuple[object, ...]]
    field_defs: list[tuple[object, ...]]
    communities: list[tuple[object, ...]]
    field_values: list[tuple[object, ...]]


def produce(plan: Plan) -> Iterator[Message]:
    """("world", WorldRows), then ("people", Batch)..., ("interactions", (rows, parts))...,
    ("events", EventRows) and last ("last", [(person id, latest interaction), ...])."""

    def rng(stage: str) -> random.Random:
        return random.Random(f"rapport-demo:{plan.seed}:{stage}")

    world = make_world(rng("world"), plan.contacts, plan.now)
    yield (
        "world",
        WorldRows(
            [(i, name) for name, i in world.tag_ids.items()],
            world.field_def_rows,
            world.community_rows,
            world.field_value_rows,
        ),
    )
    maker = PeopleMaker(rng("people"), world, plan.contacts, Clock(plan.now, HISTORY_DAYS))
    audit_id = 1  # the "demo" entry the loader writes first
    for first in range(1, plan.contacts + 1, PEOPLE_BATCH):
        batch = maker.batch(first, min(first + PEOPLE_BATCH - 1, plan.contacts), audit_id)
        audit_id += len(batch.person)
        yield "people", batch
    events = make_events(plan.seed, plan.contacts, plan.now)
    attended = attendance(events, plan.now)
    im = InteractionMaker(rng("interactions"), world, maker)
    # The attendance records count within the interactions asked for (there are at
    # least those); the other touches make up the rest.
    touches = max(0, plan.interactions - len(attended))
    for rows, parts in im.batches(touches, INTERACTION_BATCH, attended):
        yield "interactions", (rows, parts)
    link(events, attended, im.attended_ids)
    yield "events", events
    yield "last", sorted(im.last.items())


def should_fork(plan: Plan) -> bool:
    """A child pays off for big demos with a second core, outside frozen builds (whose
    executable cannot run `python -c`)."""
    rows = plan.contacts * 12 + plan.interactions * 2
    return (
        rows >= PARALLEL_MIN_ROWS
        and (os.cpu_count() or 1) >= 2
        and not getattr(sys, "frozen", False)
    )


def child_main() -> None:
    """Entry point of the worker process: the plan in argv, pickled messages on stdout."""
    import gc

    gc.disable()  # see generate(): the rows hold no cycles
    # Keep the message stream private: anything printed goes to stderr instead.
    out = os.fdopen(os.dup(1), "wb", buffering=1 << 20)
    os.dup2(2, 1)
    contacts, interactions, seed, now = sys.argv[1:5]
    plan = Plan(int(contacts), int(interactions), int(seed), datetime.fromisoformat(now))
    try:
        for message in produce(plan):
            pickle.dump(message, out, protocol=pickle.HIGHEST_PROTOCOL)
            out.flush()  # the whole message now, or the parent waits for the next one
    except BrokenPipeError:
        pass  # the parent stopped reading: cancelled or failed
    except Exception as exc:
        with suppress(OSError):
            pickle.dump(("error", f"{type(exc).__name__}: {exc}"), out)
            out.flush()


def produce_in_child(plan: Plan) -> Iterator[Message]:
    """produce(plan), generated in a child process; closing this stops the child.

    A plain `python -c` child rather than multiprocessing: spawn would re-import the
    caller's main module, and fork is unsafe in a process that may be running Qt.
    """
    import crm

    root = str(Path(crm.__file__).resolve().parent.parent)
    env = dict(
        os.environ, PYTHONPATH=os.pathsep.join(filter(None, (root, os.environ.get("PYTHONPATH"))))
    )
    code = "from crm.services.demo.produce import child_main; child_main()"
    args = [str(plan.contacts), str(plan.interactions), str(plan.seed), plan.now.isoformat()]
    with tempfile.TemporaryFile() as errors:
        proc = subprocess.Popen(
            [sys.executable, "-c", code, *args],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=errors,
            env=env,
        )
        assert proc.stdout is not None
        try:
            while True:
                try:
                    kind, body = pickle.load(proc.stdout)
                except (EOFError, pickle.UnpicklingError):
                    proc.wait(5)
                    errors.seek(0)
                    tail = errors.read().decode(errors="replace").strip().splitlines()[-1:]
                    why = tail[0] if tail else f"exit status {proc.returncode}"
                    raise ServiceError(f"demo data: the generator process failed: {why}") from None
                if kind == "error":
                    raise ServiceError(f"demo data: {body}")
                yield kind, body
                if kind == "last":
                    return
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.stdout.close()
            proc.wait()
