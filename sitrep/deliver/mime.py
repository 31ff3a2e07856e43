"""A message's bytes, made cheaply for thousands of recipients of a few editions.

The ``email`` package's policy (:data:`POLICY`: CRLF, 7-bit, 78-column lines) with three
shortcuts, each giving the bytes the stock package gives (``tests/test_deliver_batching.py``
compares them): an attachment's part is encoded once per edition (:class:`EncodedPart`);
a header value that repeats from message to message (content types, encodings, subject,
sender) is parsed once and folded once; and a header's class is made once, where the
stock registry builds a new one with ``type()`` for every header set or counted.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from email import policy
from email.generator import BytesGenerator
from email.headerregistry import HeaderRegistry
from email.message import EmailMessage
from typing import Any

# Header values that repeat from message to message: parsed and folded once. A value that
# names a multipart boundary is new in every message, and never kept.
_REPEATED = {"subject", "from", "reply-to", "list-id", "list-unsubscribe-post",
             "auto-submitted", "content-language", "mime-version", "content-type",
             "content-transfer-encoding", "content-disposition"}  # fmt: skip
_KEPT = 256
_PARSED: dict[tuple[str, str], tuple[str, Any]] = {}
_FOLDED: dict[tuple[str, str], bytes] = {}


class _HeaderClasses(HeaderRegistry):
    """The header registry, each header class made once (the same classes)."""

    def __init__(self) -> None:
        super().__init__()
        self._made: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        made = self._made.get(name.lower())
        if made is None:
            made = self._made[name.lower()] = super().__getitem__(name)
        return made


class _Policy(policy.EmailPolicy):
    """The SMTP policy, parsing a repeated header value once (parsed headers are
    immutable strings, shared by the messages that carry them)."""

    def header_store_parse(self, name: str, value: Any) -> tuple[str, Any]:
        if type(value) is not str or name.lower() not in _REPEATED or "boundary" in value:
            return super().header_store_parse(name, value)
        key = (name, value)
        parsed = _PARSED.get(key)
        if parsed is None:
            if len(_PARSED) > _KEPT:
                _PARSED.clear()
            parsed = _PARSED[key] = super().header_store_parse(name, value)
        return parsed


POLICY = _Policy(linesep="\r\n", cte_type="7bit", max_line_length=78,
                 header_factory=_HeaderClasses())  # fmt: skip
"""``email.policy.SMTP`` with 7-bit bodies and 78-column lines, and the shortcuts above."""


@dataclass(frozen=True)
class Attachment:
    """A file attached to the message."""

    filename: str
    data: bytes
    maintype: str
    subtype: str


class EncodedPart(EmailMessage):
    """An attachment's MIME part, built and serialised once and attached to every message
    of its edition: base64-encoding a PDF for each recipient was most of a message's cost.
    :func:`as_bytes` writes ``encoded`` as it is; the bytes are what the ``email`` package
    writes for the same part."""

    def __init__(self, attachment: Attachment) -> None:
        super().__init__(policy=POLICY)
        self.set_content(
            attachment.data, maintype=attachment.maintype, subtype=attachment.subtype,
            filename=attachment.filename,
            params={"charset": "utf-8"} if attachment.maintype == "text" else {},
        )  # fmt: skip
        self.encoded = self.as_bytes(policy=POLICY)


class _Generator(BytesGenerator):
    """``msg.as_bytes()``, writing each :class:`EncodedPart` as its stored bytes and
    folding a repeated header value once (folding costs more than the rest)."""

    def _write_headers(self, msg: Any) -> None:
        for name, value in msg.raw_items():
            key = (name, str(value))
            folded = _FOLDED.get(key)
            if folded is None:
                folded = POLICY.fold_binary(name, value)
                if name.lower() in _REPEATED:
                    if len(_FOLDED) > _KEPT:
                        _FOLDED.clear()
                    _FOLDED[key] = folded
            self._fp.write(folded)  # type: ignore[attr-defined]
        self.write(self._NL)  # type: ignore[attr-defined]

    @classmethod
    def _make_boundary(cls, text: Any = None) -> str:
        # The email package compiles a regular expression for each boundary to check that
        # no line of the message is one; a boundary found nowhere in it needs no such check.
        boundary: str = super()._make_boundary()  # type: ignore[misc]
        if text is None or f"--{boundary}".encode() not in text:
            return boundary
        return str(super()._make_boundary(text))  # type: ignore[misc]

    def flatten(self, msg: Any, unixfrom: bool = False, linesep: str | None = None) -> None:
        if isinstance(msg, EncodedPart):
            self._fp.write(msg.encoded)  # type: ignore[attr-defined]
        else:
            super().flatten(msg, unixfrom, linesep)


def as_bytes(msg: EmailMessage) -> bytes:
    """The message as sent: CRLF line ends, ASCII only."""
    out = io.BytesIO()
    _Generator(out, mangle_from_=False, policy=POLICY).flatten(msg)
    return out.getvalue()
