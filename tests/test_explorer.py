"""The explorer end to end in a real browser (issue 20, item 3): `plangraph serve` on the samples, Debian's
headless Chromium driven by Playwright (its own browsers are never downloaded: the test launches
/usr/bin/chromium), every other host unreachable. Search "NQ 57", open the cascade, click through to a commune
plan, one of its tasks and its source line (in context, then the whole numbered document), then the task's lead
agency; what each page shows is checked
against the API's own answers. The screenshots are saved in docs/screenshots/ (the README shows them)."""

from __future__ import annotations

import json
import os
import shutil
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.test_serving import served  # noqa: F401 (the fixture: a real `plangraph serve` on the samples)

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "docs" / "screenshots"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
OFFLINE = "MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"


def _api(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=60) as response:
        return json.loads(response.read())


@pytest.fixture()
def page(served) -> Iterator[Any]:  # type: ignore[no-untyped-def]  # noqa: F811
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed; .ci/run installs Debian's chromium")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium); CI installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-dev-shm-usage", f"--host-resolver-rules={OFFLINE}"],
        )
        tab = browser.new_page(viewport={"width": 1280, "height": 1000})
        errors: list[str] = []
        tab.on("pageerror", lambda error: errors.append(str(error)))
        yield tab
        browser.close()
        assert not errors, f"the explorer's scripts failed: {errors}"


def test_explorer_search_cascade_task_source_and_agency(served, page) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    _, url, _ = served
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(url + "/explorer/")
    page.fill("#q", "nq 57")  # any case, no diacritics needed
    page.press("#q", "Enter")
    page.wait_for_selector('ul.results li[data-kind="legal"]')
    assert page.url.endswith("#/search/nq%2057")  # a view is a URL
    page.click('ul.results li[data-kind="legal"] a:text-is("57-NQ/TW")')

    # The cascade: the levels and counts the API gives, drawn, with a list per level.
    page.wait_for_selector("#graph[data-nodes]")
    tree = _api(url + "/mandates/57-NQ/TW/cascade?tasks=false")
    for level, plans in tree["levels"].items():
        heading = page.inner_text(f'section[data-level="{level}"] h2')
        assert heading == f"{level}: {len(plans)} plan(s), {tree['counts']['tasks_per_level'][level]} task(s)"
    drawn = int(page.get_attribute("#graph", "data-nodes") or 0)
    assert drawn == 1 + len(tree["levels"]) + sum(len(p) for p in tree["levels"].values())
    page.wait_for_selector('#coverage[aria-busy="false"] table')  # coverage arrives after the cascade
    cover = _api(url + "/mandates/57-NQ/TW/coverage")
    assert page.locator("#coverage > table tbody tr").count() == len(cover["coverage"])
    # Where it does not arrive: the tasks no lower plan carries, as the coverage answer lists them.
    gaps = [t for t in cover["tasks"] if not t["derived"]]
    assert gaps and page.get_attribute("#gaps", "data-total") == str(len(gaps))
    assert page.locator("#gaps tbody tr").count() == min(len(gaps), 25)
    assert page.inner_text("#gaps tbody tr:first-child td:nth-child(3)") == gaps[0]["ref"]
    page.screenshot(path=str(SHOTS / "explorer-cascade.png"), full_page=True)

    # A commune plan, one of its tasks and the task's source line.
    page.click('section[data-level="commune"] a:text-is("136/KH-UBND")')
    page.wait_for_selector('td a:text-is("8")')
    page.click('td a:text-is("8")')
    page.wait_for_selector("#excerpt")
    task = _api(url + "/tasks/136/KH-UBND@xa-loi-bac-tinh-lang-son@2026%238")
    line = task["provenance"]["source_line"]
    assert page.inner_text("main h1") == "136/KH-UBND · 8"
    assert task["provenance"]["source_file"] in page.inner_text("main h2")
    assert "110/KH-UBND VII.2.10" in page.inner_text("main")  # lineage up: the province task it carries out
    # The source in context: the document's numbered lines around the task's, its own highlighted, as the API reads.
    text = _api(url + f"/plans/136/KH-UBND/text?around={line}&context=8")
    shown = page.locator("#excerpt .line")
    assert shown.count() == len(text["lines"])
    assert page.locator("#excerpt .hit").get_attribute("data-line") == str(line)
    hit = page.inner_text("#excerpt .hit")
    assert hit.split(None, 1)[1].strip() == text["lines"][line - text["first"]]["text"].strip()
    page.screenshot(path=str(SHOTS / "explorer-task.png"), full_page=True)

    # The whole document, scrolled to that line (a URL of its own).
    page.click("a:text-matches('The whole document')")
    page.wait_for_selector("#document .hit")
    assert page.url.endswith(f"#/text/136%2FKH-UBND%40xa-loi-bac-tinh-lang-son%402026/{line}")
    whole = _api(url + "/plans/136/KH-UBND/text")
    assert page.locator("#document .line").count() == whole["total_lines"]
    assert page.locator("#document .hit").get_attribute("data-line") == str(line)
    assert page.evaluate(
        "() => { const r = document.querySelector('#document .hit').getBoundingClientRect();"
        " const box = document.querySelector('#document').getBoundingClientRect();"
        " return r.top >= box.top && r.bottom <= box.bottom; }"
    ), "the task's line is scrolled into view"
    page.go_back()
    page.wait_for_selector("#excerpt")

    # Its lead agency: what it leads, supports and has overdue, as the API counts them.
    lead = task["owners"]["lead"][0]
    page.click(f'a:text-is("{lead["name"]}")')
    page.wait_for_selector("#graph[data-nodes]")
    summary = _api(url + "/agencies/" + lead["id"] + "/summary")
    counts = page.inner_text("p.counts")
    assert f"leads {summary['lead']}" in counts and f"overdue (lead) {summary['overdue_lead']}" in counts
    owned = _api(url + "/agencies/" + lead["id"] + "/tasks")
    assert page.locator("main section").count() == len(owned["groups"])


def test_explorer_ships_its_graph_library_from_npm() -> None:
    # tools/build_explorer.py copies Cytoscape.js from the pinned npm package; the explorer loads it locally.
    shipped = ROOT / "vendor" / "cytoscape.min.js"
    npm = ROOT / "node_modules" / "cytoscape" / "dist" / "cytoscape.min.js"
    lock = json.loads((ROOT / "package-lock.json").read_text("utf-8"))
    assert lock["packages"]["node_modules/cytoscape"]["license"] == "MIT"
    assert npm.exists() and shipped.read_bytes() == npm.read_bytes()
    html = (ROOT / "api" / "explorer" / "index.html").read_text("utf-8")
    assert "http://" not in html and "https://" not in html
