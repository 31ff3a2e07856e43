"""PDF: WeasyPrint with a locked-down URL fetcher, and a test double."""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol
from urllib.parse import unquote, urlsplit

from ..errors import RenderError

logger = logging.getLogger(__name__)

Kind = Literal["html", "md", "text"]

# --- PDF -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PdfAttachment:
    """A file embedded in the PDF (PDF/A-3 associated file): the report's JSON."""

    name: str
    data: bytes
    description: str
    modified: dt.datetime
    relationship: str = "Data"
    """ISO 32000-2 7.11.3: 'Data' for the data the document shows; 'Source', 'Supplement'."""


class PdfRenderer(Protocol):
    """Turns the report's print HTML into PDF bytes."""

    def render(self, html: str, attachments: Sequence[PdfAttachment] = ()) -> bytes:
        """The PDF of ``html``, with ``attachments`` embedded."""
        ...


@dataclass
class FetchPolicy:
    """Which URLs the PDF engine may load: ``data:`` and files inside the allowed folders.

    Every URL asked for is kept in ``requested``; refused ones also in ``refused``.
    """

    folders: list[Path]
    requested: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)

    def allows(self, url: str) -> bool:
        """True for ``data:`` URLs and ``file:`` URLs inside an allowed folder."""
        self.requested.append(url)
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        ok = False
        if scheme == "data":
            ok = True
        elif scheme == "file" and parts.netloc in ("", "localhost"):
            target = Path(unquote(parts.path)).resolve()
            ok = any(target.is_relative_to(f.resolve()) for f in self.folders)
        if not ok:
            self.refused.append(url)
            logger.warning(
                "PDF: refused to load %s (only data: URLs and files in the templates "
                "folders may be loaded)",
                url[:200],
            )
        return ok


def _fetcher(policy: FetchPolicy) -> Any:
    """A WeasyPrint URL fetcher that asks ``policy`` before loading anything."""
    from weasyprint.urls import URLFetcher

    class PolicyFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            if not policy.allows(url):
                raise ValueError(f"sitrep does not load {url[:80]} into reports")
            return super().fetch(url, headers)

    return PolicyFetcher(timeout=5, allow_redirects=False)


_RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
_PDFUA_PART = "{http://www.aiim.org/pdfua/ns/id/}part"


def _declare_pdf_ua(document: Any) -> None:
    """Add the PDF/UA-1 identification (ISO 14289-1, pdfuaid:part) to the XMP metadata
    WeasyPrint writes for PDF/A: it makes one variant at a time, and the tags PDF/UA
    needs are its ``pdf_tags``. Changes this one document's metadata, nothing global."""
    from xml.etree import ElementTree

    metadata = document.metadata
    rdf = metadata.generate_rdf_metadata

    def with_ua(variant: str, version: int, conformance: str | None) -> bytes:
        root = ElementTree.fromstring(rdf(variant, version, conformance))
        description = root.find(f"{_RDF}Description")
        if description is not None:
            description.set(_PDFUA_PART, "1")
        out: bytes = ElementTree.tostring(root, encoding="utf-8")
        return out

    metadata.generate_rdf_metadata = with_ua


def pdf_folders(templates: Path | None) -> list[Path]:
    """The folders a report's print HTML may load files from: the user's templates (the
    base for relative URLs), if any, and the shipped ones."""
    from .environment import shipped_templates  # Jinja and the words: not for a PDF worker

    return [p for p in (templates, shipped_templates()) if p]


def _written_once(document: Any, pdf: Any) -> None:
    """A ``write_pdf`` finisher: each object of ``pdf`` serialised (its streams compressed)
    once. pydyf writes every object, then serialises them all again to hash them for the
    file identifier PDF/A requires: every stream deflated twice at level 9, the attached
    JSON included (about 0.5 s of CPU for a big period's PDF). The same bytes either way.
    Attached files are deflated first, at zlib's default level (:func:`_deflate_attachment`).
    A pydyf whose objects lack what this reads is left to write as it does."""
    import pydyf

    class Written(pydyf.Object):  # type: ignore[misc]
        def __init__(self, source: Any) -> None:
            super().__init__()
            self.number, self.generation = source.number, source.generation
            self._compressible: bool = source.compressible
            self._data: bytes = source.data

        @property
        def data(self) -> bytes:
            return self._data

        @property
        def compressible(self) -> bool:
            return self._compressible

    for o in pdf.objects:
        if isinstance(o, pydyf.Stream):
            _deflate_attachment(o)
    try:
        written = [o if o.free == "f" else Written(o) for o in pdf.objects]
    except AttributeError as exc:  # another pydyf: slower, the same file
        logger.debug("PDF objects left to pydyf (%s)", exc)
        return
    pdf.objects = written


