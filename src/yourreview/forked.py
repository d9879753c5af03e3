"""Work spread over the cores by forking: the workers inherit everything this process has read
(the project, compiled templates, the calendar), so nothing is pickled to them, only their
results back. Only for a process with no threads of its own (`yourreview check`): a fork copies
one thread, and a lock another thread held would stay held in the copy for ever.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

SMALL_BATCH = 40  # fewer items than this for each worker: forking costs more than it saves

# The work and its items while a pool runs: set just before forking, so workers inherit them.
_job: tuple[Callable[[Any], Any], Sequence[Any]] | None = None


def cores() -> int:
    """The cores this process may use."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def forked_map(work: Callable[[T], R], items: Sequence[T], workers: int) -> list[R | None]:
    """`work(item)` for every item, in order, in up to `workers` forked processes (or here, for
    a few items). None where a worker's call failed: the caller does that item again itself,
    so its error is raised as it would have been without workers (not every error pickles)."""
    count = min(workers, len(items) // SMALL_BATCH)
    if count <= 1 or "fork" not in multiprocessing.get_all_start_methods():  # Windows: here
        return [work(item) for item in items]
    global _job
    _job = (work, items)
    # Every object this process holds moves to a generation the collector never scans: a
    # worker's collections would otherwise touch (and so copy) every page it shares with us.
    gc.freeze()
    try:
        # With "fork", the executor starts every worker before its own thread: none is forked
        # from a process with threads. A worker that dies breaks the pool, never hangs it.
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(count, mp_context=context) as pool:
            chunk = max(1, len(items) // (count * 8))  # small chunks: an even finish
            return list(pool.map(_run, range(len(items)), chunksize=chunk))
    except Exception:  # a result that does not pickle, a worker killed: all done here instead
        return [None] * len(items)
    finally:
        _job = None
        gc.unfreeze()


def _run(index: int) -> Any:
    assert _job is not None
    work, items = _job
    try:
        return work(items[index])
    except Exception:
        return None
