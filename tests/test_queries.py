"""Named queries: headers documented, parameters typed, each executed with asserted results."""

from __future__ import annotations

import pytest

from graph.errors import QueryError
from graph.queries import load_queries, parse_query_file, run_named
from graph.store.embedded import EmbeddedStore


def test_queries_every_file_has_header_and_example_params() -> None:
    queries = load_queries()
    assert set(queries) == {"agency-workload", "tasks-led-by", "tasks-of-plan"}
    for query in queries.values():
        assert query.title and len(query.description) > 20
        for param in query.params:
            assert param.help and param.type in ("string", "int", "float", "bool", "date")


def test_queries_agency_workload_counts_commune_division(loaded_store: EmbeddedStore) -> None:
    rows = run_named(loaded_store, "agency-workload", {"limit": 50}).records()
    culture = next(r for r in rows if r["agency"] == "Phòng Văn hóa - Xã hội")
    # 003: 33 numbered rows name "Phòng Văn h…" in the lead cell, plus task 71 whose cell
    # "Phòng Văn" / "hóa - Xã hội" is split across a page break (lines 146, 149) = 34.
    assert culture == {
        "agency": "Phòng Văn hóa - Xã hội",
        "part_of": "Ủy ban nhân dân xã",
        "jurisdiction": "xã Lợi Bác, tỉnh Lạng Sơn",
        "is_group": False,
        "lead_tasks": 34,
        "support_tasks": 3,
    }
    assert len(run_named(loaded_store, "agency-workload", {"limit": 3}).rows) == 3


def test_queries_tasks_led_by_so_noi_vu_lang_son(loaded_store: EmbeddedStore) -> None:
    rows = run_named(loaded_store, "tasks-led-by", {"agency": "Sở Nội vụ", "jurisdiction": "Lạng Sơn"}).records()
    # 000 leads: I.1-I.5, V.1-V.3 (8); 001 leads: I.1-I.3, I.5-I.7, V.1-V.4 (10).
    assert {r["plan"] for r in rows} == {"110/KH-UBND", "29/KH-UBND"}
    assert len([r for r in rows if r["plan"] == "110/KH-UBND"]) == 8
    assert len([r for r in rows if r["plan"] == "29/KH-UBND"]) == 10
    assert all(r["agency"] == "Sở Nội vụ" for r in rows)


def test_queries_tasks_of_plan_by_file_name(loaded_store: EmbeddedStore) -> None:
    rows = run_named(loaded_store, "tasks-of-plan", {"plan": "004_90562d8295c9ca09.txt"}).records()
    assert len(rows) == 68
    narrative = next(r for r in rows if r["ref"] == "§II.2.b")
    assert narrative["leads"] == ["Sở Khoa học và Công nghệ"]
    # "Công an tỉnh, Sở Nội vụ, Văn phòng UBND tỉnh, các sở, ban, ngành, địa phương" (line 53)
    assert sorted(narrative["supports"]) == sorted(
        ["Công an tỉnh", "Sở Nội vụ", "Văn phòng Ủy ban nhân dân tỉnh", "Các sở, ban, ngành, địa phương"]
    )


def test_queries_unknown_parameter_refused(loaded_store: EmbeddedStore) -> None:
    with pytest.raises(QueryError, match="has no parameter"):
        run_named(loaded_store, "tasks-of-plan", {"nope": "x"})


def test_queries_bad_parameter_type_refused(loaded_store: EmbeddedStore) -> None:
    with pytest.raises(QueryError, match="must be a int"):
        run_named(loaded_store, "agency-workload", {"limit": "many"})


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("// name: x\n// title: X\nRETURN 1", "no description"),  # description missing
        ("// name: y\n// title: X\n// description: d\nRETURN 1", "file name must match"),
        ("// name: x\n// title: X\n// description: d\n// param: limit number = 3 -- n\nRETURN 1", "bad param line"),
    ],
)
def test_queries_header_errors(text: str, error: str) -> None:
    with pytest.raises(QueryError, match=error):
        parse_query_file("x", text)
