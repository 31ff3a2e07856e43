"""Data files: finding them under the data folder without following links out of it,
reading them as UTF-8 text, and parsing them by suffix."""

from __future__ import annotations

import errno
import logging
import os
import stat
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Literal

from ..errors import DataError, Problem
from ..progress import EVERY, SILENT, Progress
from .jsonl import BadJson, json_value, jsonl_items, line_id
from .raw import EMPTY, RawRecord, Window
from .yaml import parse_yaml

logger = logging.getLogger(__name__)

SUFFIXES = (".yaml", ".yml", ".json", ".jsonl")
FollowLinks = Literal["never", "inside"]
"""Which symbolic links in the data folder are followed: none, or those to files and
folders inside the data folder (``report.follow_links``)."""

_NOT_FOLLOWED = (
    "is a symbolic link; sitrep does not follow links in the data folder (copy the file, "
    'or set report.follow_links = "inside" in sitrep.toml to follow links that stay inside '
    "the data folder)"
)
_OUTSIDE = (
    "is a symbolic link to outside the data folder; sitrep does not follow it (copy the "
    "file into the data folder)"
)
_BROKEN = "is a broken symbolic link (nothing at its target, or links in a loop; fix or remove it)"
_SPECIAL = "is not a regular file (a pipe, socket or device); not read (remove it)"
_HIDDEN = "hidden {}: not read (rename it without the leading '.' to read it)"
_SAME = "is the same file or folder as one read already: read once"
_NOT_DATA = "not a data file: not read (only files ending in " + ", ".join(SUFFIXES) + " are)"


@dataclass
class Found:
    """The data files under a folder, the problems of what could not be read, and notes
    on what was left out on purpose (hidden and other files)."""

    files: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)


def display_name(path: Path) -> str:
    """A path as messages name it: relative to the working folder when inside it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except (ValueError, OSError):
        return str(path)


def _reason(exc: OSError) -> str:
    why = (exc.strerror or type(exc).__name__).lower()
    if exc.errno in (errno.EACCES, errno.EPERM):
        return f"{why} (check that the user running sitrep may read it)"
    return why


class _Walk:
    """Every entry under the data folder, once, without recursion."""

    def __init__(self, root: Path, follow_links: FollowLinks, found: Found) -> None:
        self.root, self.follow_links, self.found = root, follow_links, found
        self.real_root = root.resolve()
        self.seen: set[Path] = {self.real_root}  # real paths, when links are followed

    def problem(self, path: Path, message: str) -> None:
        self.found.problems.append(Problem(display_name(path), None, None, None, message))

    def run(self) -> None:
        folders = [self.root]
        while folders:
            folder = folders.pop()
            try:
                with os.scandir(folder) as listing:
                    entries = list(listing)
            except OSError as exc:
                self.problem(folder, f"cannot read the folder: {_reason(exc)}")
                continue
            for entry in entries:
                try:
                    self.entry(entry, folders)
                except OSError as exc:
                    self.problem(Path(entry.path), f"cannot read it: {_reason(exc)}")

    def entry(self, entry: os.DirEntry[str], folders: list[Path]) -> None:
        path = Path(entry.path)
        if entry.name.startswith("."):
            kind = "folder" if entry.is_dir(follow_symlinks=False) else "file"
            self.found.notes.append(
                Problem(display_name(path), None, None, None, _HIDDEN.format(kind))
            )
            return
        if entry.is_symlink():
            target = self.follow(path)
            if target is None:
                return
            path = target
        elif self.follow_links == "inside":  # a link read earlier may lead here
            real = path.resolve()
            if real in self.seen:
                self.found.notes.append(Problem(display_name(path), None, None, None, _SAME))
                return
            self.seen.add(real)
        if path.is_dir():
            folders.append(path)
        elif not path.is_file():
            self.problem(path, _SPECIAL)
        elif path.suffix.lower() in SUFFIXES:
            self.found.files.append(path)
        else:
            self.found.notes.append(Problem(display_name(path), None, None, None, _NOT_DATA))

    def follow(self, link: Path) -> Path | None:
        """The real path a link leads to, if it is followed; else None, and a problem."""
        if self.follow_links == "never":
            self.problem(link, _NOT_FOLLOWED if link.exists() else _BROKEN)
            return None
        try:
            real = link.resolve(strict=True)
        except (OSError, RuntimeError):
            self.problem(link, _BROKEN)
            return None
        if not real.is_relative_to(self.real_root):
            self.problem(link, _OUTSIDE)
            return None
        if real in self.seen:  # read already, or a folder linking to its parent
            self.found.notes.append(Problem(display_name(link), None, None, None, _SAME))
            return None
        self.seen.add(real)
        return real


def discover(root: Path, follow_links: FollowLinks = "never") -> Found:
    """The data files under ``root`` in a stable order, with a problem for each file or
    folder that could not be read or is a symbolic link not followed, and a note for each
    hidden or other file left out. A data file named as ``root`` is read even if a link."""
    found = Found()
    if root.is_file():
        found.files.append(root.resolve() if root.is_symlink() else root)
    elif root.is_dir():
        _Walk(root, follow_links, found).run()
        found.files.sort()
    elif root.exists():
        found.problems.append(Problem(display_name(root), None, None, None, _SPECIAL))
    else:
        raise DataError(
            [Problem(str(root), None, None, None, "no such folder (expected the data folder)")]
        )
    return found


class _Unreadable(Exception):
    def __init__(self, line: int | None, message: str) -> None:
        super().__init__(message)
        self.line, self.message = line, message


def _open(path: Path) -> BinaryIO:
    """A data file opened for reading: a regular file, not through a symbolic link; else
    :class:`_Unreadable`."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        file = os.fdopen(os.open(path, flags), "rb")
        if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):
            file.close()
            raise _Unreadable(None, _SPECIAL)
    except OSError as exc:
        why = _NOT_FOLLOWED if exc.errno == errno.ELOOP else f"cannot read the file: {_reason(exc)}"
        raise _Unreadable(None, why) from None
    return file


