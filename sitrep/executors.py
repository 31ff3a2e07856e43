"""Where editions render: in this process, on a pool of processes, or on a Dask cluster.

:func:`render_executor` chooses from ``[render]`` and yields a standard
:class:`concurrent.futures.Executor`, or None when the work is better done in this
process (one edition, or one worker). With ``[render] scheduler`` set, the executor is
that of a ``distributed.Client`` connected to the scheduler (``Client.get_executor()``),
so that a desk that outgrows one machine runs the same code on a cluster.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager
from typing import TYPE_CHECKING

from .errors import ConfigError

if TYPE_CHECKING:  # not imported: a worker's initializer (follow_parent) runs before pydantic
    from .config import RenderConfig

logger = logging.getLogger(__name__)


def follow_parent() -> None:
    """A worker process's initializer: exit when the process that started it is gone (a
    killed run cannot shut its pool down, and a worker waiting for work would be left
    behind). The parent is the run, or the fork server that exits with it."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.2)
        os._exit(0)

    threading.Thread(target=watch, name="follow-parent", daemon=True).start()


def workers(render: RenderConfig) -> int:
    """The number of worker processes: ``[render] workers``, else the machine's cores."""
    return render.workers or os.cpu_count() or 1


@contextmanager
def render_executor(render: RenderConfig, tasks: int) -> Iterator[Executor | None]:
    """The executor ``tasks`` editions render on, shut down on exit.

    A Dask cluster when ``[render] scheduler`` is set; otherwise a process pool of
    ``min(workers, tasks)`` processes when that is more than one; otherwise None (render
    in this process).
    """
    if render.scheduler:
        try:
            from distributed import Client
        except ImportError:
            raise ConfigError(
                f"render.scheduler = {render.scheduler!r} needs Dask distributed, which is "
                "not installed (pip install 'sitrep[dask]', or remove render.scheduler)"
            ) from None
        try:
            client = Client(render.scheduler)  # type: ignore[no-untyped-call]
        except OSError as exc:
            raise ConfigError(
                f"render.scheduler = {render.scheduler!r}: cannot reach the Dask scheduler "
                f"({exc}); start it (dask scheduler) or remove render.scheduler"
            ) from None
        logger.info("rendering %d edition(s) on the Dask cluster at %s", tasks, render.scheduler)
        with client:
            yield client.get_executor()  # type: ignore[no-untyped-call]
        return
    size = min(workers(render), tasks)
    if size <= 1:
        yield None
        return
    logger.info("rendering %d edition(s) on %d processes", tasks, size)
    with ProcessPoolExecutor(max_workers=size, initializer=follow_parent) as pool:
        yield pool
