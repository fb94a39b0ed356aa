"""Scanned PDFs made from rendered ones, as an office's scanner would give them, and hostile PDFs of images.

`scan_pdf` prints a PDF's pages to grey images (Poppler's pdftoppm) at a resolution, adds the scanner's noise
(grain and dust specks) and a slight skew, and binds the images into a PDF with no text layer. The hostile
makers write PDFs by hand (no library makes a bomb on purpose): many pages sharing one image, a page holding an
image of 30,000 × 30,000 pixels, and an image whose JBIG2 stream declares a page far larger than its dictionary.
"""

from __future__ import annotations

import io
import random
import subprocess
import zlib
from pathlib import Path


def scan_pdf(
    pdf: Path, out: Path, dpi: int = 200, noise: float = 18.0, skew: float = 0.8, seed: int = 0, pages: int = 0
) -> Path:
    """`pdf` as a scan: each page rendered at `dpi`, grain of `noise` grey levels, dust, turned by up to ±`skew`°;
    only its first `pages` pages when given (a test of what is kept needs no more than a page or two)."""
    import numpy as np
    from PIL import Image

    rng = random.Random(seed)
    generator = np.random.default_rng(seed)
    images = []
    count = int(
        next(
            line.split()[-1]
            for line in subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout.split(
                "\n"
            )
            if line.startswith("Pages:")
        )
    )
    for number in range(1, (min(count, pages) if pages else count) + 1):
        raw = subprocess.run(
            ["pdftoppm", "-r", str(dpi), "-gray", "-f", str(number), "-l", str(number), str(pdf)],
            capture_output=True,
            check=True,
        ).stdout
        image = Image.open(io.BytesIO(raw)).convert("L")
        angle = rng.uniform(0.3, 1.0) * skew * rng.choice((-1, 1))
        image = image.rotate(angle, resample=Image.Resampling.BILINEAR, expand=False, fillcolor=255)
        pixels = np.asarray(image).astype(np.float32)
        pixels += generator.normal(0.0, noise, pixels.shape)
        dust = generator.random(pixels.shape)
        pixels[dust < 0.0005] = 0.0  # dark specks
        pixels[dust > 0.9995] = 255.0  # white specks in the ink
        images.append(Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8)))
    images[0].save(out, format="PDF", resolution=float(dpi), save_all=True, append_images=images[1:])
    return out


# -- hostile scans, written by hand --------------------------------------------------------------------------


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF of the numbered objects (1 is the catalog), with its cross-reference table."""
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _stream(dictionary: bytes, data: bytes) -> bytes:
    return b"<< " + dictionary + b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def image_pages_pdf(pages: int, width: int = 50, height: int = 50, media: tuple[float, float] = (595, 842)) -> bytes:
    """`pages` pages, each showing the same small grey image (a scan of many pages in a small file)."""
    kids = b" ".join(b"%d 0 R" % (5 + i) for i in range(pages))
    image = _stream(
        b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8"
        b" /Filter /FlateDecode" % (width, height),
        zlib.compress(b"\xff" * (width * height)),
    )
    content = _stream(b"", b"q %g 0 0 %g 0 0 cm /Im0 Do Q" % media)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages,
        image,
        content,
    ]
    for _ in range(pages):
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %g %g] /Contents 4 0 R"
            b" /Resources << /XObject << /Im0 3 0 R >> >> >>" % media
        )
    return _pdf(objects)


def huge_image_pdf(side: int = 30_000) -> bytes:
    """One A4 page holding a `side` × `side` pixel image (1 bit per pixel, all white: a small file)."""
    row = b"\x00" * ((side + 7) // 8)
    data = zlib.compressobj(9)
    packed = b"".join(data.compress(row) for _ in range(side)) + data.flush()
    image = _stream(
        b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 1"
        b" /Decode [1 0] /Filter /FlateDecode" % (side, side),
        packed,
    )
    return _one_image_page(image)


def jbig2_bomb_pdf(declared: int = 60_000, page: int = 60_000) -> bytes:
    """A page holding a JBIG2 image of `declared` × `declared` pixels (its dictionary) whose stream of a few dozen
    bytes says `page` × `page`, one region filling it: decoded, 60,000² is 450 MB of bits from 70 bytes."""
    segments = bytearray()
    # Page information segment (type 48): width, height, resolutions, flags, striping.
    info = page.to_bytes(4, "big") * 2 + (0).to_bytes(4, "big") * 2 + b"\x00" + b"\x00\x00"
    segments += (0).to_bytes(4, "big") + bytes([48, 0, 1]) + len(info).to_bytes(4, "big") + info
    # Immediate lossless generic region (type 39) covering the whole page, MMR coded, with no data: the
    # decoder fills the region (page × page) from an empty stream.
    region = page.to_bytes(4, "big") * 2 + (0).to_bytes(4, "big") * 2 + b"\x00" + b"\x01"
    segments += (1).to_bytes(4, "big") + bytes([39, 0, 1]) + len(region).to_bytes(4, "big") + region
    # End of page (type 49).
    segments += (2).to_bytes(4, "big") + bytes([49, 0, 1]) + (0).to_bytes(4, "big")
    image = _stream(
        b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 1"
        b" /Filter /JBIG2Decode" % (declared, declared),
        bytes(segments),
    )
    return _one_image_page(image)


def _one_image_page(image: bytes) -> bytes:
    content = _stream(b"", b"q 595 0 0 842 0 0 cm /Im0 Do Q")
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [5 0 R] /Count 1 >>",
            image,
            content,
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
            b" /Resources << /XObject << /Im0 3 0 R >> >> >>",
        ]
    )
