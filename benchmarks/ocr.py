"""OCR speed and memory: scanned PDFs read page by page on one core, nothing kept (issue 32).

    OMP_THREAD_LIMIT=1 nice -n 10 python -m benchmarks.ocr FILE.pdf… [--dpi 200]

Prints, per file and in all: pages, wall-clock seconds, CPU seconds (this process and its children: pdftoppm and
Tesseract), pages per minute per core (pages / CPU minutes), and the peak resident memory of this process and of
the largest child. Every page is read (no cache), one after another, as a parse worker reads them.
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from pathlib import Path

from plangraph.ingest.reading import read_file
from plangraph.loaders import ocr


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--dpi", type=int, default=200)
    args = parser.parse_args()
    options = ocr.configure(cache_dir=None, dpi=args.dpi)
    import pdfplumber

    rows = []
    for path in args.files:
        data = read_file(path).data or b""
        with pdfplumber.open(path) as pdf:
            requests = [ocr.PageRequest(n, float(p.width), float(p.height)) for n, p in enumerate(pdf.pages, 1)]
        wall, cpu = time.monotonic(), _cpu()
        pages = ocr.read_pages(data, path.name, requests, options)
        wall, cpu = time.monotonic() - wall, _cpu() - cpu
        confidence = [p.confidence for p in pages if p.confidence is not None]
        rows.append(
            {
                "file": path.name,
                "pages": len(pages),
                "wall_s": round(wall, 1),
                "cpu_s": round(cpu, 1),
                "pages_per_min_per_core": round(len(pages) / (cpu / 60), 1) if cpu else None,
                "mean_confidence": round(sum(confidence) / len(confidence), 1) if confidence else None,
            }
        )
        print(json.dumps(rows[-1], ensure_ascii=False))
    pages = sum(r["pages"] for r in rows)
    cpu = sum(r["cpu_s"] for r in rows)
    print(
        json.dumps(
            {
                "dpi": args.dpi,
                "pages": pages,
                "wall_s": round(sum(r["wall_s"] for r in rows), 1),
                "cpu_s": round(cpu, 1),
                "pages_per_min_per_core": round(pages / (cpu / 60), 1) if cpu else None,
                "peak_rss_mb_self": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
                "peak_rss_mb_largest_child": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024,
            }
        )
    )


if __name__ == "__main__":
    main()
