"""Record text made safe to show: the one place that cleans text on its way into an output.

Record fields (places, titles, summaries, sources) and subscriber names are free text
from files that anyone with write access to the data folder may have written. Before
such text reaches a report, a chart or an e-mail:

- control characters (NUL, ESC, BEL, DEL, the C1 range, ...) are dropped, tab and line
  breaks excepted (a line break is a space where the output needs one line);
- bidirectional overrides and isolates (U+202A-U+202E, U+2066-U+2069), which can make a
  text read differently from what it says, are dropped.

:func:`plain` is applied by every template environment (its ``finalize``), to chart labels
and, in e-mail headers, by :func:`one_line`; :func:`json_document` escapes them in JSON.
"""

from __future__ import annotations

import json
import re
from typing import Any

import orjson

BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
"""The bidirectional embedding, override and isolate characters."""

_DROPPED = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{BIDI_CONTROLS}]")
_CONTROLS = re.compile(f"[\x00-\x1f\x7f-\x9f\u2028\u2029{BIDI_CONTROLS}]+")
# orjson and json write floats under 1e-4 differently (0.00001 or 1e-7 against 1e-05 and
# 1e-07). "e-" first: the regex engine then finds it as fast as str.find.
_NEGATIVE_EXPONENT = re.compile(rb"e-(?<=\de-)")


def plain(text: str) -> str:
    """``text`` without control characters (except tab and line feed) and bidi controls;
    a carriage return becomes a line feed."""
    return _DROPPED.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def one_line(value: object) -> str:
    """One line of plain text (e-mail headers, names): every control character, line
    breaks included, becomes a space; bidi controls are dropped; spaces are collapsed."""
    text = str(value)
    return " ".join(_CONTROLS.sub(lambda m: "" if _only_bidi(m[0]) else " ", text).split())


def has_controls(text: str) -> bool:
    """True when ``text`` holds a control character (line breaks included) or a bidi control."""
    return _CONTROLS.search(text) is not None


def _only_bidi(run: str) -> bool:
    return all(c in BIDI_CONTROLS for c in run)


# What json.dumps(ensure_ascii=False) leaves raw and json_document escapes (DEL, C1, bidi
# controls, line separators), as UTF-8, where 0xC2 and 0xE2 only ever start a character.
_IN_JSON_UTF8 = re.compile(
    b"\x7f|\xc2[\x80-\x9f]|\xe2\x80[\xa8-\xae]|\xe2\x81[\xa6-\xa9]"
)


def json_document(data: Any) -> bytes:
    """``data`` as a JSON document in UTF-8: indented by two spaces and ending with a line
    break, exactly as ``json.dumps(data, indent=2, ensure_ascii=False)`` writes it, with
    the characters it leaves raw (DEL, C1, bidi controls, line separators) written as
    ``\\uXXXX`` escapes: the data is unchanged for a JSON reader, and nothing invisible is
    left in the file.

    Written by orjson, which is ten times faster than ``json`` once ``indent`` makes the
    standard library fall back to its pure-Python encoder, and kept in bytes: a 90-day
    report of a busy desk is 40 MB of JSON, which as a ``str`` would be copied two or
    four times over. The two encoders differ only in how they write floats under 1e-4:
    when the text may hold one (or a string that looks like one), ``json`` writes it.
    """
    out = orjson.dumps(
        data, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS | orjson.OPT_APPEND_NEWLINE
    )
    if b"0.0000" in out or _NEGATIVE_EXPONENT.search(out):
        out = (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode()
    return _escape_invisible(out)


_LEADS = (b"\x7f", b"\xc2", b"\xe2")


def _escape_invisible(out: bytes) -> bytes:
    """``_IN_JSON_UTF8``'s matches in ``out`` as ``\\uXXXX`` escapes. The matches are
    found from their first bytes with ``bytes.find`` (one byte: ``memchr``): the regular
    expression alone would look at each of a 40 MB document's bytes in Python's regex
    engine (0.2 s), and a two-byte needle costs ``find`` ten times what one byte does."""
    found = []
    for lead in _LEADS:
        at = out.find(lead)
        while at != -1:
            if m := _IN_JSON_UTF8.match(out, at):
                found.append(m.span())
            at = out.find(lead, at + 1)
    if not found:
        return out
    parts, last = [], 0
    for start, end in sorted(found):
        parts += [out[last:start], b"\\u%04x" % ord(out[start:end].decode())]
        last = end
    parts.append(out[last:])
    return b"".join(parts)
