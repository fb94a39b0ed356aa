"""Reference data shipped with the package (JSON), and the sample plans.

The sample plans live in the repository's `data/samples/` and ship in the wheel as the package data of
`plangraph.samples`, so `plangraph demo` runs from an installed wheel, anywhere.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

# An editable install from a clone reads the clone's folder (setuptools' editable finder cannot import a
# data-only package mapped inside another one); an installed wheel reads its package data.
CLONE_SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"


def sample_documents() -> list[Path]:
    """The sample plan documents, sorted by name."""
    try:
        folder = resources.files("plangraph.samples")
        files = [Path(str(entry)) for entry in folder.iterdir() if entry.name.endswith(".txt")]
    except ModuleNotFoundError:
        files = sorted(CLONE_SAMPLES.glob("*.txt")) if CLONE_SAMPLES.is_dir() else []
    return sorted(files, key=lambda p: p.name)