def _deflate_attachment(stream: Any) -> None:
    """An attached file deflated at zlib's default level rather than pydyf's 9: the same
    data, 0.25 s of CPU less for a big period's 15 MB JSON, 10% more bytes for it."""
    import zlib

    if (
        stream.compress
        and stream.extra.get("Type") == "/EmbeddedFile"
        and len(stream.stream) == 1
        and isinstance(stream.stream[0], bytes)
    ):
        stream.stream = [zlib.compress(stream.stream[0])]
        stream.extra["Filter"] = "/FlateDecode"
        stream.compress = False


class WeasyPrintRenderer:
    """The real PDF renderer: WeasyPrint, imported on first use, with a locked-down fetcher.

    ``folders`` are the folders whose files the HTML may load (the user's templates and
    the shipped ones; the first is the base for relative URLs). ``policy`` records what
    the last rendering asked for and what was refused.

    ``archival`` (the default) makes a tagged PDF/A-3b that also declares PDF/UA-1: a
    structure tree in reading order, /Lang from ``<html lang>``, the title shown, table
    headers, each image's alt text, sRGB output intent, and the attachments embedded as
    associated files. Without it: an untagged PDF with the attachments (the benchmark's
    baseline, bench/bench_pdf.py).
    """

    def __init__(self, folders: Sequence[Path] | None = None, *, archival: bool = True) -> None:
        self.folders = list(folders) if folders else pdf_folders(None)
        self.policy = FetchPolicy(self.folders)
        self.archival = archival

    def options(self, attachments: Sequence[PdfAttachment] = ()) -> dict[str, Any]:
        """The options of ``write_pdf``: the PDF variant, tags and attachments."""
        import weasyprint

        files = [
            weasyprint.Attachment(
                string=a.data, name=a.name, description=a.description,
                created=a.modified, modified=a.modified, relationship=a.relationship,
            )
            for a in attachments
        ]  # fmt: skip
        if not self.archival:
            return {"attachments": files}
        return {
            "attachments": files,
            "pdf_variant": "pdf/a-3b",
            "pdf_tags": True,
        }

    def render(self, html: str, attachments: Sequence[PdfAttachment] = ()) -> bytes:
        """The PDF of ``html``; raises :class:`RenderError` if WeasyPrint fails."""
        progress = logging.getLogger("weasyprint.progress")
        if progress.level == logging.NOTSET:  # its step-by-step INFO lines drown the CLI's
            progress.setLevel(logging.WARNING)
        try:
            import weasyprint
        except (ImportError, OSError) as exc:
            raise RenderError(
                f"cannot load WeasyPrint ({exc}); run scripts/setup.sh to install Pango "
                "and HarfBuzz, or leave pdf out of report.formats"
            ) from None
        base = self.folders[0].resolve().as_uri() + "/"
        self.policy = FetchPolicy(self.folders)
        try:
            options = self.options(attachments)
            document = weasyprint.HTML(
                string=html, base_url=base, url_fetcher=_fetcher(self.policy)
            ).render(**options)
            if self.archival:
                _declare_pdf_ua(document)
            pdf: bytes = document.write_pdf(finisher=_written_once, **options)
        except Exception as exc:  # WeasyPrint raises many types; report them all the same way
            raise RenderError(
                f"the PDF could not be made: {type(exc).__name__}: {exc} (check the HTML "
                "template and report.css, or render the HTML format to inspect it)"
            ) from exc
        return pdf


class RecordingPdfRenderer:
    """A test double: keeps every HTML it is given and returns a small valid one-page PDF."""

    def __init__(self) -> None:
        self.html: list[str] = []
        self.attachments: list[PdfAttachment] = []

    def render(self, html: str, attachments: Sequence[PdfAttachment] = ()) -> bytes:
        """Record ``html`` and the attachments; return a minimal PDF."""
        self.html.append(html)
        self.attachments.extend(attachments)
        return minimal_pdf("sitrep test PDF")


def minimal_pdf(text: str) -> bytes:
    """A valid one-page A4 PDF showing one line of ASCII text."""
    safe = re.sub(r"[^A-Za-z0-9 .,:-]", "", text)
    stream = f"BT /F1 12 Tf 72 770 Td ({safe}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
