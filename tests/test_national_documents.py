"""Documents the samples do not have, met in the synthetic national corpus (benchmarks/corpus.py):
an issuing body printed in capitals above the number, Government programmes, ministries."""

from __future__ import annotations

from pathlib import Path

from plangraph.cascade.lineage import TaskText, link_tasks
from plangraph.ingest.pipeline import load_paths, read_document
from plangraph.ingest.reading import read_bytes
from plangraph.store.embedded import EmbeddedStore

TABLE = (
    "STT\tNội dung\tSản phẩm\tCơ quan chủ trì\tCơ quan phối hợp\tThời gian thực hiện\n"
    "I\tHẠ TẦNG VÀ DỮ LIỆU\t\t\t\t\n"
    "1\tXây dựng cơ sở dữ liệu dùng chung trên phạm vi cả nước\tVăn bản\tBộ Công an\tCác bộ, ngành, địa phương\tNăm 2026\n"
    "2\tCung cấp dịch vụ công trực tuyến toàn trình\tBáo cáo\tVăn phòng Chính phủ\tBộ Khoa học và Công nghệ\tQuý II/2026\n"
)


def _markdown(issuer_lines: list[str], number: str, place_date: str, title: str) -> str:
    head = [*issuer_lines, "", f"Số: {number}", "", place_date, "", "**KẾ HOẠCH**  ", f"**{title}**", ""]
    return "\n".join(
        [*head, "Thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị;", "", "**PHỤ LỤC**", "", TABLE]
    )


def test_issuer_printed_in_capitals_above_the_number_sets_level_and_jurisdiction() -> None:
    text = _markdown(
        ["UBND TỈNH GIA LAI", "", "UBND XÃ TÂN PHÚ"],
        "12/KH-UBND",
        "Gia Lai, ngày 2 tháng 4 năm 2026",
        "Chuyển đổi số năm 2026",
    )
    reading, batch = read_document(read_bytes(text.encode(), "tan-phu.md"))
    assert reading.plan.level == "commune"
    assert reading.plan.issuer == "UBND xã Tân Phú"
    assert reading.plan.jurisdiction == "xã Tân Phú, tỉnh Gia Lai"
    assert batch.plan_id == "12/KH-UBND@xa-tan-phu-tinh-gia-lai@2026"
    department = _markdown(
        ["UBND TỈNH GIA LAI", "SỞ KHOA HỌC VÀ CÔNG NGHỆ"], "5/KH-SKHCN", "Gia Lai, ngày 2 tháng 4 năm 2026", "Kế hoạch"
    )
    assert read_document(read_bytes(department.encode(), "skhcn.md"))[0].plan.level == "department"


def test_a_government_programme_is_one_national_document_wherever_it_was_signed() -> None:
    text = _markdown(
        ["CHÍNH PHỦ"], "71/NQ-CP", "Hà Nội, ngày 1 tháng 4 năm 2025", "Chương trình hành động thực hiện Nghị quyết 57"
    )
    reading, batch = read_document(read_bytes(text.encode(), "71.md"))
    assert reading.plan.level == "national"
    assert batch.plan_id == "71/NQ-CP"  # not "71/NQ-CP@thanh-pho-ha-noi@2025"
    owners = {m.name for t in reading.tasks for m in (*t.lead, *t.support)}
    assert owners == {"Bộ Công an", "Các bộ, ngành, địa phương", "Văn phòng Chính phủ", "Bộ Khoa học và Công nghệ"}
    assert reading.agency_mentions_resolved == reading.agency_mentions == 4


def test_plans_of_unknown_level_do_not_stop_the_linker(tmp_path: Path) -> None:
    """A plan whose issuer cannot be placed (level unknown) is kept, and lineage is linked around it."""
    unknown = TABLE.replace("Bộ Công an", "Sở Nội vụ")
    store = EmbeddedStore(tmp_path / "graph.lbdb")
    (tmp_path / "a.txt").write_text(unknown, encoding="utf-8")
    report = load_paths([tmp_path / "a.txt"], store)
    assert report.documents[0].status == "loaded" and report.documents[0].level == "unknown"
    tasks = [
        TaskText("u1", "p1", "unknown", "Gia Lai", "Xây dựng cơ sở dữ liệu", "", "I", None, frozenset()),
        TaskText("c1", "p2", "commune", "Gia Lai", "Xây dựng cơ sở dữ liệu", "", "I", None, frozenset()),
    ]
    assert link_tasks(tasks) == []


def test_pdf_text_tables_numbered_through_the_document_keep_every_row() -> None:
    """Numbering that runs on across sections ("II …" then "13") once folded 36 of 48 rows into a
    section title without a finding (found by the national corpus)."""
    import random

    from tests.renderers import random_spec, render_pdftext

    rng = random.Random(8)
    spec = random_spec(rng, sections=4, rows=12)
    for n, row in enumerate(spec.rows(), start=1):
        row.number = str(n)
    reading, _ = read_document(read_bytes(render_pdftext(spec, rng).encode(), "cchc.txt"))
    assert reading.document.format == "pdftext"
    assert [t.ref for t in reading.tasks] == [str(n) for n in range(1, 49)]


def test_same_file_name_in_two_folders_is_two_documents(tmp_path: Path) -> None:
    """Found by the national corpus: p00/communes/0000.txt replaced p01/communes/0000.txt, silently."""
    from tests.conftest import SAMPLE_FILES, SAMPLES

    for folder, key in (("lang-son", "000"), ("loi-bac", "003")):
        (tmp_path / "plans" / folder).mkdir(parents=True)
        (tmp_path / "plans" / folder / "ke-hoach.txt").write_bytes((SAMPLES / SAMPLE_FILES[key]).read_bytes())
    store = EmbeddedStore(tmp_path / "graph.lbdb")
    report = load_paths([tmp_path / "plans"], store)
    assert [d.file for d in report.documents] == ["lang-son/ke-hoach.txt", "loi-bac/ke-hoach.txt"]
    assert store.run("MATCH (t:Task) RETURN count(t)").rows[0][0] == 48 + 97
    files = {r[0] for r in store.run("MATCH (p:Plan) RETURN p.source_file").rows}
    assert files == {"lang-son/ke-hoach.txt", "loi-bac/ke-hoach.txt"}
