"""Numeric targets stated in task results become Indicator nodes (one node per stated target)."""

from __future__ import annotations

from typing import Any

from plangraph.model import Interpretation
from tests.conftest import task


def test_targets_results_cell_items_become_statements(samples: dict[str, Interpretation]) -> None:
    # 003 task 14 (line 30): "- Tiếp nhận, triển khai. - 100% cán bộ, công chức, viên chức được đào tạo, …
    # - Tối thiểu 90% cán bộ, công chức, viên chức làm chủ kỹ năng số, …"
    statements = [(s.comparator, s.value, s.unit) for s in task(samples["003"], "14").targets]
    assert statements[:2] == [("=", 100.0, "%"), (">=", 90.0, "%")]


def test_targets_in_content_column_of_group_tables(samples: dict[str, Interpretation]) -> None:
    (statement,) = task(samples["004"], "PL-I.4").targets  # "… cho ít nhất 200 doanh nghiệp" (line 149)
    assert (statement.comparator, statement.value, statement.unit) == (">=", 200.0, "doanh nghiệp")
    (latex,) = task(samples["004"], "PL-I.7-3").targets  # "$\\geq 80\\%$" (line 156)
    assert (latex.comparator, latex.value, latex.unit) == (">=", 80.0, "%")


def test_targets_same_target_in_many_tasks_is_one_node(samples_store: Any) -> None:
    rows = samples_store.run(
        "MATCH (t:Task)-[:HAS_INDICATOR]->(i:Indicator) "
        "WHERE i.name STARTS WITH 'Tối thiểu 90% dân số trưởng thành tiếp cận dịch vụ số' "
        "RETURN i.id, i.comparator, i.target, i.unit, count(t) AS tasks"
    ).rows
    assert len(rows) == 1  # one node
    _, comparator, target, unit, tasks = rows[0]
    assert (comparator, target, unit) == (">=", 90.0, "%")
    assert tasks >= 5  # stated in tasks 24, 25, 28, 65, 69 … of 003


def test_targets_indicator_table_rows_keep_owners(samples_store: Any) -> None:
    rows = samples_store.run(
        "MATCH (p:Plan)-[:HAS_INDICATOR]->(i:Indicator)-[:LED_BY]->(a:Agency) "
        "RETURN i.ref, i.comparator, i.target, i.unit, i.period, a.name ORDER BY i.source_line"
    ).rows
    assert rows[0] == ("I.1", ">=", 95.0, "%", "Giai đoạn 2026 - 2027", "Phòng Chuyển đổi số")  # 002 line 174
    assert len(rows) == 5
