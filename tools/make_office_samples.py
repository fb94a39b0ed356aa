"""Write the Word and PDF renderings of two samples that ship in `data/office/` (issue 18, item 8), with the
office fixtures the tests use (`tests/office.py`: python-docx for Word, LibreOffice headless for PDF):

    python3 tools/make_office_samples.py

- `data/office/ke-hoach-136-xa-loi-bac.docx`: sample 003 (136/KH-UBND of xã Lợi Bác) as a Word document,
  its task table a real Word table with merged cells and its notes real footnotes;
- `data/office/ke-hoach-110-tinh-lang-son.pdf`: sample 000 (110/KH-UBND of Lạng Sơn) printed to PDF.

Each page's running header says it is a copy made for trying plangraph ("bản sao để thử"). They hold the
same plans as their text samples, so load them into a store of their own (a plan is loaded from one file).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from plangraph.ingest.reading import read_file  # noqa: E402
from plangraph.loaders import detect  # noqa: E402
from tests.office import render_docx, to_pdf  # noqa: E402

SAMPLES = ROOT / "data" / "samples"
OUT = ROOT / "data" / "office"


def main() -> None:
    OUT.mkdir(exist_ok=True)
    commune = read_file(SAMPLES / "003_806a7918b24a7b13.txt")
    render_docx(detect(commune).parse(commune), OUT / "ke-hoach-136-xa-loi-bac.docx", real_footnotes=True)
    province = read_file(SAMPLES / "000_0c3d8e49def43607.txt")
    with tempfile.TemporaryDirectory() as tmp:
        word = render_docx(detect(province).parse(province), Path(tmp) / "ke-hoach-110-tinh-lang-son.docx")
        (pdf,) = to_pdf([word], Path(tmp))
        shutil.copy(pdf, OUT / "ke-hoach-110-tinh-lang-son.pdf")
    for path in sorted(OUT.iterdir()):
        sys.stdout.write(f"{path.relative_to(ROOT)}  {path.stat().st_size:,} bytes\n")


if __name__ == "__main__":
    main()
