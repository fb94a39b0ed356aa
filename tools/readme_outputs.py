"""The README's printed outputs, produced by the commands they show (issue 18, item 4).

Every ```text block of README.md whose lines start with "$ " is a transcript: each "$ " line is a command
and the lines after it, up to the next "$ ", are what it prints. This script walks the README top to bottom
as a new user would, in one sandbox (a fresh folder whose `data/` and `tests/` are the repository's, the
default store `.plangraph/graph.lbdb` in it, tables 120 columns wide), runs every command with the installed
`plangraph`, and compares what it prints with the README: its standard output, then the lines of its standard
error that begin "error:" or "warning:", then "[exit N]" when it ends with a code other than 0:

    python3 tools/readme_outputs.py            # check: exit 1 and a diff per block when the README drifted
    python3 tools/readme_outputs.py --write    # rewrite the blocks that drifted with what the commands print now
    python3 tools/readme_outputs.py --write --all   # every block, shortened again (see the marks below)

The store carries over from block to block, as it would for the user (the demo loads the samples, a later
block loads the web corpus beside them). `curl` lines are answered by a real `plangraph serve` the script
starts on a free port, with `localhost:8000` in the README meaning that server; a README line
`[PLANGRAPH_API_KEY=…] plangraph serve --port 8000 &` starts it (again, with that key). A server keeps
running to the end, as it would for the user: later writers go through it. Two marks keep a block short
without losing what it checks:

- a line "…" alone matches any number of lines (at least none);
- a line ending with " …" matches any line that begins with the text before it.
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
SKIP = "…"
TIMEOUT = 600  # seconds per command: a load of the web corpus takes about a minute on 2 cores


@dataclass
class Step:
    command: str
    expected: list[str]


@dataclass
class Block:
    start: int  # line number of the ```text fence (1-based)
    end: int  # line number of the closing fence
    steps: list[Step] = field(default_factory=list)


def transcripts(text: str) -> list[Block]:
    """The transcript blocks of a README text."""
    lines = text.split("\n")
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        if lines[i].strip() == "```text":
            j = i + 1
            while j < len(lines) and not lines[j].startswith("```"):
                j += 1
            body = lines[i + 1 : j]
            if body and body[0].startswith("$ "):
                block = Block(i + 1, j + 1)
                for line in body:
                    step = block.steps[-1] if block.steps else None
                    if step is not None and not step.expected and step.command.endswith("\\"):
                        step.command += "\n" + line  # a command continued on the next line
                    elif line.startswith("$ "):
                        block.steps.append(Step(line[2:], []))
                    else:
                        block.steps[-1].expected.append(line)
                blocks.append(block)
            i = j
        i += 1
    return blocks


def matches(expected: list[str], actual: list[str]) -> bool:
    """Whether printed lines match a README block (with its "…" marks)."""
    if not expected:
        return not actual
    head, rest = expected[0], expected[1:]
    if head == SKIP:
        return any(matches(rest, actual[k:]) for k in range(len(actual) + 1))
    if not actual:
        return False
    if head.endswith(" " + SKIP):
        ok = actual[0].startswith(head[: -len(SKIP)].rstrip())
    else:
        ok = actual[0].rstrip() == head.rstrip()
    return ok and matches(rest, actual[1:])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Sandbox:
    """A fresh folder in which the README's commands run, and the servers its `curl` lines talk to."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="plangraph-readme-"))
        for name in ("data", "tests"):
            (self.folder / name).symlink_to(ROOT / name)
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("PLANGRAPH_")}
        self.env.update({"COLUMNS": "120", "NO_COLOR": "1", "TERM": "dumb", "PYTHONUTF8": "1"})
        # The `plangraph` installed beside this interpreter first (a virtual environment need not be activated).
        self.env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + self.env.get("PATH", "")
        self.servers: dict[str, tuple[subprocess.Popen[bytes], int]] = {}  # README port → (process, real port)

    def close(self) -> None:
        self.stop_servers()
        shutil.rmtree(self.folder, ignore_errors=True)

    def stop_servers(self) -> None:
        for process, _ in self.servers.values():
            process.terminate()
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
        self.servers.clear()

    def serve(self, readme_port: str, key: str | None) -> None:
        if readme_port in self.servers:
            return
        port = _free_port()
        env = dict(self.env)
        if key:
            env["PLANGRAPH_API_KEY"] = key
        process = subprocess.Popen(
            [str(Path(sys.executable).parent / "plangraph"), "serve", "--port", str(port)],
            cwd=self.folder,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=5):
                    break
            except OSError:
                time.sleep(0.3)
        else:
            process.kill()
            raise RuntimeError(f"plangraph serve did not answer on port {port}")
        self.servers[readme_port] = (process, port)

    def run(self, command: str) -> list[str]:
        server = re.match(r"^(?:PLANGRAPH_API_KEY=(\S+)\s+)?plangraph serve --port (\d+) &", command)
        if server:  # a server started by the README replaces the one on that port (its key may differ)
            self.stop_servers()
            self.serve(server.group(2), server.group(1))
            return []
        for readme_port in re.findall(r"localhost:(\d+)", command):
            self.serve(readme_port, None)
        for readme_port, (_, port) in self.servers.items():
            command = command.replace(f"localhost:{readme_port}", f"127.0.0.1:{port}")
        done = subprocess.run(
            ["bash", "-c", command],
            cwd=self.folder,
            env=self.env,
            capture_output=True,
            timeout=TIMEOUT,
        )
        out = done.stdout.decode("utf-8", "replace").rstrip("\n")
        lines = out.split("\n") if out else []
        err = done.stderr.decode("utf-8", "replace").strip().split("\n")
        lines += [line for line in err if line.startswith(("error:", "warning:"))]  # what the user reads there
        if done.returncode not in (0, 1, 2):  # a crash: what it said last
            lines += err[-5:]
        if done.returncode != 0:
            lines.append(f"[exit {done.returncode}]")
        return lines


