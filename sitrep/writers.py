"""Writing output files: single files atomically, a run's outputs atomically as a set.

A report is several files (``.md`` with its charts, ``.html``, ``.pdf``, ``.json``) that
readers and the mailer must never pair across two runs. :func:`publish_set` therefore
writes every file of a run into a fresh folder, ``<output>/.sets/<stem>.<pid>.<random>``,
and publishes the whole set with one atomic rename of the symbolic link
``<output>/.sets/<stem>``. The files in the output folder (``sitrep-2025-06-02.md``, ...)
are fixed links through that one link (``.sets/sitrep-2025-06-02/sitrep-2025-06-02.md``),
so they all switch to the new run at the same instant. A run killed or out of disk space
before the switch leaves the previous set published and whole; the folder it was writing
is removed by the next run (its process is gone). Published set folders are never
modified, so a reader that resolves the link once reads one consistent set.
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from .errors import OutputError

logger = logging.getLogger(__name__)

SETS = ".sets"
"""The folder, inside the output folder, that holds the sets of files of each run."""


def write_atomic(path: Path, data: bytes | str) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder, then rename.

    Raises :class:`OutputError` (with the path and the reason) when it cannot."""
    try:
        return _write_atomic(path, data)
    except OSError as exc:
        raise _output_error(path, exc) from exc


def _output_error(path: Path, exc: OSError) -> OutputError:
    return OutputError(
        f"cannot write {path}: {exc.strerror or exc} (check that {path.parent} is a "
        "writable folder with free space)"
    )


def _write_atomic(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    # The pid in the name lets clean_leftovers() tell a dead run's file from a live one's.
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp",
                               dir=path.parent)  # fmt: skip
    try:
        _write_fd(fd, data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return path


def _write_fd(fd: int, data: bytes | str) -> None:
    """Write all of ``data`` to ``fd``, flush it to disk and close it."""
    view = memoryview(data.encode("utf-8") if isinstance(data, str) else data)
    try:
        os.fchmod(fd, 0o666 & ~_umask())  # mkstemp makes 0600; reports are for sharing
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    finally:
        os.close(fd)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_all(files: Mapping[Path, bytes | str]) -> list[Path]:
    """Write several files, each atomically; all content must be ready before the first
    write (a set that must appear as one is published with :func:`publish_set`)."""
    return [write_atomic(path, data) for path, data in files.items()]


@contextlib.contextmanager
def atomic_text(path: Path) -> Iterator[TextIO]:
    """A text file written piece by piece that appears at ``path`` whole, or not at all
    (for output too large to hold in memory, such as an import's records)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc} (check that "
                          f"{path.parent} is a writable folder)") from exc  # fmt: skip
    try:
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


# --- sets -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Published:
    """A published set: its own folder and its files, by name."""

    folder: Path
    """The set's folder (never modified once published)."""
    files: dict[str, Path]
    """File name -> the file in :attr:`folder`."""


def publish_set(folder: Path, stem: str, files: Mapping[str, bytes | str]) -> Published:
    """Write ``files`` (name -> content) into ``folder`` as the one published set ``stem``.

    Every content must be ready before the first write. Raises :class:`OutputError` when
    the set cannot be written; the previously published set of ``stem`` is then intact.
    """
    sets = folder / SETS
    try:
        sets.mkdir(parents=True, exist_ok=True)
        clean_leftovers(folder)
        fresh = Path(tempfile.mkdtemp(prefix=f"{stem}.{os.getpid()}.", dir=sets))
    except OSError as exc:
        raise _output_error(sets, exc) from exc
    current = fresh
    try:
        os.chmod(fresh, 0o777 & ~_umask())  # mkdtemp makes 0700
        for name, data in files.items():
            current = fresh / name
            _write_fd(os.open(current, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), data)
        _fsync_dir(fresh)
        previous = _readlink(sets / stem)
        _replace_link(fresh.name, sets / stem)  # the switch: the set is published here
    except OSError as exc:
        shutil.rmtree(fresh, ignore_errors=True)
        raise _output_error(current, exc) from exc
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    try:
        _link_files(folder, stem, files)
    except OSError as exc:
        raise _output_error(folder / next(iter(files), stem), exc) from exc
    if previous and previous != fresh.name:
        shutil.rmtree(sets / previous, ignore_errors=True)
    return Published(fresh, {name: fresh / name for name in files})


def _link_files(folder: Path, stem: str, names: Mapping[str, object]) -> None:
    """The fixed links of the output folder to the set's files; links to files the new
    set lacks (a format not generated this time) are removed."""
    prefix = f"{SETS}/{stem}/"
    for name in names:
        target = prefix + name
        if _readlink(folder / name) != target:
            _replace_link(target, folder / name)
    for entry in os.scandir(folder):
        link = _readlink(Path(entry.path))
        if link and link.startswith(prefix) and link[len(prefix) :] not in names:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(entry.path)
    _fsync_dir(folder)


def clean_leftovers(folder: Path) -> list[Path]:
    """Remove what runs that died left in ``folder``'s sets: set folders no link points
    to and temporary links, of processes that no longer exist. Returns what was removed."""
    sets = folder / SETS
    removed: list[Path] = []
    if not sets.is_dir():
        return removed
    entries = list(os.scandir(sets)) + [e for e in os.scandir(folder) if e.name.endswith(".tmp")]
    published = {_readlink(Path(e.path)) for e in entries if e.is_symlink()}
    for entry in entries:
        pid = _owner(entry.name)
        if pid is None or entry.name in published or _alive(pid):
            continue
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path, ignore_errors=True)
        else:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(entry.path)
        removed.append(Path(entry.path))
        logger.info("removed %s, left by a run that stopped (process %d)", entry.path, pid)
    return removed


def _owner(name: str) -> int | None:
    """The process that made a set folder ``<stem>.<pid>.<random>`` or a temporary link
    ``.<name>.<pid>.<random>.tmp``; None for anything else."""
    parts = name.removesuffix(".tmp").rsplit(".", 2)
    if len(parts) != 3 or not parts[1].isdigit():
        return None
    return int(parts[1])


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _readlink(path: Path) -> str | None:
    try:
        return os.readlink(path)
    except OSError:
        return None


def _replace_link(target: str, path: Path) -> None:
    """Point ``path`` at ``target`` atomically (a new link renamed over the old entry)."""
    tmp = path.parent / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    os.symlink(target, tmp)
    try:
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    _fsync_dir(path.parent)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
