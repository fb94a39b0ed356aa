"""docker-compose.yml: validated by Debian's docker-compose (installed by .ci/run) and checked for what it promises."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = ROOT / "docker-compose.yml"


def compose_config(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    binary = shutil.which("docker-compose")
    assert binary, "docker-compose is needed to validate docker-compose.yml (.ci/run installs Debian's package)"
    environment = {k: v for k, v in os.environ.items() if k != "NEO4J_PASSWORD"} | env
    return subprocess.run(
        [binary, "-f", str(COMPOSE), "config"], env=environment, capture_output=True, text=True, cwd=ROOT, timeout=120
    )


def test_compose_file_is_valid_and_complete() -> None:
    done = compose_config({"NEO4J_PASSWORD": "example-password"})
    assert done.returncode == 0, done.stderr
    config = yaml.safe_load(done.stdout)
    neo4j, api = config["services"]["neo4j"], config["services"]["api"]
    assert neo4j["image"].startswith("neo4j:5.") and neo4j["image"].endswith("-community")
    assert neo4j["healthcheck"]["test"][0] == "CMD-SHELL" and "cypher-shell" in neo4j["healthcheck"]["test"][1]
    volumes = {str(v).split(":")[0] if isinstance(v, str) else v["source"] for v in neo4j["volumes"]}
    assert volumes == {"neo4j-data", "neo4j-logs"} == set(config["volumes"])  # named volumes
    assert api["depends_on"]["neo4j"]["condition"] == "service_healthy"
    assert "build" in api and (ROOT / "Dockerfile").is_file()
    assert api["environment"]["NEO4J_URI"] == "bolt://neo4j:7687"
    assert neo4j["environment"]["NEO4J_AUTH"] == "neo4j/example-password"  # taken from the environment


def test_compose_fails_clearly_without_a_password() -> None:
    done = compose_config({})
    assert done.returncode != 0
    assert "set NEO4J_PASSWORD" in done.stderr


def test_compose_commits_no_password() -> None:
    raw = yaml.safe_load(COMPOSE.read_text("utf-8"))
    required = "${NEO4J_PASSWORD:?"
    assert raw["services"]["neo4j"]["environment"]["NEO4J_AUTH"].startswith("neo4j/" + required)
    assert raw["services"]["api"]["environment"]["NEO4J_PASSWORD"].startswith(required)
