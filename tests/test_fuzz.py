"""Fuzzing every parser and normaliser (issue 7): any input parses or raises the project's own error.

Text inputs mix random Unicode with the vocabulary of plans (column names, section codes,
agency names, dates, legal numbers, tabs, HTML, superscripts) so the grammar is reached,
not only rejected at its first character. Office files are fuzzed by truncating and
flipping bytes of real DOCX/PDF renderings of a sample.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plangraph.errors import PlangraphError
from plangraph.ingest.agencies import split_agencies
from plangraph.ingest.columns import header_roles
from plangraph.ingest.deadlines import normalise_deadline, plan_period
from plangraph.ingest.legal import find_legal_refs, resolve_mandate
from plangraph.ingest.pipeline import read_document
from plangraph.ingest.reading import decode, read_bytes
from plangraph.ingest.targets import find_targets
from plangraph.ingest.text import clean_cell
from plangraph.loaders import detect
from plangraph.loaders.docx import soffice

VOCABULARY = [
    "STT", "Nội dung", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian thực hiện", "Sản phẩm", "Nhóm nhiệm vụ",
    "Ghi chú", "Chỉ tiêu", "I", "II.2", "VII. 1", "1.", "12)", "a)", "Sở Nội vụ", "UBND các xã, phường",
    "Văn phòng HĐND& UBND xã", "- ", "; ", ", ", "Quý I/2026", "Tháng 6/2026", "31/12/2026", "Hằng năm",
    "2026-2030", "Sau khi", "Nghị quyết số 57-NQ/TW ngày 22/12/2024", "NQ 57", "Đề án 06", "Kế hoạch số 110/KH-UBND",
    "(Kèm theo Kế hoạch số: 12/KH-UBND ngày 5/3/2026 của UBND tỉnh Lạng Sơn)", "Số: /KH-SKHCN", "**KẾ HOẠCH**",
    "## ", "<b>", "</b>", "<br>", "<li>", "¹", "²", "$\\geq 80\\%$", "100%", "≥ 90%", "\t", "\n", "\r\n", "\u00a0",
    "PHỤ LỤC", "Lạng Sơn, ngày 12 tháng 5 năm 2026", "xã Lợi Bác", "Phòng Chuyển đổi số", "(4 nhiệm vụ)",
]  # fmt: skip
plan_text = st.lists(st.one_of(st.sampled_from(VOCABULARY), st.text(max_size=12)), max_size=60).map("".join)


def _expected(exc: PlangraphError) -> None:
    """A project error raised on purpose, not the pipeline's wrapper around an unexpected exception."""
    assert "loader failed" not in str(exc), f"unexpected exception inside a loader: {exc!r} from {exc.__cause__!r}"


FUZZ = settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(text=plan_text)
def test_fuzz_normalisers_never_raise(text: str) -> None:
    """Normalisers are total: every text gives a value (possibly empty), never an exception."""
    clean_cell(text)
    split_agencies(text)
    normalise_deadline(text)
    normalise_deadline(text, (date(2026, 1, 1), date(2030, 12, 31)))
    plan_period(text, date(2026, 3, 25))
    find_legal_refs(text)
    find_legal_refs(text, "tỉnh Lạng Sơn")
    resolve_mandate(text)
    find_targets(text)
    header_roles(text.split("\t"))


@FUZZ
@given(text=plan_text)
def test_fuzz_text_documents_parse_or_raise_project_errors(text: str) -> None:
    try:
        read_document(read_bytes(text.encode("utf-8"), "fuzz.txt"))
    except PlangraphError as exc:
        _expected(exc)


@FUZZ
@given(data=st.binary(max_size=4096))
def test_fuzz_bytes_decode_or_raise_project_errors(data: bytes) -> None:
    try:
        decode(data, "fuzz.bin")
        source = read_bytes(data, "fuzz.bin")
        detect(source).parse(source)
    except PlangraphError as exc:
        _expected(exc)


@pytest.fixture(scope="module")
def office_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    from tests.conftest import SAMPLE_FILES, SAMPLES
    from tests.office import render_docx, to_pdf

    out = tmp_path_factory.mktemp("fuzz-office")
    source = read_bytes((SAMPLES / SAMPLE_FILES["000"]).read_bytes(), "000.txt")
    docx_path = render_docx(detect(source).parse(source), out / "000.docx")
    files = {"docx": docx_path.read_bytes()}
    if soffice() is not None:
        files["pdf"] = to_pdf([docx_path], out)[0].read_bytes()
    return files


@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cut=st.floats(0.0, 1.0), flips=st.lists(st.tuples(st.floats(0.0, 1.0), st.integers(0, 255)), max_size=8))
def test_fuzz_office_files_parse_or_raise_project_errors(
    office_files: dict[str, bytes], cut: float, flips: list[tuple[float, int]]
) -> None:
    for kind, original in office_files.items():
        data = bytearray(original[: max(8, int(len(original) * cut))])
        for where, value in flips:
            data[min(len(data) - 1, int(where * len(data)))] = value
        try:
            source = read_bytes(bytes(data), f"fuzz.{kind}")
            read_document(source)
        except PlangraphError as exc:
            _expected(exc)


def test_fuzz_office_files_load_whole_before_damage(office_files: dict[str, bytes]) -> None:
    """The office fuzz starts from files that load in full (a broken fixture would make it vacuous)."""
    assert "docx" in office_files and ("pdf" in office_files or soffice() is None)
    for kind, data in office_files.items():
        reading, _ = read_document(read_bytes(data, f"000.{kind}"))
        assert len(reading.tasks) == 48, kind
