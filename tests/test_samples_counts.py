"""Task counts of the samples, counted by reading each document.

How each count was verified (by hand, in the source files):
- 000: numbered rows per section — I 1-5 (lines 9-13), II 1-9 (17-27, row 2 of
  III continues on line 33), III 1-8 (29-41), IV 1-5 (43-47), V 1-3 (51-53),
  VI 1-5 (55-59), VII.1 1-3 (64-66), VII.2 1-10 (68-81) = 48.
- 001: task numbers in sequence after each section line — I 1-7, II 1-9,
  III 1-10, IV 1-4, V 1-4, VI 1-8, VII 1-7 = 49 (page numbers "5" on line 590
  and "8" before line 1083's header are page furniture, not tasks).
- 002: Phụ lục II — I 1-6, II.1 1-3, II.2 1,2,5,6, II.3 1-5, III.1 1-3,
  III.2 1-8, IV 1-6, V 1-6, VI 1-6, VII.1 1-6, VII.2 1-10 = 63 table tasks;
  plus the duties assigned in §III "TỔ CHỨC THỰC HIỆN": §III.1 three paragraphs
  (lines 133-137), §III.2 "Giao phòng Chuyển đổi số" three (141-145), §III.3 one
  (149), §III.4 "Giao Văn phòng:" one (151), §III.5 "Ban Giám đốc Sở …" one (153)
  = 72. Phụ lục I holds 5 indicator rows (1, 4, 5 | 5, 6; lines 174-179).
- 003: rows numbered "1." … "97." (lines 10-195; rows 63-71 sit under
  section VII because the source has no section VIII row) = 97.
- 004: Phụ lục I 23 rows (lines 139-163: groups 1-10, unnumbered rows are
  further tasks of their group), Phụ lục II 14 rows (169-184), Phụ lục III
  12 rows (191-203), plus 4 narrative statements with explicit fields in
  §II.2 a)-d) (lines 41-71), the duty of §II.1 a) (line 29; b) and c) point
  to the appendices), and the standing duties of §III: §III.1 two items
  (77-81), §III.2 three (85-89), §III.3 four (93-99), §III.4 three (103-107),
  §III.5 two (111-113) = 68.
"""

from __future__ import annotations

import pytest

from plangraph.model import Interpretation

EXPECTED_COUNTS = [
    # (sample, tasks, indicators, format)
    ("000", 48, 0, "tsv"),
    ("001", 49, 0, "pdftext"),
    ("002", 72, 5, "markdown"),
    ("003", 97, 0, "tsv"),
    ("004", 68, 0, "markdown"),
]


@pytest.mark.parametrize(("sample", "tasks", "indicators", "fmt"), EXPECTED_COUNTS)
def test_samples_task_count_matches_source(
    samples: dict[str, Interpretation], sample: str, tasks: int, indicators: int, fmt: str
) -> None:
    interpretation = samples[sample]
    assert interpretation.document.format == fmt
    assert len(interpretation.tasks) == tasks
    assert len(interpretation.indicators) == indicators


@pytest.mark.parametrize(
    ("sample", "sections"),
    [
        # Refs are qualified by section when numbering restarts per section.
        ("000", ["I", "II", "III", "IV", "V", "VI", "VII.1", "VII.2"]),
        ("001", ["I", "II", "III", "IV", "V", "VI", "VII"]),
        (
            "002",
            [
                "I",
                "II.1",
                "II.2",
                "II.3",
                "III.1",
                "III.2",
                "IV",
                "V",
                "VI",
                "VII.1",
                "VII.2",  # Phụ lục II
                "III.3",
                "III.4",
                "III.5",
            ],
        ),  # §III of the text (§III.1 and §III.2 share the codes above)
        ("003", ["I", "II", "III", "IV", "V", "VI", "VII", "IX", "XI"]),
    ],
)
def test_samples_every_section_has_tasks(samples: dict[str, Interpretation], sample: str, sections: list[str]) -> None:
    found = {t.section for t in samples[sample].tasks}
    assert found == set(sections)


def test_samples_refs_unique_within_each_plan(samples: dict[str, Interpretation]) -> None:
    for key, interpretation in samples.items():
        refs = [t.ref for t in interpretation.tasks]
        assert len(refs) == len(set(refs)), key
