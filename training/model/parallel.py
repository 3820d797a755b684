"""Two processes for large jobs: analysis of a big batch, and fewer garbage-collector passes.

The text pipeline is pure Python and holds the GIL, so the second core only helps through a
second process. Both helpers fork, which is safe only where no other thread can hold a
lock the child needs (see :func:`scoring_processes`).
"""

from __future__ import annotations

import contextlib
import gc
import os
import threading
from collections.abc import Callable, Iterator
from typing import Any

__all__ = ["PARALLEL_SCORING_FROM", "frozen_heap", "in_two", "scoring_processes"]


@contextlib.contextmanager
def frozen_heap(threshold: int | None = None) -> Iterator[None]:
    """Put every object alive now out of the cyclic garbage collector's reach for the
    block (``gc.freeze``), and with ``threshold`` collect the youngest generation only
    every ``threshold`` allocations.

    Training builds millions of long-lived objects (token strings, vocabularies, frames);
    every full collection walked them all again, about a sixth of a training run. Nested
    blocks leave the unfreezing to the outermost one.
    """
    outer = gc.get_freeze_count() > 0
    old = gc.get_threshold()
    gc.freeze()
    if threshold is not None:
        gc.set_threshold(threshold, old[1], old[2])
    try:
        yield
    finally:
        if threshold is not None:
            gc.set_threshold(*old)
        if not outer:
            gc.unfreeze()


#: A batch at least this large is analysed in two processes when that is safe (see
#: ``scoring_processes``); below it the fork and the pickling cost more than they save.
PARALLEL_SCORING_FROM = 256


def scoring_processes(n_texts: int) -> int:
    """How many processes analyse a scoring batch of ``n_texts``: 2 for a large batch in a
    process that runs no other thread, else 1.

    Forking is only safe where no other thread can hold a lock the child needs (the pipeline
    lock, the import lock, a logging handler's): a batch job or a benchmark qualifies, the
    service's workers (a thread pool) never do. ``SCREENER_SCORING_PROCESSES=1`` turns it off.
    """
    if n_texts < PARALLEL_SCORING_FROM or os.environ.get("SCREENER_SCORING_PROCESSES") == "1":
        return 1
    if (os.cpu_count() or 1) < 2 or threading.active_count() != 1:
        return 1
    import multiprocessing

    return 2 if "fork" in multiprocessing.get_all_start_methods() else 1


def in_two(work: Callable[[Any], list[Any]], first: Any, second: Any) -> list[Any]:
    """``work(first) + work(second)``, the second in a forked child while this process does
    the first. ``work`` is a module-level function (it reaches the child by name); the
    child shares this process's memory copy-on-write, the text pipeline included (built
    here before the fork). Callers check ``scoring_processes`` first."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from training.text import get_nlp

    get_nlp()  # built before the fork, so the child need not build its own
    context = multiprocessing.get_context("fork")
    with frozen_heap(), ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        later = pool.submit(work, second)
        return work(first) + later.result()