WIDE, KEEP, LONG, HEAD = 200, 150, 40, 30  # a new block's lines are cut at WIDE, a block of over LONG at HEAD


def _shortened(lines: list[str]) -> list[str]:
    """What --write puts in a new block: a line wider than WIDE cut at KEEP characters and marked " …" (a JSON
    answer of curl), a block of over LONG lines cut at HEAD and marked "…"; both marks still check the rest."""
    out = [line[:KEEP].rstrip() + " " + SKIP if len(line) > WIDE else line for line in lines]
    return out[:HEAD] + [SKIP] if len(out) > LONG else out


def check(
    text: str, regenerate: bool = False, sandbox: Sandbox | None = None
) -> tuple[list[str], dict[int, list[str]]]:
    """(a report per drifted block, the new lines of every block by its first line). In `sandbox` when given (left
    open for more), else in a new one."""
    report: list[str] = []
    new: dict[int, list[str]] = {}
    own = sandbox is None
    sandbox = sandbox or Sandbox()
    try:
        for block in transcripts(text):
            lines: list[str] = []
            for step in block.steps:
                actual = sandbox.run(step.command)
                lines.append("$ " + step.command)
                kept = matches(step.expected, actual) and not regenerate
                lines += step.expected if kept else _shortened(actual)
                if not matches(step.expected, actual):
                    diff = difflib.unified_diff(step.expected, actual, "README", "printed", lineterm="", n=1)
                    report.append(f"README.md:{block.start}: $ {step.command}\n" + "\n".join(diff))
            new[block.start] = lines
    finally:
        if own:
            sandbox.close()
    return report, new


def replay(text: str, sandbox: Sandbox) -> list[str]:
    """Every README command again, in order, in a sandbox that ran them already (the servers it started still
    running): what crashed (an exit code over 2), one line each."""
    crashes = []
    for block in transcripts(text):
        for step in block.steps:
            actual = sandbox.run(step.command)
            if actual and actual[-1].startswith("[exit ") and actual[-1] not in ("[exit 1]", "[exit 2]"):
                crashes.append(f"README.md:{block.start}: $ {step.command}: " + " | ".join(actual[-6:]))
    return crashes


def stores(sandbox: Sandbox) -> list[Path]:
    """The embedded stores the README's commands made in the sandbox (not the copies `plangraph repair` keeps)."""
    return sorted(p for p in sandbox.folder.rglob("*.lbdb") if p.is_file() and ".before-repair-" not in p.parent.name)


def rewrite(text: str, new: dict[int, list[str]]) -> str:
    lines = text.split("\n")
    for block in sorted(transcripts(text), key=lambda b: -b.start):
        lines[block.start : block.end - 1] = new[block.start]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help="rewrite the blocks that drifted with what is printed")
    parser.add_argument("--all", action="store_true", help="with --write: rewrite every block, not only those")
    args = parser.parse_args(argv)
    text = README.read_text("utf-8")
    report, new = check(text, regenerate=args.write and args.all)
    if args.write:
        README.write_text(rewrite(text, new), "utf-8")
        sys.stdout.write(f"{len(report)} block step(s) rewritten in {README.name}\n")
        return 0
    for item in report:
        sys.stdout.write(item + "\n\n")
    steps = sum(len(b.steps) for b in transcripts(text))
    sys.stdout.write(f"{steps - len(report)} of {steps} README commands print what the README shows\n")
    return 1 if report else 0


if __name__ == "__main__":
    sys.exit(main())
