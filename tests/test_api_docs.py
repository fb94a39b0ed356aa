"""The API's documentation renders without internet (issue 18, item 3): `/docs` and `/redoc` load Swagger UI
and ReDoc from the package's own copies; headless Chromium (Debian's, never one a tool downloads), with every
host but this machine made unreachable, renders both, and takes the screenshot of `/docs`."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.test_serving import served  # noqa: F401 (the fixture: a real `plangraph serve` on the samples)

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
OFFLINE = "MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"  # every other host name fails to resolve: no CDN, no internet


@pytest.fixture()
def chromium() -> Iterator[str]:
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed; .ci/run installs Debian's chromium")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium); CI installs it")
    yield CHROMIUM


def _chromium(binary: str, url: str, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
         f"--host-resolver-rules={OFFLINE}", "--virtual-time-budget=20000", "--window-size=1280,1400", *args, url],
        capture_output=True,
        timeout=180,
    )  # fmt: skip


def test_docs_pages_use_no_cdn(served) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    import urllib.request

    _, url, _ = served
    for page in ("/docs", "/redoc"):
        with urllib.request.urlopen(url + page, timeout=30) as response:
            html = response.read().decode()
        assert "http://" not in html and "https://" not in html, f"{page} loads something from outside"
        assert "/docs-assets/" in html


def test_docs_render_offline_in_headless_chromium(served, chromium: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    _, url, _ = served
    dom = _chromium(chromium, url + "/docs", "--dump-dom").stdout.decode()
    # Swagger UI drew the operations from /openapi.json: the API's paths and the named queries' own.
    for path in ("/plans", "/agencies/{agency_id}/tasks", "/mandates/{code}/cascade", "/queries/tasks-led-by"):
        assert f'data-path="{path}"' in dom, f"/docs did not render {path}"
    assert "Authorize" in dom  # the API key scheme of POST /documents
    redoc = _chromium(chromium, url + "/redoc", "--dump-dom").stdout.decode()
    assert "Who owns what: the tasks an agency leads and supports" in redoc
    shot = tmp_path / "docs.png"
    done = _chromium(chromium, url + "/docs", f"--screenshot={shot}")
    assert done.returncode == 0 and shot.exists()
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 50_000  # a page, not a blank
