"""Copy the explorer's graph-drawing library from npm into the package (issue 20, item 2):

    npm ci && python3 tools/build_explorer.py

Cytoscape.js (MIT, pinned in package.json / package-lock.json) is copied from node_modules into
`vendor/` (the package `plangraph.vendor`, kept apart from plangraph's own code) with its licence, so the
explorer ships it: no CDN, no network at run time.
`tests/test_explorer.py` checks the shipped copy is the pinned package's file.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "node_modules" / "cytoscape"
TARGET = ROOT / "vendor"
FILES = {"dist/cytoscape.min.js": "cytoscape.min.js", "LICENSE": "cytoscape.LICENSE"}


def main() -> int:
    if not SOURCE.exists():
        sys.stderr.write("node_modules/cytoscape is missing: run npm ci first\n")
        return 1
    TARGET.mkdir(parents=True, exist_ok=True)
    for source, target in FILES.items():
        shutil.copyfile(SOURCE / source, TARGET / target)
    sys.stdout.write(f"copied {', '.join(FILES.values())} into {TARGET.relative_to(ROOT)}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
