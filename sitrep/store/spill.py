"""Problems put in order without holding them all: sorted runs in temporary files, merged.

A store of a million records may have hundreds of thousands of warnings; ``validate`` must
print them all, in order, in memory that does not grow with them. :class:`ProblemSorter`
keeps up to :data:`RUN` problems in memory; past that, it sorts them and writes them to a
temporary file (a *run*), and :class:`Problems` merges the runs when read.
"""

from __future__ import annotations

import heapq
import logging
import pickle
import tempfile
from collections.abc import Iterator
from operator import itemgetter
from typing import IO, Any

from ..errors import Problem

logger = logging.getLogger(__name__)

RUN = 20_000
"""Problems held in memory before they are written out, sorted (about 10 MB)."""

Key = tuple[Any, ...]
_first = itemgetter(0)


class Problems:
    """Problems in order, some of them in temporary files: count them, or read them (more
    than once) one at a time."""

    def __init__(self, runs: list[IO[bytes]], tail: list[tuple[Key, Problem]], count: int):
        self._runs, self._tail, self._count = runs, tail, count

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[Problem]:
        streams = [_read(run) for run in self._runs]
        for _, problem in heapq.merge(*streams, iter(self._tail), key=_first):
            yield problem

    def __contains__(self, item: object) -> bool:
        return any(problem == item for problem in self)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (Problems, list)):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]


def _read(run: IO[bytes]) -> Iterator[tuple[Key, Problem]]:
    run.seek(0)
    while True:
        try:
            yield pickle.load(run)
        except EOFError:
            return


class ProblemSorter:
    """Takes problems with their sort keys, in any order; :meth:`done` gives them sorted."""

    def __init__(self, run: int | None = None) -> None:
        self.run = run or RUN
        self.count = 0
        self._held: list[tuple[Key, Problem]] = []
        self._runs: list[IO[bytes]] = []

    def add(self, key: Key, problem: Problem) -> None:
        """One more problem, ordered by ``key``."""
        self._held.append((key, problem))
        self.count += 1
        if len(self._held) >= self.run:
            self._held.sort(key=_first)
            file = tempfile.TemporaryFile(prefix="sitrep-problems-")  # noqa: SIM115 (read later)
            for item in self._held:
                pickle.dump(item, file, pickle.HIGHEST_PROTOCOL)
            self._runs.append(file)
            logger.debug("%d problems so far: %d written out", self.count, len(self._held))
            self._held = []

    def done(self) -> Problems:
        """Every problem, in the order of the keys."""
        self._held.sort(key=_first)
        return Problems(self._runs, self._held, self.count)
