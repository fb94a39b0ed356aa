"""Stage 1: bytes → text.

Offices send UTF-8, UTF-8 with a BOM, UTF-16 (Word "Unicode text") and
Windows-1258 (Vietnamese ANSI) files, sometimes UTF-8 that was decoded as
Windows-1252 and saved again ("Káº¿ hoáº¡ch"). All become NFC text here.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import stat
from pathlib import Path

from plangraph.errors import ReadError
from plangraph.ingest.text import normalize_document_text
from plangraph.model import SourceText

# Typical mojibake of Vietnamese UTF-8 read as Windows-1252: "áº¿", "á»‡", "Ä‘".
MOJIBAKE = re.compile("(?:á[º»][\u0080-\u02ff\u2010-\u203a])|Ä‘|Æ°|Ã[¡-ÿ]")
# Letters only Vietnamese text has; used to choose between legacy code pages.
VIETNAMESE_LETTERS = re.compile("[ăâđêôơưĂÂĐÊÔƠƯ]")


def _cp1252_bytes(text: str) -> bytes:
    """Undo a cp1252 reading of UTF-8 bytes. Windows tools keep the five bytes cp1252 leaves undefined
    (0x81, 0x8D, 0x8F, 0x90, 0x9D) as the control characters of the same number; "ờ" is E1 BB 9D."""
    out = bytearray()
    for char in text:
        try:
            out += char.encode("cp1252")
        except UnicodeEncodeError:
            if ord(char) > 0xFF:
                raise
            out.append(ord(char))
    return bytes(out)


# A text file with more NUL bytes than this (or more than one in a thousand) is binary.
MAX_STRAY_NULS = 16
# The largest document read (a national plan's PDF is a few MB; a DOCX with images tens of MB).
MAX_DOCUMENT_BYTES = 200_000_000

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old binary Word (.doc), Excel (.xls)


def binary_container(data: bytes, name: str) -> str | None:
    """ "docx" or "pdf" when `data` is one (judged by content, not by the name); None for text.

    Old binary Word files are converted to DOCX with LibreOffice when it is installed; other
    office containers are refused with what to do instead."""
    head = data[:1024]
    # By the file's start (a text plan that quotes "%PDF-" in its first kilobyte is still text).
    if data.lstrip(b" \t\r\n").startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        if b"word/document.xml" in data or b"word/" in data[:65536]:
            return "docx"
        kind = "an OpenDocument file" if b"mimetypeapplication/vnd.oasis" in data[:200] else "a ZIP archive"
        raise ReadError(f"{name}: {kind}, not a Word document. Save the plan as .docx or .pdf and load that file.")
    if data.startswith(OLE2_MAGIC):
        return "doc"
    if head.lstrip().startswith(b"{\\rtf"):
        raise ReadError(f"{name}: an RTF document. Open it in Word or LibreOffice, save it as .docx and load that.")
    return None


def decode(data: bytes, name: str = "<bytes>") -> tuple[str, str]:
    """Decode document bytes; return (text, encoding). Raise ReadError if it is not text."""
    if not data.strip():
        raise ReadError(f"{name}: the file is empty. Export the plan again and reload it.")
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="strict"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            at = exc.start + len(codecs.BOM_UTF8)
            line = data.count(b"\n", 0, at) + 1
            raise ReadError(
                f"{name}: starts as UTF-8 (byte-order mark) but byte 0x{data[at]:02X} at line {line} is not UTF-8; "
                "the file is damaged or mixes encodings. Re-save it as UTF-8."
            ) from exc
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise ReadError(f"{name}: starts as UTF-16 but is damaged at byte {exc.start}.") from exc
    sample = data[:4096]
    if sample.count(b"\x00") > len(sample) // 4:
        # UTF-16 without a byte-order mark: every other byte of ASCII text is NUL.
        even_nuls = sample[1::2].count(b"\x00")
        odd_nuls = sample[0::2].count(b"\x00")
        encoding = "utf-16-le" if even_nuls > odd_nuls else "utf-16-be"
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            pass
    # NUL bytes are judged over the whole file, wherever they are: a few stray ones (a damaged export)
    # carry no text and are removed; more make it a binary file.
    nuls = data.count(b"\x00")
    if nuls > MAX_STRAY_NULS or nuls * 1000 > len(data):
        raise ReadError(
            f"{name}: this is a binary file, not text. Save the plan as .docx, .pdf, .txt or .md and load that file."
        )
    if nuls:
        data = data.replace(b"\x00", b"")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = ""
    if text:
        if MOJIBAKE.search(text):
            try:
                repaired = _cp1252_bytes(text).decode("utf-8")
                return repaired, "utf-8 (repaired from cp1252 mojibake)"
            except (UnicodeEncodeError, UnicodeDecodeError):
                pass
        return text, "utf-8"
    # Legacy single-byte Vietnamese: Windows-1258 first, then Windows-1252.
    for encoding in ("cp1258", "cp1252"):
        try:
            candidate = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding == "cp1258" and not VIETNAMESE_LETTERS.search(candidate):
            continue
        return candidate, encoding
    raise ReadError(
        f"{name}: the text encoding is not UTF-8, UTF-16, Windows-1258 or Windows-1252. Re-save the file as UTF-8."
    )


def read_bytes(data: bytes, name: str, path: str | None = None) -> SourceText:
    container = binary_container(data, name)
    if container is not None:
        # DOCX and PDF are parsed from their bytes by their loaders (graph/loaders/docx.py, pdf.py).
        return SourceText(
            name=name, text="", sha256=hashlib.sha256(data).hexdigest(), encoding=container, path=path, data=data
        )
    text, encoding = decode(data, name)
    return SourceText(
        name=name,
        text=normalize_document_text(text),
        sha256=hashlib.sha256(data).hexdigest(),
        encoding=encoding,
        path=path,
    )


def display_name(name: str) -> str:
    """A file name as text: bytes that are not UTF-8 (a name from another system) shown as \\xNN."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def read_file(path: Path) -> SourceText:
    """The file's bytes as text; regular files only (a FIFO or device would block or never end)."""
    name = display_name(path.name)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise ReadError(f"{name}: cannot be read ({exc.strerror}).") from exc
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ReadError(f"{name}: not a regular file (a FIFO, device or socket); only files are loaded.")
        if info.st_size > MAX_DOCUMENT_BYTES:
            raise ReadError(
                f"{name}: {info.st_size:,} bytes, larger than a plan document may be ({MAX_DOCUMENT_BYTES:,}); "
                "not read."
            )
        with os.fdopen(fd, "rb", closefd=True) as handle:
            fd = -1
            data = handle.read(MAX_DOCUMENT_BYTES + 1)
    except OSError as exc:
        raise ReadError(f"{name}: cannot be read ({exc.strerror}).") from exc
    finally:
        if fd >= 0:
            os.close(fd)
    return read_bytes(data, name, str(path))