def _not_utf8(data: bytes, start: int, lines_before: int = 0) -> _Unreadable:
    line = lines_before + data.count(b"\n", 0, start) + 1
    why = f"not UTF-8 text: the byte {data[start]:#04x} cannot be read (save the file as UTF-8)"
    return _Unreadable(line, why)


def read_text(path: Path) -> str:
    """A data file's text: a regular file, not through a symbolic link, UTF-8 (a leading
    byte order mark is dropped); else :class:`_Unreadable` with the line and the reason."""
    try:
        with _open(path) as file:
            data = file.read()
    except OSError as exc:
        raise _Unreadable(None, f"cannot read the file: {_reason(exc)}") from None
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise _not_utf8(data, exc.start) from None


_CHUNK = 1 << 20


def _check_utf8(file: BinaryIO) -> bool:
    """Read a whole file in chunks: whether it holds anything but white space (a leading
    byte order mark aside), or :class:`_Unreadable` at the first byte that is not UTF-8.
    Chunks end at a line break, so a character is never cut in two."""
    lines, carry, blank, first = 0, b"", True, True
    while True:
        chunk = file.read(_CHUNK)
        data = carry + chunk
        cut = len(data) if not chunk else data.rfind(b"\n") + 1
        data, carry = data[:cut], data[cut:]
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise _not_utf8(data, exc.start, lines) from None
        if first and text:
            text, first = text.removeprefix("\ufeff"), False
        blank = blank and not text.strip()
        lines += data.count(b"\n")
        if not chunk:
            return not blank


