"""Scanned pages read by OCR, on the machine and offline: Poppler renders a page, Tesseract reads it.

A PDF page with no text layer (a scan: the signed and stamped copy an office files) or with a text layer that is
garbage (a font without a Unicode map, printed as "(cid:71)(cid:72)…") is read here, and what it gives is a page
the PDF layout reader (graph/loaders/pdf.py) reads as it reads a page with a text layer: characters with their
boxes, and the ruling lines of tables, so a scanned table is read as a table. Per page:

1. ``pdftoppm`` renders the page in grey at :attr:`OcrOptions.dpi` (200: see benchmarks/RESULTS.md, "OCR");
2. salt-and-pepper noise is removed (a median filter, only on a page that has such noise) and the page is turned
   straight (the skew that maximises the contrast of its rows of text, within ±4°);
3. long straight runs of ink are the ruling lines of tables: they become the page's lines and are erased from
   the image, so Tesseract does not read a column rule as "|";
4. ``tesseract`` (the Vietnamese model, ``-l vie``) gives words with their boxes and a confidence; each word's
   characters share its line's top and bottom, so the layout reader sees printed lines.

Bounds: the programs run as child processes with their own memory and CPU limits and a wall-clock timeout
(:attr:`OcrOptions.page_memory_mb`, :attr:`OcrOptions.page_timeout_s`); a page larger than
:attr:`OcrOptions.max_page_mp` megapixels at the chosen resolution, or holding an image of more than
:attr:`OcrOptions.max_image_mp` megapixels (a decompression bomb, JBIG2's included), is not rendered; a document
of more than :attr:`OcrOptions.max_pages` pages to read is refused before any is read. A page stopped by a limit
is a finding on that page; the others are read.

Done once: what a document's pages gave is kept under the digest of the file's bytes in the OCR folder
(``PLANGRAPH_OCR_DIR``, by default ``ocr/`` beside the store), so loading the file again does not read it again.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

# Bump when what a page gives changes (the cache keeps results under it).
OCR_VERSION = 3
INK = 150  # grey levels below this are ink
NOISE_SHARE = 0.002  # isolated ink pixels above this share of the page: salt-and-pepper noise, filtered
SPECK_CONFIDENCE = 60.0  # punctuation alone read with less confidence is a speck of dust
NO_CONFIDENCE = 20.0  # anything read with less confidence is noise
BLANK_CHARS = 12  # a page with fewer characters read, all with little confidence, is blank
BLANK_CONFIDENCE = 50.0
ITEM_MARK = "#"  # what a speck where an item's number was is read as (plangraph.ingest.prose: OCR_MARK…)
MAX_SKEW = 4.0  # degrees searched either way
# Tesseract's page segmentation: 6, the page as one block of lines (words at one height are one line, across
# columns and table cells, as the layout reader wants them); its automatic layout (3) drops the lone numbers of
# a table's narrow first column.
PSM = int(os.environ.get("PLANGRAPH_OCR_PSM", "6"))
RULE_H = 0.5  # inches: a horizontal ruling line is a straight run of ink at least this long
RULE_V = 0.11  # inches, for a vertical one (a table's header row is one line of text high)
RULE_INK = 200  # a rule is thin: grey levels below this are its ink
RULE_FILL = 0.8  # share of a run that must be ink (scanner noise breaks rules)
RULE_FILL_V = 0.9  # for a vertical run (short: a letter's stem and a gap must not make one)
RULE_GAP = 12  # pixels between two pieces of one rule
RULE_SLACK = 4  # pixels: a mark's box this near a rule is on it


@dataclass(frozen=True)
class OcrOptions:
    """How scans are read (plangraph.settings: PLANGRAPH_OCR, PLANGRAPH_OCR_DIR, PLANGRAPH_OCR_*)."""

    enabled: bool = True  # False: a scan is refused as needing OCR (`plangraph load --no-ocr`)
    dpi: int = 200
    language: str = "vie"
    cache_dir: Path | None = None  # None: nothing kept
    max_pages: int = 100  # pages one document may have read by OCR
    max_page_mp: int = 60  # megapixels of a rendered page
    max_image_mp: int = 150  # megapixels of an image a page holds
    page_memory_mb: int = 1024  # address space of the renderer and of Tesseract, each
    page_timeout_s: int = 60  # CPU and wall-clock seconds each may take on one page
    low_confidence: float = 75.0  # a page read with a lower mean word confidence is a finding

    def key(self) -> str:
        """What the kept results depend on."""
        fields = (OCR_VERSION, self.dpi, self.language, tesseract_version(), self.max_page_mp, self.max_image_mp)
        return hashlib.sha256(repr(fields).encode()).hexdigest()[:16]


_options: OcrOptions | None = None
# Called with (pages done, pages to read) as a document's pages are read: the parse worker sends it to the loader
# (plangraph.ingest.isolation), which gives the document more time and shows the progress.
progress: Callable[[int, int], None] | None = None


def configure(options: OcrOptions | None = None, **changes: Any) -> OcrOptions:
    """Set how scans are read in this process (and the parse workers it forks); no argument: from the settings."""
    global _options
    _options = replace(options or from_settings(), **changes)
    return _options


def options() -> OcrOptions:
    return _options if _options is not None else from_settings()


def from_settings(settings: Any = None) -> OcrOptions:
    from plangraph.settings import Settings

    settings = settings or Settings()
    return OcrOptions(
        enabled=settings.ocr,
        dpi=settings.ocr_dpi,
        cache_dir=settings.ocr_cache(),
        max_pages=settings.ocr_max_pages,
    )


@lru_cache(maxsize=1)
def tesseract_version() -> str:
    path = shutil.which("tesseract")
    if path is None:
        return ""
    try:
        out = subprocess.run([path, "--version"], capture_output=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return ""
    return (out.stdout or out.stderr).decode("utf-8", "replace").split("\n", 1)[0].strip()


@lru_cache(maxsize=4)
def missing(language: str = "vie") -> str | None:
    """What is missing to read scans (None: nothing), as the Debian packages to install."""
    needs = []
    if shutil.which("pdftoppm") is None:
        needs.append("poppler-utils")
    tesseract = shutil.which("tesseract")
    if tesseract is None:
        needs.extend(["tesseract-ocr", f"tesseract-ocr-{language}"])
    else:
        try:
            listed = subprocess.run([tesseract, "--list-langs"], capture_output=True, timeout=30, check=False)
            languages = set(listed.stdout.decode("utf-8", "replace").split())
        except (OSError, subprocess.SubprocessError):
            languages = set()
        if language not in languages:
            needs.append(f"tesseract-ocr-{language}")
    return " ".join(needs) or None


@dataclass
class Word:
    x0: float
    x1: float
    text: str
    conf: float


@dataclass
class Line:
    top: float
    bottom: float
    words: list[Word]


@dataclass
class PageRequest:
    number: int  # 1-based
    width: float  # points
    height: float
    images: list[tuple[int, int]] = field(default_factory=list)  # pixel sizes of the images the page holds


@dataclass
class OcrPage:
    number: int
    width: float
    height: float
    lines: list[Line] = field(default_factory=list)
    rules: list[tuple[float, float, float, float]] = field(default_factory=list)  # x0, top, x1, bottom (points)
    confidence: float | None = None  # mean word confidence, weighted by characters (0-100)
    error: str | None = None  # why the page was not read

    @property
    def text(self) -> str:
        return "\n".join(" ".join(w.text for w in line.words) for line in self.lines)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> OcrPage:
        lines = [Line(ln["top"], ln["bottom"], [Word(**w) for w in ln["words"]]) for ln in data.get("lines", [])]
        rules = [(r[0], r[1], r[2], r[3]) for r in data.get("rules", [])]
        return cls(data["number"], data["width"], data["height"], lines, rules, data["confidence"], data["error"])


class PageFailed(Exception):
    """A page stopped at a limit, or a program that failed on it."""


class TooManyPages(Exception):
    pass


# -- the cache ---------------------------------------------------------------------------------------------------


def _cache_path(opts: OcrOptions, digest: str) -> Path | None:
    if opts.cache_dir is None:
        return None
    return Path(opts.cache_dir) / digest[:2] / f"{digest}.{opts.key()}.json.gz"


def _cached(path: Path | None) -> dict[int, OcrPage]:
    if path is None or not path.is_file():
        return {}
    try:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            data = json.load(handle)
        return {int(k): OcrPage.from_json(v) for k, v in data["pages"].items()}
    except (OSError, ValueError, KeyError, TypeError, EOFError) as exc:
        log.warning("OCR cache entry %s is unreadable (%s); reading the pages again", path, exc)
        return {}


def _keep(path: Path | None, pages: dict[int, OcrPage]) -> None:
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".part")
        try:
            with os.fdopen(handle, "wb") as raw, gzip.open(raw, "wt", encoding="utf-8") as out:
                json.dump({"pages": {str(k): p.as_json() for k, p in pages.items()}}, out, ensure_ascii=False)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as exc:  # a read-only or full disk costs the next load its time, never this load
        log.warning("could not keep the OCR of %s: %s", path.name, exc)


# -- reading pages -----------------------------------------------------------------------------------------------


def read_pages(data: bytes, name: str, requests: list[PageRequest], opts: OcrOptions | None = None) -> list[OcrPage]:
    """OCR the pages asked for (kept results first); a page stopped at a limit comes back with its `error`."""
    opts = opts or options()
    if len(requests) > opts.max_pages:
        raise TooManyPages(
            f"{name}: {len(requests):,} scanned pages to read; OCR reads at most {opts.max_pages} pages of a "
            "document (PLANGRAPH_OCR_MAX_PAGES)"
        )
    digest = hashlib.sha256(data).hexdigest()
    cache = _cache_path(opts, digest)
    kept = _cached(cache)
    todo = [r for r in requests if r.number not in kept]
    if todo:
        with tempfile.TemporaryDirectory(prefix="plangraph-ocr-") as folder:
            pdf = Path(folder) / "document.pdf"
            pdf.write_bytes(data)
            report = progress or _stderr_progress(name)
            for done, request in enumerate(todo):
                report(done, len(todo))
                try:
                    kept[request.number] = _read_page(pdf, request, opts)
                except PageFailed as exc:
                    kept[request.number] = OcrPage(request.number, request.width, request.height, error=str(exc))
            report(len(todo), len(todo))
        if any(page.error is None for page in kept.values()):  # a page stopped at a limit is tried again next time
            _keep(cache, {number: page for number, page in kept.items() if page.error is None})
    return [kept[r.number] for r in requests]


def _stderr_progress(name: str) -> Callable[[int, int], None]:
    def show(done: int, total: int) -> None:
        if total >= 2 and sys.stderr.isatty():
            end = "\n" if done == total else ""
            sys.stderr.write(f"\r{name}: OCR page {min(done + 1, total)} of {total}{end}")
            sys.stderr.flush()

    return show


def _limits(memory_mb: int, cpu_s: int) -> Callable[[], None]:
    def apply() -> None:  # in the child, before exec
        for kind, value in ((resource.RLIMIT_AS, memory_mb << 20), (resource.RLIMIT_CPU, cpu_s)):
            _, hard = resource.getrlimit(kind)
            value = value if hard == resource.RLIM_INFINITY else min(value, hard)
            resource.setrlimit(kind, (value, hard))
        try:
            import ctypes

            ctypes.CDLL(None).prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG: die with the worker
        except (OSError, AttributeError):
            pass

    return apply


def _run(what: str, command: list[str], stdin: bytes | None, opts: OcrOptions) -> bytes:
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        done = subprocess.run(
            command,
            input=stdin,
            capture_output=True,
            timeout=opts.page_timeout_s,
            env=env,
            preexec_fn=_limits(opts.page_memory_mb, opts.page_timeout_s),  # noqa: PLW1509  (no threads here)
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise PageFailed(f"{what} took longer than {opts.page_timeout_s} s") from exc
    except OSError as exc:
        raise PageFailed(f"{what} could not run ({exc})") from exc
    if done.returncode != 0:
        if done.returncode in (-signal.SIGKILL, -signal.SIGXCPU):
            reason = f"stopped at its limits ({opts.page_memory_mb} MB, {opts.page_timeout_s} s of CPU)"
        else:
            stderr = done.stderr.decode("utf-8", "replace").strip().splitlines()
            low = " ".join(stderr[-2:]).lower()
            if "alloc" in low or "memory" in low:
                reason = f"needed more than {opts.page_memory_mb} MB"
            else:
                reason = f"failed (exit {done.returncode}{': ' + stderr[-1][:160] if stderr else ''})"
        raise PageFailed(f"{what} {reason}")
    return done.stdout


def _read_page(pdf: Path, request: PageRequest, opts: OcrOptions) -> OcrPage:
    from PIL import Image

    dpi = opts.dpi
    width_px, height_px = request.width / 72 * dpi, request.height / 72 * dpi
    if width_px * height_px > opts.max_page_mp * 1e6:
        raise PageFailed(
            f"the page is {request.width:,.0f} × {request.height:,.0f} pt: {width_px * height_px / 1e6:,.0f} "
            f"megapixels at {dpi} dpi, more than the {opts.max_page_mp} a page may have"
        )
    for w, h in request.images:
        if w * h > opts.max_image_mp * 1e6:
            raise PageFailed(
                f"the page holds an image of {w:,} × {h:,} pixels ({w * h / 1e6:,.0f} megapixels), more than the "
                f"{opts.max_image_mp} an image may have (a decompression bomb?)"
            )
    number = str(request.number)
    raw = _run(
        "rendering the page",
        ["pdftoppm", "-r", str(dpi), "-gray", "-f", number, "-l", number, str(pdf)],
        None,
        opts,
    )
    try:
        image: Any = Image.open(_bytes_io(raw))
        image.load()
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        raise PageFailed(f"the rendered page is unreadable ({type(exc).__name__})") from exc
    image = image.convert("L")
    image, rules = _prepare(image, dpi)
    png = _bytes_io()
    image.save(png, format="PNG")
    tsv = _run(
        "Tesseract",
        ["tesseract", "stdin", "stdout", "-l", opts.language, "--psm", str(PSM), "--dpi", str(dpi), "tsv"],
        png.getvalue(),
        opts,
    )
    scale = 72 / dpi
    page = _page_from_tsv(tsv.decode("utf-8", "replace"), request, scale, rules)
    page.rules = [(x0 * scale, t * scale, x1 * scale, b * scale) for x0, t, x1, b in rules]
    return page


def _bytes_io(data: bytes = b"") -> Any:
    import io

    return io.BytesIO(data)


def _page_from_tsv(
    tsv: str, request: PageRequest, scale: float, rules: list[tuple[int, int, int, int]] | None = None
) -> OcrPage:
    """The page's lines of words from Tesseract's TSV (boxes in pixels, scaled to points); specks, and what is
    left of the ruling lines `rules` (pixels) where they were erased, dropped; a speck where an item's number was
    (a superscript or circled number OCR could not read, between a clause's end and a capital: "…; ’ Tuyên bố …")
    kept as the mark "#"."""
    lines: dict[tuple[int, int, int], Line] = {}
    specks: set[int] = set()  # ids of the words that are specks (dropped unless they are an item's mark)
    for row in tsv.split("\n")[1:]:
        cells = row.split("\t")
        if len(cells) < 12:
            continue
        level = cells[0]
        key = (int(cells[2]), int(cells[3]), int(cells[4]))
        left, top, width, height = (int(v) for v in cells[6:10])
        if level == "4":
            lines[key] = Line(top * scale, (top + height) * scale, [])
        elif level == "5":
            text = cells[11].strip()
            conf = float(cells[10])
            if not text or key not in lines or _on_rule(text, (left, top, width, height), rules):
                continue
            word = Word(left * scale, (left + width) * scale, text, conf)
            if _speck(text, conf):
                if any(c.isalnum() for c in text) and not (UNIT_CODE.match(text) and any(c.isdigit() for c in text)):
                    continue  # letters read with almost no confidence; a unit's code ("V01,") is kept
                if not any(c.isalnum() for c in text):
                    specks.add(id(word))
            lines[key].words.append(word)
    words = [word for line in lines.values() for word in line.words]
    for i, word in enumerate(words):
        if id(word) not in specks:
            continue
        before, after = words[i - 1].text if i else "", words[i + 1].text if i + 1 < len(words) else ""
        if before.endswith((";", ".")) and after[:1].isupper() and id(words[i + 1]) not in specks:
            word.text = ITEM_MARK
            specks.discard(id(word))
    chars = 0
    weighted = 0.0
    for line in lines.values():
        line.words = [word for word in line.words if id(word) not in specks]
        for word in line.words:
            if word.text != ITEM_MARK:
                chars += len(word.text)
                weighted += word.conf * len(word.text)
    kept = [line for line in lines.values() if line.words]
    if chars < BLANK_CHARS and (weighted / chars if chars else 0.0) < BLANK_CONFIDENCE:
        kept, chars = [], 0  # a blank page: what Tesseract "read" on it is the paper's grain
    return OcrPage(
        request.number,
        request.width,
        request.height,
        kept,
        confidence=round(weighted / chars, 1) if chars else None,
    )


def _on_rule(text: str, box: tuple[int, int, int, int], rules: list[tuple[int, int, int, int]] | None) -> bool:
    """A "word" of marks only ("-", "|", ":", "_") whose box lies on a ruling line: what was left of the rule
    where it was erased (a rule's ink broken by the scanner's noise is not all erased), never the text's."""
    if not rules or any(c.isalnum() for c in text):
        return False
    left, top, width, height = box
    right, bottom = left + width, top + height
    for x0, y0, x1, y1 in rules:
        if y0 == y1:  # horizontal: the word's box holds the rule's row, within the rule's length
            if top - RULE_SLACK <= y0 <= bottom + RULE_SLACK and x0 - RULE_SLACK <= left and right <= x1 + RULE_SLACK:
                return True
        elif left - RULE_SLACK <= x0 <= right + RULE_SLACK and y0 - RULE_SLACK <= top and bottom <= y1 + RULE_SLACK:
            return True  # vertical: the box holds the rule's column, within its height
    return False


def _speck(text: str, conf: float) -> bool:
    """A "word" that is dust on the page: punctuation read with little confidence, or anything read with almost
    none ("_", ":", "." where the scanner left a speck)."""
    if conf < NO_CONFIDENCE:
        return True
    return conf < SPECK_CONFIDENCE and not any(c.isalnum() for c in text)


# -- the page image ----------------------------------------------------------------------------------------------


def _prepare(image: Any, dpi: int) -> tuple[Any, list[tuple[int, int, int, int]]]:
    """The page denoised, straightened, and with its ruling lines found (in pixels) and erased."""
    import numpy as np
    from PIL import Image, ImageFilter

    pixels = np.asarray(image)
    ink = pixels < INK
    if _isolated_share(ink) > NOISE_SHARE:
        image = image.filter(ImageFilter.MedianFilter(3))
    angle = _skew(image)
    if abs(angle) >= 0.1:
        image = image.rotate(angle, resample=Image.Resampling.BILINEAR, expand=False, fillcolor=255)
    pixels = np.array(image)
    rules, mask = _rules(pixels, dpi)
    if rules:
        pixels[mask] = 255
        image = Image.fromarray(pixels)
    return image, rules


def _isolated_share(ink: Any) -> float:
    """Share of the page's pixels that are ink with no ink around them (salt-and-pepper noise)."""
    import numpy as np

    padded = np.pad(ink, 1)
    neighbours = sum(
        padded[1 + dy : padded.shape[0] - 1 + dy, 1 + dx : padded.shape[1] - 1 + dx].astype(np.uint8)
        for dy in (-1, 0, 1)
        for dx in (-1, 0, 1)
        if dy or dx
    )
    return float(np.count_nonzero(ink & (neighbours == 0))) / max(1, ink.size)


def _skew(image: Any) -> float:
    """The rotation (degrees) that makes the page's text lines horizontal: the angle whose row profile of ink
    varies most (searched on a reduced page, coarse then fine)."""
    import numpy as np
    from PIL import Image

    factor = max(1, image.width // 800)
    small = image.reduce(factor) if factor > 1 else image
    ink = Image.fromarray(((np.asarray(small) < INK) * 255).astype(np.uint8))

    def score(angle: float) -> float:
        turned = np.asarray(ink.rotate(angle, resample=Image.Resampling.NEAREST, expand=False, fillcolor=0))
        rows = turned.sum(axis=1, dtype=np.float64)
        return float(np.sum(np.diff(rows) ** 2))

    best = max(np.arange(-MAX_SKEW, MAX_SKEW + 0.01, 0.5), key=score)
    fine = max(np.arange(best - 0.5, best + 0.51, 0.1), key=score)
    return round(float(fine), 2)


def _rules(pixels: Any, dpi: int) -> tuple[list[tuple[int, int, int, int]], Any]:
    """Ruling lines: straight runs of ink at least RULE_H (horizontal) or RULE_V (vertical) long, each as
    (x0, top, x1, bottom) in pixels, and the mask of their ink (to erase them: Tesseract reads a rule as "|").
    A vertical run must end on horizontal rules at both ends: letters stacked on lines of text ("l", "g" over
    "h") or a letter's stroke meeting a rule are not rules."""
    import numpy as np

    ink = pixels < RULE_INK
    found: list[tuple[int, int, int, int]] = []
    bands: list[tuple[int, int, int, int]] = []  # horizontal rules as (x0, first row, last row, x1)
    for horizontal in (True, False):
        grid = ink if horizontal else ink.T
        run = max(12, int(dpi * (RULE_H if horizontal else RULE_V)))
        for lo, hi, start, stop in _merge(_runs(grid, run, RULE_FILL if horizontal else RULE_FILL_V)):
            middle = (lo + hi) // 2
            if horizontal:
                found.append((start, middle, stop, middle))
                bands.append((start, lo, hi, stop))
            elif (span := _between((middle, start, middle, stop), bands, ink)) is not None:
                found.append((middle, span[0], middle, span[1]))
    kept = found
    mask = np.zeros_like(ink)
    run = max(12, int(dpi * RULE_V))
    for x0, top, x1, bottom in kept:
        if top == bottom:
            rows, cols = slice(max(0, top - 4), top + 5), slice(x0, x1 + 1)
            mask[rows, cols] |= _covered(ink[rows, cols], run)
        else:
            rows, cols = slice(top, bottom + 1), slice(max(0, x0 - 4), x0 + 5)
            mask[rows, cols] |= _covered(ink[rows, cols].T, run).T
    return kept, mask


def _covered(grid: Any, run: int) -> Any:
    """Pixels of `grid` on runs of ink (gaps of a pixel bridged) at least `run` long, along its rows."""
    import numpy as np

    bridged = grid.copy()
    bridged[:, 1:-1] |= grid[:, :-2] & grid[:, 2:]
    width = grid.shape[1]
    if width < run:
        return np.zeros_like(grid)
    sums = np.pad(np.cumsum(bridged, axis=1, dtype=np.int32), ((0, 0), (1, 0)))
    starts = np.zeros(grid.shape, dtype=np.int32)
    starts[:, : width - run + 1] = (sums[:, run:] - sums[:, :-run]) == run  # a full run starts here
    reach = np.pad(np.cumsum(starts, axis=1, dtype=np.int32), ((0, 0), (run, 0)))
    return np.asarray(((reach[:, run:] - reach[:, :-run]) > 0) & bridged)


def _between(
    vertical: tuple[int, int, int, int], bands: list[tuple[int, int, int, int]], ink: Any
) -> tuple[int, int] | None:
    """The stretch (top, bottom) of a vertical run that joins horizontal rules at both ends, its ink unbroken to
    each (a letter's stem stops short of the rules around its cell); None when it does not. A run that goes on
    past the last rule it crosses (into a letter of the text under a table's row, or above it, that touches the
    rule: the stem of "T" in a merged cell's "PHÁT TRIỂN") is cut there: the rule is the part between rules."""
    x, top, _, bottom = vertical
    columns = slice(max(0, x - 2), x + 3)
    crossed = sorted(
        (lo, hi)
        for x0, lo, hi, x1 in bands
        if x0 - RULE_GAP <= x <= x1 + RULE_GAP and top - RULE_GAP <= hi and lo <= bottom + RULE_GAP
    )

    def inked(row: int) -> bool:
        return 0 <= row < ink.shape[0] and bool(ink[row, columns].any())

    def reaches(row: int, step: int, rule: int) -> bool:
        """Whether the vertical's ink goes on unbroken from `row` (in its body) to the rule's row, stepping by
        `step` (-1: up to a rule above, 1: down to one below)."""
        while inked(row):
            if (row <= rule) if step < 0 else (row >= rule):
                return True
            row += step
        return False

    upper = lower = None
    for lo, hi in crossed:  # the first rule from the top that the vertical's ink reaches, unbroken below it
        if reaches(max(hi, top) + 6, -1, hi + 1):
            upper = (lo, hi)
            break
    for lo, hi in reversed(crossed):  # the last one, unbroken above it
        if reaches(min(lo, bottom) - 6, 1, lo - 1):
            lower = (lo, hi)
            break
    if upper is None or lower is None or lower[0] - upper[1] < 6:
        return None
    # Ends kept as found when they are at the rules; cut to the rule's middle when the run went past it.
    first = top if top >= upper[0] - RULE_GAP else (upper[0] + upper[1]) // 2
    last = bottom if bottom <= lower[1] + RULE_GAP else (lower[0] + lower[1]) // 2
    return first, last


def _runs(grid: Any, run: int, fill: float = 0.8) -> list[tuple[int, int, int]]:
    """(row, start, stop) of stretches where a window of `run` pixels is nearly all ink, row by row."""
    import numpy as np

    sums = np.cumsum(grid, axis=1, dtype=np.int32)
    sums = np.pad(sums, ((0, 0), (1, 0)))
    full = (sums[:, run:] - sums[:, :-run]) >= int(run * fill)
    out: list[tuple[int, int, int]] = []
    for row in np.flatnonzero(full.any(axis=1)):
        edges = np.flatnonzero(np.diff(np.concatenate(([0], full[row].astype(np.int8), [0]))))
        for a, b in zip(edges[::2], edges[1::2], strict=True):
            out.append((int(row), int(a), int(b) + run - 1))
    return out


def _merge(segments: Iterable[tuple[int, int, int]]) -> list[tuple[int, int, int, int]]:
    """Runs on nearby rows that overlap or nearly meet are one line: (first row, last row, start, stop)."""
    lines: list[list[int]] = []
    for row, start, stop in sorted(segments):
        for line in reversed(lines[-16:]):
            if row - line[1] <= 3 and start <= line[3] + RULE_GAP and stop >= line[2] - RULE_GAP:
                line[1] = row
                line[2], line[3] = min(line[2], start), max(line[3], stop)
                break
        else:
            lines.append([row, row, start, stop])
    return [(a, b, c, d) for a, b, c, d in lines if b - a <= 12]  # thicker than a rule: a filled area


# -- the page the layout reader reads ----------------------------------------------------------------------------


def page_objects(page: OcrPage) -> dict[str, list[dict[str, Any]]]:
    """Characters and lines in pdfplumber's shape: each word's characters spread over its box, a space between
    words, every character of a line with the line's top and bottom."""
    heights = sorted(line.bottom - line.top for line in page.lines)
    size = heights[len(heights) // 2] if heights else 12.0
    chars: list[dict[str, Any]] = []
    for line in page.lines:
        previous: Word | None = None
        for word in line.words:
            if previous is not None and word.x0 > previous.x1:
                chars.append(_char(" ", previous.x1, word.x0, line, size))
            text = unit_code(word.text)
            step = (word.x1 - word.x0) / max(1, len(text))
            for i, letter in enumerate(text):
                chars.append(_char(letter, word.x0 + i * step, word.x0 + (i + 1) * step, line, size, word.conf))
            previous = word
    rules = []
    for x0, top, x1, bottom in page.rules:
        rules.append(
            {
                "object_type": "line",
                "x0": x0,
                "x1": x1,
                "top": top,
                "bottom": bottom,
                "doctop": top,
                "width": x1 - x0,
                "height": bottom - top,
                "linewidth": 1,
                "stroke": True,
            }
        )
    return {"char": chars, "line": rules}


# A unit's code as OCR may misread it ("V0I", "H0l" for "V01", "H01"): one or two capitals, then two characters of
# digits and the letters OCR takes for them (O for 0, I and l for 1), at least one a digit.
UNIT_CODE = re.compile(r"^(?P<unit>[A-Z]{1,2})(?P<number>[0-9OIl]{2})(?P<tail>[.,;:)]?)$")
DIGIT_FOR = str.maketrans({"O": "0", "I": "1", "l": "1"})


def unit_code(word: str) -> str:
    """A word that is a unit's code with a digit misread as a letter, with the digit ("V0I," → "V01,"); any other
    word as it is (a code of letters only, "VOI", is a word)."""
    m = UNIT_CODE.match(word)
    if m is None or not any(c.isdigit() for c in m["number"]) or m["number"].isdigit():
        return word
    return f"{m['unit']}{m['number'].translate(DIGIT_FOR)}{m['tail']}"


def _char(text: str, x0: float, x1: float, line: Line, size: float, conf: float | None = None) -> dict[str, Any]:
    """A character in pdfplumber's shape; one of a word OCR read carries the word's confidence (`conf`, 0-100)."""
    char = {
        "object_type": "char",
        "text": text,
        "x0": x0,
        "x1": x1,
        "top": line.top,
        "bottom": line.bottom,
        "doctop": line.top,
        "y0": 0.0,
        "y1": 0.0,
        "width": x1 - x0,
        "height": line.bottom - line.top,
        "size": size,
        "fontname": "OCR",
        "upright": True,
        "matrix": (1, 0, 0, 1, x0, 0),
    }
    if conf is not None:
        char["conf"] = conf
    return char


class PageView:
    """An OCR'd page as the layout reader reads a pdfplumber page: chars, ruled tables, text lines."""

    def __init__(self, page: OcrPage, objects: dict[str, list[dict[str, Any]]] | None = None) -> None:
        self.page = page
        self.objects = objects if objects is not None else page_objects(page)
        self.bbox = (0.0, 0.0, page.width, page.height)
        self.height = page.height
        self.width = page.width

    @property
    def chars(self) -> list[dict[str, Any]]:
        return self.objects["char"]

    @property
    def edges(self) -> list[dict[str, Any]]:
        return [{**line, "orientation": "h" if line["top"] == line["bottom"] else "v"} for line in self.objects["line"]]

    def find_tables(self, table_settings: dict[str, Any] | None = None) -> list[Any]:
        from pdfplumber.table import TableFinder, TableSettings

        return TableFinder(self, TableSettings.resolve(table_settings)).tables  # type: ignore[arg-type]

    def filter(self, keep: Callable[[dict[str, Any]], bool]) -> PageView:
        return PageView(self.page, {kind: [o for o in objs if keep(o)] for kind, objs in self.objects.items()})

    def extract_text_lines(self, **kwargs: Any) -> list[dict[str, Any]]:
        from pdfplumber.utils.text import chars_to_textmap

        if not self.chars:
            return []
        textmap = chars_to_textmap(
            self.chars, layout_bbox=self.bbox, layout_width=self.width, layout_height=self.height
        )
        return list(
            textmap.extract_text_lines(strip=kwargs.get("strip", True), return_chars=kwargs.get("return_chars", True))
        )

    def flush_cache(self) -> None:
        pass
