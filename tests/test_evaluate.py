"""`plangraph eval`: the scorer measures what it says, on a plan whose reading is written from its raw cells."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from plangraph.cli import main
from plangraph.ingest.evaluate import evaluate_paths
from tests.conftest import SAMPLE_FILES, SAMPLES

WEB = Path(__file__).resolve().parent / "data" / "web"
SOURCE = (SAMPLES / SAMPLE_FILES["000"]).read_text("utf-8").split("\n")
# The header, the column row, the group row I and its five tasks (lines 1-13 of sample 000).
PLAN_LINES = SOURCE[:13]


def reading_by_hand() -> dict:
    """The reading of the five rows, from their raw cells (independent of how plangraph parses them)."""
    tasks = []
    for number, line in enumerate(PLAN_LINES[8:13], start=9):
        cells = line.split("\t")
        lead = [a.strip(" -;") for a in cells[3].split(";") if a.strip(" -;")]
        tasks.append(
            {"kind": "table", "ref": f"I.{cells[0]}", "title_start": cells[1][:60], "lead": lead, "support": [],
             "due_text": cells[5].strip(), "line": number}
        )  # fmt: skip
    return {
        "schema_version": 1,
        "documents": [
            {"file": "plan.txt", "code": "110/KH-UBND", "kind": "KH", "issued_on": "2026-03-25",
             "issuer": "UBND tỉnh Lạng Sơn", "level": "province", "province": "Lạng Sơn", "tasks": tasks}
        ],
    }  # fmt: skip


def score(tmp_path: Path, lines: list[str], gold: dict) -> dict:
    (tmp_path / "plan.txt").write_text("\n".join(lines) + "\n", "utf-8")
    (tmp_path / "gold.json").write_text(json.dumps(gold, ensure_ascii=False), "utf-8")
    return evaluate_paths(tmp_path / "gold.json", [tmp_path / "plan.txt"]).as_dict()["total"]


def test_eval_every_task_found_when_the_reading_matches(tmp_path: Path) -> None:
    total = score(tmp_path, PLAN_LINES, reading_by_hand())
    assert (total["found"], total["expected"], total["extra"]) == (5, 5, 0)
    assert total["by_origin"]["table"] == {"found": 5, "expected": 5, "extra": 0}
    assert total["lead"]["f1"] == 1.0 and total["deadline"]["right"] == total["deadline"]["of"] == 5
    assert all(v["right"] == 1 for v in total["metadata"].values())


def test_eval_counts_a_missed_task_and_an_extra_one(tmp_path: Path) -> None:
    gold = reading_by_hand()
    gold["documents"][0]["tasks"][1]["title_start"] = "Một nhiệm vụ không có trong văn bản"  # not in the text
    total = score(tmp_path, PLAN_LINES, gold)
    assert (total["found"], total["expected"], total["extra"]) == (4, 5, 1)


def test_eval_owner_precision_and_recall_move_with_the_owners(tmp_path: Path) -> None:
    gold = reading_by_hand()
    gold["documents"][0]["tasks"][0]["lead"] = ["Sở Tài chính"]  # the row says Sở Nội vụ
    lead = score(tmp_path, PLAN_LINES, gold)["lead"]
    assert lead["precision"] < 1.0 and lead["recall"] < 1.0


def test_eval_reports_wrong_metadata_by_field(tmp_path: Path) -> None:
    gold = reading_by_hand()
    gold["documents"][0]["code"] = "111/KH-UBND"
    gold["documents"][0]["level"] = "commune"
    metadata = score(tmp_path, PLAN_LINES, gold)["metadata"]
    assert metadata["number"]["right"] == 0 and metadata["level"]["right"] == 0 and metadata["kind"]["right"] == 1


def test_eval_cli_on_the_web_corpus_prints_documents_misses_and_totals() -> None:
    result = CliRunner().invoke(main, ["eval", str(WEB / "gold.json"), str(WEB)])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert lines[0].split()[:3] == ["document", "found", "extra"]
    rows = [line for line in lines if line.startswith(("ke-hoach-", "quyet-dinh-")) and not line.endswith(":")]
    assert len(rows) == 10
    assert lines[-3].startswith("Tasks: ") and "of 358 found" in lines[-3]
    assert lines[-2].startswith("Owners: lead P ") and lines[-1].startswith("Metadata: number ")
    assert "missed duty" in result.output


def test_eval_cli_json_and_usage_errors(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["eval", "--json", str(WEB / "gold.json"), str(WEB)])
    body = json.loads(result.output)
    assert len(body["documents"]) == 10 and body["total"]["expected"] == 358
    (tmp_path / "x.txt").write_text("x")
    other = CliRunner().invoke(main, ["eval", str(WEB / "gold.json"), str(tmp_path / "x.txt")])
    assert other.exit_code == 2 and "none of the 10 documents" in other.output
    (tmp_path / "bad.json").write_text("[]")
    bad = CliRunner().invoke(main, ["eval", str(tmp_path / "bad.json"), str(WEB)])
    assert bad.exit_code == 2 and "not a reading by hand" in bad.output


@pytest.mark.parametrize("misses", ["0", "-1"])
def test_eval_misses_option(misses: str) -> None:
    result = CliRunner().invoke(main, ["eval", "--misses", misses, str(WEB / "gold.json"), str(WEB)])
    assert result.exit_code == 0 and (("missed duty" in result.output) == (misses == "-1"))