class FileStream:
    """The records of one data file, one at a time, and the bytes read so far.

    JSON lines are read a line at a time (after a first pass that checks the whole file is
    UTF-8, so that a bad byte still stops the whole file, as :func:`parse_file` does);
    YAML and JSON files are parsed whole, one file at a time."""

    def __init__(self, path: Path, display: str | None = None, window: Window | None = None
                 ) -> None:  # fmt: skip
        self.path = path
        self.name = display or str(path)
        self.window = window
        """With a window, JSONL lines clearly outside it are not parsed (see
        :func:`jsonl_items`)."""
        self.read = 0
        """Bytes of the file read so far."""

    def __iter__(self) -> Iterator[RawRecord | Problem]:
        if self.path.suffix.lower() != ".jsonl":
            records, problems = parse_file(self.path, self.name)
            yield from problems
            yield from records
            self.read = _size(self.path)
            return
        try:
            with _open(self.path) as file:
                if not _check_utf8(file):
                    yield Problem(self.name, None, None, None, EMPTY)
                    return
                file.seek(0)
                yield from jsonl_items(self._lines(file), self.name, self.window)
        except OSError as exc:
            yield Problem(self.name, None, None, None, f"cannot read the file: {_reason(exc)}")
        except _Unreadable as exc:
            yield Problem(self.name, exc.line, None, None, exc.message)
        except UnicodeDecodeError:  # the file changed after the first pass
            yield Problem(self.name, None, None, None, "changed while it was read (read again)")

    def _lines(self, file: BinaryIO) -> Iterator[str]:
        for n, raw in enumerate(file):
            self.read += len(raw)
            text = raw.decode("utf-8")
            yield (text.removeprefix("\ufeff") if n == 0 else text).removesuffix("\n")


class RecordReader:
    """The records of several data files, one at a time (a :class:`FileStream` each),
    telling ``progress`` the records and bytes read of the files' total; :attr:`empty`
    names the files that held neither a record nor a problem."""

    def __init__(
        self,
        files: Sequence[Path],
        progress: Progress = SILENT,
        display: Callable[[Path], str] = display_name,
    ) -> None:
        self.files, self.progress, self.display = files, progress, display
        self.records = 0
        self.empty: list[str] = []

    def __iter__(self) -> Iterator[RawRecord | Problem]:
        sizes = [_size(path) for path in self.files]
        self.progress.start(sum(sizes))
        done = 0
        for path, size in zip(self.files, sizes, strict=True):
            stream = FileStream(path, self.display(path))
            before, trouble = self.records, False
            for item in stream:
                if isinstance(item, Problem):
                    trouble = True
                else:
                    self.records += 1
                    if self.records % EVERY == 0:
                        self.progress.update(self.records, done + stream.read)
                yield item
            if self.records == before and not trouble:
                self.empty.append(stream.name)
            done += size
            self.progress.update(self.records, done)
        self.progress.finish()


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def parse_file(
    path: Path, display: str | None = None, window: Window | None = None
) -> tuple[list[RawRecord], list[Problem]]:
    """Parse one data file into raw records; what cannot be read or parsed becomes
    problems. With a window, JSONL lines clearly outside it are not parsed, only their ids
    kept."""
    name = display or str(path)
    if path.suffix.lower() == ".jsonl":  # a line at a time: a big file is never held whole
        records: list[RawRecord] = []
        problems: list[Problem] = []
        for item in FileStream(path, name, window):
            if isinstance(item, Problem):
                problems.append(item)
            else:
                records.append(item)
        return records, problems
    try:
        text = read_text(path)
    except _Unreadable as exc:
        return [], [Problem(name, exc.line, None, None, exc.message)]
    if not text.strip():
        return [], [Problem(name, None, None, None, EMPTY)]
    suffix = path.suffix.lower()
    if suffix == ".json":
        try:  # strict JSON first, for JSON's own error messages; then YAML for line numbers
            json_value(text)
        except BadJson as exc:
            return [], [Problem(name, exc.line, None, None, f"not valid JSON: {exc.message}")]
    return parse_yaml(text, name, is_json=suffix == ".json")


def record_ids(path: Path) -> Iterator[str]:
    """The ids of a file's records (a JSONL line's id read without parsing the line when
    it comes first, as ``sitrep export --records`` writes it)."""
    if path.suffix.lower() != ".jsonl":
        records, _ = parse_file(path)
        yield from (rid for r in records if (rid := r.id))
        return
    with path.open("rb") as file:
        for raw in file:
            rid = line_id(raw.decode("utf-8", "replace"))
            if rid:
                yield rid
