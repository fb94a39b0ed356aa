"""A folder that makes plangraph run on another build of its embedded engine, for a comparison (issue 30, item 3).

    python3 tools/engine_shim.py ladybug /tmp/venv-lb22/lib/python3.11/site-packages /tmp/shim-lb22
    PYTHONPATH=/tmp/shim-lb22 python3 benchmarks/soak.py --seed 1          # the soak on LadybugDB 0.22
    PYTHONPATH=/tmp/shim-lb22 PLANGRAPH_ENGINE_MODULE=ladybug pytest tests/test_engine_defects.py

The folder holds a copy of the engine's package (`ladybug`, `kuzu`: installed in a throwaway venv, never in the
project's) and a `real_ladybug` package that is that module, so the product code, unchanged, imports it. A copy,
not a link: a query worker restricts its reads to the store and the interpreter's library folders before it
opens the engine, and a link would point outside them. The project's pins are not touched; remove the folder to
go back.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

SHIM = '''"""real_ladybug, played by {module} (tools/engine_shim.py): a comparison, not a product build."""

import importlib.util  # noqa: F401  (Kùzu 0.11.3 calls importlib.util when it binds parameters, without importing it)
import sys

import {module}

try:  # LadybugDB 0.22 imports its native module at the first Database(): a sandboxed worker opens it after Landlock
    from {module}._backend import get_pybind_module
except ImportError:
    pass
else:
    get_pybind_module()
sys.modules["real_ladybug"] = {module}
'''


def make(module: str, site: Path, target: Path) -> None:
    source = site / module
    if not (source / "__init__.py").exists():
        raise SystemExit(f"no package {module} in {site}")
    target.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(target / module, ignore_errors=True)
    shutil.copytree(source, target / module)
    (target / "real_ladybug").mkdir(exist_ok=True)
    (target / "real_ladybug" / "__init__.py").write_text(SHIM.format(module=module), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("module", help="the engine's import name (ladybug, kuzu)")
    parser.add_argument("site", type=Path, help="the site-packages folder it is installed in")
    parser.add_argument("target", type=Path, help="the folder to make (put it on PYTHONPATH)")
    args = parser.parse_args()
    make(args.module, args.site, args.target)
    sys.stdout.write(f"PYTHONPATH={args.target}\n")


if __name__ == "__main__":
    main()
