"""The built wheel is one package, `plangraph`, that works outside the clone (issue 15)."""

from __future__ import annotations

import site
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--no-build-isolation", "-w", str(out), "-q"],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    (built,) = out.glob("plangraph-*.whl")
    return built


def test_wheel_holds_one_package_and_its_data(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    tops = {name.split("/", 1)[0] for name in names if not name.split("/", 1)[0].endswith(".dist-info")}
    assert tops == {"plangraph"}  # no top-level graph/, api/ or vendor/
    for part in ("plangraph/api/app.py", "plangraph/ingest/pipeline.py", "plangraph/queries/tasks-led-by.cypher",
                 "plangraph/data/agencies.json", "plangraph/samples/000_0c3d8e49def43607.txt", "plangraph/py.typed",
                 "plangraph/api/explorer/index.html", "plangraph/vendor/cytoscape.min.js",
                 "plangraph/vendor/cytoscape.LICENSE"):  # fmt: skip
        assert part in names, part


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the wheel installed for real. Its dependencies come from this environment through a
    path file (no download at test time); that path file adds directories only, so this environment's own
    editable install of plangraph (an import hook started by a .pth file there) is not in the venv."""
    root = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(root)], check=True, timeout=120)
    python = root / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    dependencies = sorted({*site.getsitepackages(), sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]})
    Path(purelib, "dependencies-from-the-test-environment.pth").write_text("\n".join(dependencies) + "\n")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "-q", str(wheel)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    return root


def test_installed_wheel_imports_plangraph_and_not_graph_or_api(venv: Path, tmp_path: Path) -> None:
    code = (
        "import importlib.util, plangraph\n"
        "print(plangraph.__file__)\n"
        "print(importlib.util.find_spec('graph'), importlib.util.find_spec('api'))\n"
    )
    done = subprocess.run([str(venv / "bin" / "python"), "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    location, specs = done.stdout.splitlines()
    assert str(venv) in location and specs == "None None"


def test_installed_wheel_runs_the_demo_from_another_directory(venv: Path, tmp_path: Path) -> None:
    done = subprocess.run(
        [str(venv / "bin" / "plangraph"), "demo"], capture_output=True, text=True, cwd=tmp_path, timeout=600
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("✓ 00") == 5 and "Who leads the most tasks" in done.stdout
    assert (tmp_path / ".plangraph" / "graph.lbdb").exists()
