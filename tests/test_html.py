"""Plan pages saved from a browser (issue 16, item 2): the samples and the web corpus rendered as HTML pages
(letterhead in a layout table, section rows merged across, leads and groups merged down) read back to the same
tasks, owners, deadlines and plan as their text; and the page's hostile shapes stay bounded."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from plangraph.errors import FormatError
from plangraph.ingest.pipeline import read_document
from plangraph.ingest.reading import read_bytes, read_file
from plangraph.loaders import detect
from plangraph.loaders.html import HtmlLoader
from plangraph.model import Interpretation, Table
from tests.conftest import SAMPLE_FILES, SAMPLES
from tests.renderers import render_html

WEB = Path(__file__).resolve().parent / "data" / "web"
DOCUMENTS = [SAMPLES / name for name in sorted(SAMPLE_FILES.values())] + sorted(WEB.glob("*.txt"))


def _tasks(reading: Interpretation) -> list[tuple[object, ...]]:
    return [
        (
            " ".join(t.title.split()),
            tuple(m.name for m in t.lead),
            tuple(m.name for m in t.support),
            (t.due.text, t.due.start, t.due.end, t.due.recurrence),
            t.status,
            t.origin,
        )
        for t in reading.tasks
    ]


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name[:24])
def test_html_rendering_reads_as_the_text_does(path: Path) -> None:
    text_reading, _ = read_document(read_file(path))
    page = render_html(text_reading.document, random.Random(path.name))
    html_reading, _ = read_document(read_bytes(page.encode("utf-8"), path.stem + ".html"))
    assert html_reading.document.format == "html"
    assert _tasks(html_reading) == _tasks(text_reading)
    for name in ("code", "kind", "level", "issuer", "issued_on", "province"):
        assert getattr(html_reading.plan, name) == getattr(text_reading.plan, name), name
    assert len(html_reading.indicators) == len(text_reading.indicators)


def test_html_spans_are_read_as_word_merges_are() -> None:
    page = """<html><body><p><b>KẾ HOẠCH</b></p><table>
    <tr><th>STT</th><th>Nhóm nhiệm vụ</th><th>Nội dung</th><th>Chủ trì</th><th>Thời gian</th></tr>
    <tr><td colspan=5><b>I. CÔNG TÁC CHỈ ĐẠO</b></td></tr>
    <tr><td rowspan=2>1</td><td rowspan=3>Thể chế</td><td>Ban hành quy chế</td><td rowspan=2>Sở Nội vụ</td><td>Quý I/2026</td></tr>
    <tr><td>Kiểm tra thực hiện</td><td>Quý II/2026</td></tr>
    <tr><td>2</td><td>Tập huấn &amp; bồi dưỡng</td><td>Sở Tư pháp</td><td>Năm 2026</td></tr>
    </table></body></html>"""
    reading, _ = read_document(read_bytes(page.encode(), "plan.html"))
    rows = [(t.ref, t.title, t.group, [m.name for m in t.lead], t.due.text) for t in reading.tasks]
    assert rows == [
        ("1", "Ban hành quy chế", "Thể chế", ["Sở Nội vụ"], "Quý I/2026"),
        ("1-2", "Kiểm tra thực hiện", "Thể chế", ["Sở Nội vụ"], "Quý II/2026"),
        ("2", "Tập huấn & bồi dưỡng", "Thể chế", ["Sở Tư pháp"], "Năm 2026"),
    ]


def test_html_is_detected_by_content_and_skips_what_is_not_the_plan() -> None:
    page = "<!doctype html><html><head><script>document.write('<table><tr><td>STT')</script></head><body>"
    page += "<nav><p>Trang chủ</p></nav><p>Số: 5/KH-UBND</p></body></html>"
    source = read_bytes(page.encode(), "ke-hoach.txt")  # a page saved under another name
    assert detect(source).name == "html"
    document = HtmlLoader().parse(source)
    assert [b.text for b in document.blocks] == ["Số: 5/KH-UBND"]
    assert not any(isinstance(b, Table) for b in document.blocks)


def test_html_hostile_spans_and_tables_stay_bounded() -> None:
    huge = "<table><tr><th>STT</th><th>Nội dung</th><th>Chủ trì</th></tr>"
    huge += "<tr><td colspan='1000000000'>1</td><td rowspan='999999999'>x</td><td>Sở Nội vụ</td></tr></table>"
    document = HtmlLoader().parse(read_bytes(huge.encode(), "a.html"))
    (table,) = [b for b in document.blocks if isinstance(b, Table)]
    assert max(len(r.cells) for r in table.rows) <= 64 + 2  # a clamped colspan, not a billion cells
    many = "<table>" + "<tr><td colspan='64'>x</td></tr>" * 7_000 + "</table>"
    with pytest.raises(FormatError, match="cells"):
        HtmlLoader().parse(read_bytes(many.encode(), "b.html"))
    unclosed = "<html><body><table><tr><td>STT<td>Nội dung<td>Chủ trì<tr><td>1<td>Rà soát<td>Sở Y tế"
    reading, _ = read_document(read_bytes(unclosed.encode(), "c.html"))
    assert [(t.title, [m.name for m in t.lead]) for t in reading.tasks] == [("Rà soát", ["Sở Y tế"])]
