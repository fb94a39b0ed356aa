"""Random histories of loads against the embedded store, each step compared with a fresh build (issue 30, item 1).

    python benchmarks/soak.py [--steps N] [--seed S] [--json FILE]

A history is a random sequence of what users do to a store, each run as the user runs it (`plangraph …` in a
subprocess, with a time limit, so a hang is a finding and not the end of the run):

- load a few documents (the samples and the web corpus), or reload one;
- load a changed version of a document under the same name (a line of its text removed);
- relink (`plangraph link`);
- load through a running `plangraph serve` (the command line hands the load to it);
- kill -9 a loader after a random delay, then load the same files again (as a user would);
- `plangraph check`.

After every step the whole store (every node, property and edge, read back through `plangraph export`'s JSON)
must equal a fresh build of the documents it should hold, built in a new folder by one `plangraph load`; the
reads `stats`, a named query and `export` must work. The run reports each divergence (the step, the history so
far, the first differing lines), each hang and each crash. It stops by itself after `--steps`.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT))
import graph_snapshot  # noqa: E402

from benchmarks.hostile_api import server  # noqa: E402

DOCUMENTS = sorted((ROOT / "data" / "samples").glob("*.txt")) + sorted((ROOT / "tests" / "data" / "web").glob("*.txt"))
STEP_TIMEOUT = 180


@dataclass
class Outcome:
    step: int
    action: str
    ok: bool
    detail: str = ""


@dataclass
class Soak:
    folder: Path
    rng: random.Random
    held: dict[str, bytes] = field(default_factory=dict)  # file name → the content the store should hold
    outcomes: list[Outcome] = field(default_factory=list)
    fresh_cache: dict[str, list[str]] = field(default_factory=dict)
    history: list[str] = field(default_factory=list)

    @property
    def store(self) -> Path:
        return self.folder / "store" / "graph.lbdb"

    def staged(self, name: str, content: bytes) -> Path:
        digest = hashlib.sha256(content).hexdigest()[:12]
        path = self.folder / "files" / digest / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            path.write_bytes(content)
        return path

    def plangraph(self, *args: str, timeout: float = STEP_TIMEOUT) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "plangraph.cli", *args]
        return subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)

    # -- actions --------------------------------------------------------------------------------------------

    def load(self, names: list[str], contents: dict[str, bytes]) -> str:
        paths = [str(self.staged(name, contents[name])) for name in names]
        result = self.plangraph("load", *paths, "--store", str(self.store), "--quiet")
        if result.returncode not in (0, 1):
            return f"load exited {result.returncode}: {result.stderr[-500:]}"
        self.held.update({name: contents[name] for name in names})
        return ""

    def act(self) -> tuple[str, str]:
        choice = self.rng.random()
        originals = {p.name: p.read_bytes() for p in DOCUMENTS}
        if not self.held or choice < 0.30:
            names = self.rng.sample(sorted(originals), self.rng.randint(1, 4))
            return f"load {names}", self.load(names, originals)
        if choice < 0.45:
            name = self.rng.choice(sorted(self.held))
            return f"reload {name}", self.load([name], {name: self.held[name]})
        if choice < 0.60:
            name = self.rng.choice(sorted(self.held))
            lines = self.held[name].decode("utf-8").splitlines(keepends=True)
            if len(lines) > 20:
                del lines[self.rng.randrange(10, len(lines))]
            return f"change {name}", self.load([name], {name: "".join(lines).encode("utf-8")})
        if choice < 0.70:
            result = self.plangraph("link", "--store", str(self.store))
            return "link", "" if result.returncode == 0 else f"link exited {result.returncode}: {result.stderr[-500:]}"
        if choice < 0.80:
            names = self.rng.sample(sorted(originals), self.rng.randint(1, 3))
            return f"load through serve {names}", self.through_server(names, originals)
        names = self.rng.sample(sorted(self.held), min(len(self.held), self.rng.randint(1, 3)))
        return f"kill -9 a reload of {names}", self.killed(names)

    def through_server(self, names: list[str], contents: dict[str, bytes]) -> str:
        try:
            with server(self.store, files=4096):
                return self.load(names, contents)  # the command line hands the load to the server
        except RuntimeError as exc:
            return str(exc)

    def killed(self, names: list[str]) -> str:
        paths = [str(self.staged(name, self.held[name])) for name in names]
        process = subprocess.Popen(
            [sys.executable, "-m", "plangraph.cli", "load", *paths, "--store", str(self.store), "--quiet"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(self.rng.uniform(0.5, 4.0))
        process.send_signal(signal.SIGKILL)
        process.wait(30)
        return self.load(names, {name: self.held[name] for name in names})  # the user loads them again

    # -- the comparison -------------------------------------------------------------------------------------

    def fresh(self) -> list[str]:
        key = hashlib.sha256(
            json.dumps(sorted((n, hashlib.sha256(c).hexdigest()) for n, c in self.held.items())).encode()
        ).hexdigest()
        if key not in self.fresh_cache:
            folder = Path(tempfile.mkdtemp(dir=self.folder))
            store = folder / "graph.lbdb"
            paths = [str(self.staged(n, c)) for n, c in sorted(self.held.items())]
            self.plangraph("load", *paths, "--store", str(store), "--quiet")
            self.fresh_cache[key] = read_lines(store)
            shutil.rmtree(folder, ignore_errors=True)
        return self.fresh_cache[key]

    def verify(self) -> str:
        for args in (["stats"], ["query", "agency-workload"]):
            result = self.plangraph(*args, "--store", str(self.store), timeout=120)
            if result.returncode != 0:
                return f"{' '.join(args)} exited {result.returncode}: {result.stderr[-300:]}"
        actual = read_lines(self.store)
        expected = self.fresh()
        if actual != expected:
            diff = graph_snapshot.differences(expected, actual, limit=6)
            return "the store differs from a fresh build:\n    " + "\n    ".join(diff)
        return ""

    def step(self, number: int) -> None:
        try:
            action, problem = self.act()
        except subprocess.TimeoutExpired as exc:
            action, problem = "(a step)", f"hung: {' '.join(map(str, exc.cmd))[-200:]} ran past {exc.timeout} s"
        self.history.append(action)
        if not problem:
            try:
                problem = self.verify()
            except subprocess.TimeoutExpired as exc:
                problem = f"a read hung past {exc.timeout} s"
            except Exception as exc:  # a store that cannot be read back at all
                problem = f"the store could not be read: {exc}"
        self.outcomes.append(Outcome(number, action, not problem, problem))
        print(f"{number:4d} {'ok ' if not problem else 'BAD'} {action}" + (f"\n     {problem}" if problem else ""))
        sys.stdout.flush()


def read_lines(store: Path) -> list[str]:
    """The store's canonical lines, read in a subprocess (an engine crash or hang must not end the soak)."""
    code = (
        "import json, sys; sys.path.insert(0, sys.argv[2]); import graph_snapshot; "
        "from plangraph.store.embedded import EmbeddedStore; s = EmbeddedStore(sys.argv[1], read_only=True); "
        "print(json.dumps(graph_snapshot.canonical_lines(s))); s.close()"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(store), str(ROOT / "tools")],
        capture_output=True,
        text=True,
        timeout=STEP_TIMEOUT,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"exit {result.returncode}: {result.stderr[-300:]}")
    lines: list[str] = json.loads(result.stdout)
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--keep", action="store_true", help="keep the soak's folder (the store, the files) at the end")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="plangraph-soak-"))
    soak = Soak(folder, random.Random(args.seed))
    started = time.monotonic()
    try:
        for number in range(1, args.steps + 1):
            soak.step(number)
    finally:
        bad = [o for o in soak.outcomes if not o.ok]
        summary: dict[str, Any] = {
            "seed": args.seed,
            "steps": len(soak.outcomes),
            "divergences": len(bad),
            "seconds": round(time.monotonic() - started),
            "first": [o.__dict__ for o in bad[:10]],
            "history": soak.history,
        }
        print(json.dumps({k: v for k, v in summary.items() if k != "history"}, ensure_ascii=False, indent=2))
        if args.json:
            args.json.write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n")
        if args.keep:
            print(f"kept: {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    sys.exit(1 if bad else 0)


def _stop(signum: int, _frame: Any) -> None:
    raise SystemExit(128 + signum)  # run the finally blocks: a server the soak started is stopped with it


if __name__ == "__main__":
    os.environ.setdefault("PLANGRAPH_QUERY_TIMEOUT_MS", "60000")
    signal.signal(signal.SIGTERM, _stop)
    main()
