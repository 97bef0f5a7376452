"""The repository's CI, hosting and hook configuration, checked offline.

- the GitHub workflows, the Dependabot config and ``.readthedocs.yaml``
  against the JSON schemas (from SchemaStore) that ``check-jsonschema``
  ships, and ``.pre-commit-config.yaml`` with pre-commit's own loader;
- what each file is for: CI runs ``.ci/run`` on push and pull request with
  Python 3.11 and Debian's Chromium, caches pip and the nox virtualenvs and
  uploads the site and the screenshots; Pages publishes ``docs/_build/html``
  from ``main``; Read the Docs runs the nox docs session; every action,
  hook and hook dependency is pinned, ruff and mypy to the ``lint`` group's
  versions; the local hooks refuse notebook outputs and ``docs/_build``.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml
from pre_commit.clientlib import InvalidConfigError, load_config
from pre_commit.languages import pygrep

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
PRE_COMMIT = ROOT / ".pre-commit-config.yaml"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
NOX_PIN = re.search(r'"nox==([\d.]+)"', (ROOT / ".ci" / "run").read_text())


def _yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text())


def _on(workflow: dict[str, Any]) -> dict[str, Any]:
    """The triggers: YAML 1.1 reads the key ``on`` as True."""
    triggers = workflow.get("on", workflow.get(True))
    return dict.fromkeys(triggers) if isinstance(triggers, list) else triggers


def _steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [s for job in workflow["jobs"].values() for s in job["steps"]]


def _check_jsonschema(
    schema: str, *paths: Path
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema]
        + [str(p) for p in paths],
        capture_output=True,
        text=True,
        check=False,
    )


# ---------------------------------------------------------------- schemas --


def test_there_are_the_two_workflows() -> None:
    assert [p.name for p in WORKFLOWS] == ["ci.yml", "pages.yml"]


@pytest.mark.parametrize(
    ("schema", "paths"),
    [
        ("vendor.github-workflows", WORKFLOWS),
        ("vendor.dependabot", [ROOT / ".github" / "dependabot.yml"]),
        ("vendor.readthedocs", [ROOT / ".readthedocs.yaml"]),
    ],
    ids=["workflows", "dependabot", "readthedocs"],
)
def test_files_match_their_schema(schema: str, paths: list[Path]) -> None:
    result = _check_jsonschema(schema, *paths)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("schema", "text"),
    [
        ("vendor.github-workflows", "name: x\non: push\n"),  # no jobs
        ("vendor.github-workflows", "on: push\njobs:\n  a:\n    steps: []\n"),
        ("vendor.readthedocs", "version: 2\nbuild:\n  os: windows\n"),
        ("vendor.dependabot", "version: 2\nupdates:\n  - directory: /\n"),
    ],
)
def test_the_schema_check_can_fail(
    schema: str, text: str, tmp_path: Path
) -> None:
    path = tmp_path / "broken.yml"
    path.write_text(text)
    assert _check_jsonschema(schema, path).returncode != 0


def test_pre_commit_config_loads() -> None:
    config = load_config(str(PRE_COMMIT))
    assert config["repos"]


def test_pre_commit_loader_can_fail(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("repos:\n  - repo: local\n    hooks:\n      - name: x\n")
    with pytest.raises(InvalidConfigError):
        load_config(str(path))


# ------------------------------------------------------------------ pins --


def test_actions_are_pinned_to_commits_of_releases() -> None:
    """A full commit hash, and the release it is, for Dependabot to bump."""
    lines = [
        line.strip()
        for w in WORKFLOWS
        for line in w.read_text().splitlines()
        if line.strip().startswith(("uses:", "- uses:"))
    ]
    assert len(lines) == 9
    for line in lines:
        assert re.fullmatch(
            r"(- )?uses: [\w-]+/[\w-]+@[0-9a-f]{40}  # v\d+\.\d+\.\d+", line
        ), line


def test_hooks_and_their_dependencies_are_pinned() -> None:
    config = _yaml(PRE_COMMIT)
    for repo in config["repos"]:
        if repo["repo"] == "local":
            continue
        assert re.fullmatch(r"v\d+\.\d+\.\d+", repo["rev"]), repo
        for hook in repo["hooks"]:
            for dependency in hook.get("additional_dependencies", []):
                assert re.fullmatch(r"[\w.-]+==[\w.]+", dependency), dependency


def test_ruff_and_mypy_hooks_are_the_lint_groups_versions() -> None:
    lint = dict(d.split("==") for d in PYPROJECT["dependency-groups"]["lint"])
    revs = {r["repo"]: r.get("rev") for r in _yaml(PRE_COMMIT)["repos"]}
    assert revs["https://github.com/astral-sh/ruff-pre-commit"] == (
        "v" + lint["ruff"]
    )
    assert revs["https://github.com/pre-commit/mirrors-mypy"] == (
        "v" + lint["mypy"]
    )
    mypy = next(
        h
        for r in _yaml(PRE_COMMIT)["repos"]
        for h in r["hooks"]
        if h["id"] == "mypy"
    )
    assert mypy["additional_dependencies"] == [f"numpy=={lint['numpy']}"]


def test_pre_commit_runs_the_hooks_the_issue_asks_for() -> None:
    ids = {h["id"] for r in _yaml(PRE_COMMIT)["repos"] for h in r["hooks"]}
    asked = {
        "end-of-file-fixer",
        "trailing-whitespace",
        "check-yaml",
        "check-toml",
        "ruff-check",
        "ruff-format",
        "no-build-output",
        "no-notebook-output",
    }
    assert asked <= ids


# ------------------------------------------------------------ local hooks --


def _local_hook(hook_id: str) -> dict[str, Any]:
    local = next(r for r in _yaml(PRE_COMMIT)["repos"] if r["repo"] == "local")
    return next(h for h in local["hooks"] if h["id"] == hook_id)


def _notebook(outputs: list[Any]) -> str:
    cell = {
        "cell_type": "code",
        "execution_count": None,
        "metadata": {},
        "outputs": outputs,
        "source": ["print(1)"],
    }
    return json.dumps({"cells": [cell], "nbformat": 4}, indent=1)


@pytest.mark.parametrize(
    ("outputs", "refused"),
    [
        ([], False),
        ([{"output_type": "stream", "name": "stdout", "text": ["1\n"]}], True),
    ],
)
def test_notebook_hook_refuses_outputs(
    outputs: list[Any], refused: bool, tmp_path: Path
) -> None:
    hook = _local_hook("no-notebook-output")
    assert hook["language"] == "pygrep"
    assert re.search(hook["files"], "docs/page.ipynb")
    path = tmp_path / "page.ipynb"
    path.write_text(_notebook(outputs))
    found = pygrep.main([*hook["args"], hook["entry"], str(path)])
    assert bool(found) is refused


def test_build_output_hook_refuses_docs_build() -> None:
    hook = _local_hook("no-build-output")
    assert hook["language"] == "fail"
    assert re.search(hook["files"], "docs/_build/html/index.html")
    assert not re.search(hook["files"], "docs/index.md")


# ------------------------------------------------------------- workflows --


def test_ci_runs_ci_run_on_push_and_pull_request() -> None:
    workflow = _yaml(ROOT / ".github" / "workflows" / "ci.yml")
    assert {"push", "pull_request"} <= set(_on(workflow))
    (job,) = workflow["jobs"].values()
    assert job["runs-on"].startswith("ubuntu-")
    # Debian with Python 3.11, where .ci/run installs Chromium with apt
    assert re.fullmatch(r"python:3\.11-(bookworm|trixie)", job["container"])
    ci_run = (ROOT / ".ci" / "run").read_text()
    assert "apt-get install" in ci_run
    assert "chromium" in ci_run
    runs = [s.get("run", "") for s in job["steps"]]
    assert "bash .ci/run" in runs
    cached = [
        s["with"]["path"]
        for s in job["steps"]
        if s.get("uses", "").startswith("actions/cache@")
    ]
    assert cached == ["~/.cache/pip", ".nox"]
    uploaded = {
        s["with"]["path"]: s.get("if")
        for s in job["steps"]
        if s.get("uses", "").startswith("actions/upload-artifact@")
    }
    assert uploaded == {
        "docs/_build/html": "always()",
        "docs/_build/screenshots": "always()",
    }


def test_pages_publishes_the_built_site_from_main() -> None:
    workflow = _yaml(ROOT / ".github" / "workflows" / "pages.yml")
    assert _on(workflow)["push"] == {"branches": ["main"]}
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    runs = " ".join(s.get("run", "") for s in build["steps"])
    assert "nox --non-interactive -s docs" in runs
    assert f'"nox=={NOX_PIN and NOX_PIN[1]}"' in runs
    python = next(
        s
        for s in build["steps"]
        if s.get("uses", "").startswith("actions/setup")
    )
    assert python["with"]["python-version"] == "3.11"
    upload = next(
        s
        for s in build["steps"]
        if s.get("uses", "").startswith("actions/upload-pages-artifact@")
    )
    assert upload["with"]["path"] == "docs/_build/html"
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["steps"][-1]["uses"].startswith("actions/deploy-pages@")


def test_read_the_docs_runs_the_nox_docs_session() -> None:
    config = _yaml(ROOT / ".readthedocs.yaml")
    assert config["version"] == 2
    assert config["build"]["tools"]["python"] == "3.11"
    commands = config["build"]["commands"]
    assert f'python -m pip install "nox=={NOX_PIN and NOX_PIN[1]}"' in commands
    assert "python -m nox --non-interactive -s docs" in commands
    assert commands[-1] == (
        'cp -a docs/_build/html/. "$READTHEDOCS_OUTPUT/html/"'
    )
