"""A generator run in a forked child process, a few items ahead of its consumer.

Loading is two jobs of about equal weight, both CPU-bound Python: turning input into rows
(parse, validate, map) and writing them (the database driver). On two cores the first can run in
a child while the parent writes: items cross a pipe pickled, `ahead` at most in flight, so memory
stays bounded. An exception in the child is raised in the parent; closing the generator early
stops the child.
"""

from __future__ import annotations

import multiprocessing
import os
import traceback
from queue import Empty
from collections.abc import Callable, Iterator
from typing import TypeVar

T = TypeVar("T")
# Processes a load uses: the parent writing, and on a machine with a second core a child reading.
WORKERS = 2 if (os.cpu_count() or 1) > 1 else 1


class ChildFailed(RuntimeError):
    """The child's generator raised something that could not be sent back as itself."""


def _run(factory: Callable[[], Iterator], queue) -> None:
    try:
        for item in factory():
            queue.put(("item", item))
        queue.put(("end", None))
    except BaseException as e:  # noqa: BLE001 - everything goes back to the parent
        try:
            queue.put(("error", e))
        except Exception:  # not picklable: its text then
            queue.put(("error", ChildFailed(traceback.format_exc())))


def prefetched(factory: Callable[[], Iterator[T]], ahead: int = 2) -> Iterator[T]:
    """Iterate `factory()` produced in a child process (fork: the factory need not be picklable)."""
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue(maxsize=ahead)
    child = ctx.Process(target=_run, args=(factory, queue), daemon=True)
    child.start()
    try:
        while True:
            try:
                kind, value = queue.get(timeout=1.0)
            except Empty:
                if child.is_alive():
                    continue
                raise ChildFailed(f"the producing process died (exit code {child.exitcode})") from None
            if kind == "end":
                break
            if kind == "error":
                raise value
            yield value
    finally:
        if child.is_alive():
            child.terminate()
        child.join()
        queue.close()
