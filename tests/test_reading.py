"""Bytes → text: encodings, byte-order marks, line ends, Unicode forms."""

from __future__ import annotations

import codecs
import unicodedata

import pytest

from plangraph.errors import ReadError
from plangraph.ingest.reading import read_bytes

TEXT = "STT\tNội dung\tCơ quan chủ trì\n1\tXây dựng Kế hoạch chuyển đổi số\tSở Nội vụ\n"
TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"  # grave, acute, tilde, hook above, dot below


def to_cp1258(text: str) -> bytes:
    """Windows-1258 keeps â, ê, ô, ơ, ư, ă precomposed and writes tone marks as combining characters."""
    out = []
    for ch in text:
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONE_MARKS))
        out.append(base + "".join(c for c in parts if c in TONE_MARKS))
    return "".join(out).encode("cp1258")


ENCODED = [
    # (bytes, encoding reported) — each decodes to TEXT
    (TEXT.encode("utf-8"), "utf-8"),
    (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),  # Notepad's UTF-8
    (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-16"),  # Word "Unicode text"
    (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16"),
    (TEXT.encode("utf-16-le"), "utf-16-le"),  # no byte-order mark
    (to_cp1258(TEXT), "cp1258"),  # Vietnamese ANSI code page
]


@pytest.mark.parametrize(("data", "encoding"), ENCODED)
def test_reading_decodes_encoding(data: bytes, encoding: str) -> None:
    source = read_bytes(data, "plan.txt")
    assert source.text == TEXT
    assert source.encoding == encoding


def test_reading_repairs_utf8_read_as_cp1252() -> None:
    original = "Kế hoạch số 110/KH-UBND của Sở Nội vụ"
    mojibake = original.encode("utf-8").decode("cp1252")  # "KẠ¿ hoáº¡ch …" saved again as UTF-8
    source = read_bytes(mojibake.encode("utf-8"), "plan.txt")
    assert source.text == original
    assert "repaired" in source.encoding


def test_reading_crlf_and_nbsp_and_nfd_are_normalised() -> None:
    raw = unicodedata.normalize("NFD", TEXT).replace("\n", "\r\n").replace(" ", "\u00a0")
    assert read_bytes(raw.encode("utf-8"), "plan.txt").text == TEXT


def test_reading_keeps_sha256_of_original_bytes() -> None:
    import hashlib

    data = codecs.BOM_UTF8 + TEXT.encode("utf-8")
    assert read_bytes(data, "p.txt").sha256 == hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"   \n\n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary file"),
    ],
)
def test_reading_refuses_non_text(data: bytes, message: str) -> None:
    with pytest.raises(ReadError, match=message):
        read_bytes(data, "plan.txt")
