"""Loaders are general to their family: synthetic variants of a table parse to the same tasks."""

from __future__ import annotations

import random

import pytest

from plangraph.ingest.pipeline import read_document
from plangraph.ingest.reading import read_bytes
from plangraph.loaders import detect
from plangraph.model import ColumnRole, TaskRecord
from tests.renderers import HEADER_NAMES, R, Spec, disguise, random_spec, render_markdown, render_pdftext, render_tsv

BASE_ROLES = [R.NUMBER, R.TITLE, R.PRODUCTS, R.LEAD, R.SUPPORT, R.DUE]


def parsed(text: str, name: str = "variant.txt") -> tuple[str, list[TaskRecord]]:
    source = read_bytes(text.encode("utf-8"), name)
    interpretation, _ = read_document(source)
    return interpretation.document.format, list(interpretation.tasks)


def expected_cells(spec: Spec) -> list[dict[ColumnRole, str]]:
    return [row.cells for row in spec.rows()]


def actual_cells(tasks: list[TaskRecord], roles: list[ColumnRole]) -> list[dict[ColumnRole, str]]:
    out = []
    for t in tasks:
        values = {
            R.TITLE: t.title,
            R.PRODUCTS: t.products,
            R.LEAD: "; ".join(a.name for a in t.lead),
            R.SUPPORT: "; ".join(a.name for a in t.support),
            R.DUE: t.due.text,
            R.ACCOUNTABLE: t.accountable or "",
        }
        out.append({r: values[r] for r in roles if r in values})
    return out


def assert_same_tasks(spec: Spec, tasks: list[TaskRecord]) -> None:
    roles = [role for role, _ in spec.columns if role is not R.NUMBER]
    assert actual_cells(tasks, roles) == expected_cells(spec)
    # Refs: the printed number when numbers are unique in the plan, else qualified by section.
    numbers = [r.number for r in spec.rows()]
    if len(set(numbers)) == len(numbers):
        assert [t.ref for t in tasks] == numbers
    else:
        assert [t.ref for t in tasks] == [f"{s.code}.{r.number}" for s in spec.sections for r in s.rows]


TSV_VARIANTS = [
    # (id, roles in printed order, header spelling index, rendering options)
    ("as-in-000", BASE_ROLES, 0, {}),
    ("columns-reordered", [R.NUMBER, R.TITLE, R.LEAD, R.SUPPORT, R.PRODUCTS, R.DUE], 0, {}),  # 002's order
    ("renamed-other-spellings", BASE_ROLES, 1, {}),
    ("third-spellings", BASE_ROLES, 2, {}),
    ("products-column-missing", [R.NUMBER, R.TITLE, R.LEAD, R.SUPPORT, R.DUE], 0, {}),
    ("accountable-column-added", [R.NUMBER, R.TITLE, R.ACCOUNTABLE, R.LEAD, R.SUPPORT, R.PRODUCTS, R.DUE], 0, {}),
    ("split-after-first-row", BASE_ROLES, 0, {"split_after": {0}}),
    ("split-after-last-row-of-section", BASE_ROLES, 0, {"split_after": {2}}),
    ("split-twice", BASE_ROLES, 0, {"split_after": {1, 4}}),
]


@pytest.mark.parametrize(
    ("roles", "spelling", "options"), [v[1:] for v in TSV_VARIANTS], ids=[v[0] for v in TSV_VARIANTS]
)
def test_loaders_tsv_variant_parses_to_same_tasks(roles: list[ColumnRole], spelling: int, options: dict) -> None:
    spec = random_spec(random.Random(7), sections=2, rows=3, roles=roles)
    spec.columns = [(role, HEADER_NAMES[role][min(spelling, len(HEADER_NAMES[role]) - 1)]) for role, _ in spec.columns]
    fmt, tasks = parsed(render_tsv(spec, **options))
    assert fmt == "tsv"
    assert_same_tasks(spec, tasks)


def test_loaders_tsv_extra_unknown_column_is_kept_out_of_fields() -> None:
    spec = random_spec(random.Random(3))
    text = render_tsv(spec)
    lines = [
        line + ("\tMã số" if line.startswith("STT") or line.startswith("Stt") else "\tX1") if "\t" in line else line
        for line in text.split("\n")
    ]
    fmt, tasks = parsed("\n".join(lines))
    assert_same_tasks(spec, tasks)


@pytest.mark.parametrize(
    "options",
    [
        {"crlf": True},
        {"nbsp": True},
        {"nfd": True},
        {"crlf": True, "nbsp": True, "nfd": True},
    ],
    ids=["crlf", "nbsp", "nfd", "all"],
)
def test_loaders_tsv_disguised_text_parses_to_same_tasks(options: dict) -> None:
    spec = random_spec(random.Random(11), roles=BASE_ROLES)
    fmt, tasks = parsed(disguise(render_tsv(spec, split_after={1}), **options))
    assert fmt == "tsv"
    assert_same_tasks(spec, tasks)


def test_loaders_markdown_variant_parses_to_same_tasks() -> None:
    spec = random_spec(random.Random(5), sections=3, rows=2)
    text = render_markdown(spec)
    source = read_bytes(text.encode("utf-8"), "plan.md")
    assert detect(source).name == "markdown"
    interpretation, _ = read_document(source)
    assert_same_tasks(spec, list(interpretation.tasks))
    assert interpretation.plan.code == "45/KH-UBND"
    assert [r.id for r in interpretation.plan.implements] == ["57-NQ/TW"]


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_loaders_pdftext_variant_parses_to_same_tasks(seed: int) -> None:
    # Shared printed lines are measured separately (test_properties: row accuracy).
    rng = random.Random(seed)
    spec = random_spec(rng, sections=2, rows=4)
    fmt, tasks = parsed(render_pdftext(spec, rng, page_lines=25, merge_chance=0.0))
    assert fmt == "pdftext"
    assert_same_tasks(spec, tasks)
