"""The Python lock files (issue 20): requirements.txt pins the runtime dependencies of
pyproject.toml with their hashes (the image installs it), requirements-dev.txt the runtime
and dev ones (`make setup`, hence CI, installs it). `make lock` writes both with uv.

This test fails when pyproject.toml and a lock disagree: a dependency added, removed, or
its range moved past the pinned version, without `make lock`. It reads files only.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
PROJECT = "suivi (pyproject.toml)"
CONSTRAINT = "-c requirements.txt"


@dataclass
class Pin:
    name: str
    version: str
    hashes: list[str] = field(default_factory=list)
    via: set[str] = field(default_factory=set)


def read_lock(text: str) -> list[Pin]:
    """uv's requirements format: `name==version [; marker] \\`, `--hash=` lines, `# via` lines."""
    pins: list[Pin] = []
    in_via = False
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("# This file") or stripped.startswith("#    uv "):
            continue
        if match := re.match(r"^([A-Za-z0-9._-]+)==([^\s;\\]+)", line):
            pins.append(Pin(canonicalize_name(match[1]), match[2]))
            in_via = False
        elif stripped.startswith("--hash="):
            pins[-1].hashes.append(stripped.removeprefix("--hash=").rstrip(" \\"))
        elif stripped == "# via":
            in_via = True
        elif stripped.startswith("# via "):
            pins[-1].via.add(stripped.removeprefix("# via "))
            in_via = False
        elif in_via and stripped.startswith("#   "):
            pins[-1].via.add(stripped.removeprefix("#   "))
        else:
            raise AssertionError(f"unexpected line in the lock: {line!r}")
    return pins


def direct_requirements(pyproject: str, extras: tuple[str, ...] = ()) -> list[Requirement]:
    project = tomllib.loads(pyproject)["project"]
    requirements = list(project["dependencies"])
    for extra in extras:
        requirements += project["optional-dependencies"][extra]
    return [Requirement(requirement) for requirement in requirements]


def disagreements(pyproject: str, lock: str, extras: tuple[str, ...] = ()) -> list[str]:
    """What makes `lock` not the lock of `pyproject` (with `extras`): empty when it is."""
    pins = read_lock(lock)
    by_name: dict[str, list[Pin]] = {}
    for pin in pins:
        by_name.setdefault(pin.name, []).append(pin)
    problems = [f"{pin.name}=={pin.version} has no hash" for pin in pins if not pin.hashes]
    direct = {
        canonicalize_name(requirement.name): requirement
        for requirement in direct_requirements(pyproject, extras)
    }
    for name, requirement in direct.items():
        pinned = [pin for pin in by_name.get(name, []) if PROJECT in pin.via]
        if not pinned:
            problems.append(f"{requirement} is in pyproject.toml, not in the lock")
        problems += [
            f"{requirement} in pyproject.toml, {name}=={pin.version} in the lock"
            for pin in pinned
            if not requirement.specifier.contains(pin.version, prereleases=True)
        ]
    for pin in pins:
        if PROJECT in pin.via and pin.name not in direct:
            problems.append(f"{pin.name} is locked for pyproject.toml, which no longer names it")
        parents = {canonicalize_name(parent) for parent in pin.via - {PROJECT, CONSTRAINT}}
        problems += [
            f"{pin.name} is locked for {parent}, which is not" for parent in sorted(parents - set(by_name))
        ]
        if not pin.via - {CONSTRAINT}:
            problems.append(f"{pin.name} is locked for nothing")
    return problems


LOCKS = {"requirements.txt": (), "requirements-dev.txt": ("dev",)}


@pytest.mark.parametrize("lock", LOCKS)
def test_the_lock_is_the_lock_of_pyproject(lock):
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    problems = disagreements(pyproject, (ROOT / lock).read_text(encoding="utf-8"), LOCKS[lock])
    assert not problems, "run `make lock`:\n" + "\n".join(problems)


def test_the_dev_lock_runs_the_runtime_pins():
    runtime = {(pin.name, pin.version) for pin in read_lock((ROOT / "requirements.txt").read_text())}
    dev = {(pin.name, pin.version) for pin in read_lock((ROOT / "requirements-dev.txt").read_text())}
    assert runtime <= dev, sorted(runtime - dev)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda text: text.replace('"pyjwt>=2.9",', '"pyjwt>=2.9",\n  "left-pad>=1.0",'),
            "left-pad>=1.0 is in",
        ),
        (
            lambda text: text.replace('"pyjwt>=2.9",', ""),
            "pyjwt is locked for pyproject.toml, which no longer",
        ),
        (
            lambda text: text.replace('"pyjwt>=2.9",', '"pyjwt>=999",'),
            "pyjwt>=999 in pyproject.toml, pyjwt==",
        ),
    ],
    ids=["added", "removed", "range moved"],
)
def test_a_pyproject_that_moved_on_is_caught(change, expected):
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"pyjwt>=2.9",' in pyproject, "the examples below edit this line"
    problems = disagreements(change(pyproject), (ROOT / "requirements.txt").read_text(encoding="utf-8"))
    assert any(expected in problem for problem in problems), problems


def test_make_setup_and_the_image_install_from_the_locks():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "pip install --quiet --require-hashes --no-deps -r requirements-dev.txt" in makefile
    assert re.search(r"^\$\(VENV\)/\.installed: .*requirements-dev\.txt", makefile, re.MULTILINE)
    dockerfile = (ROOT / "deploy" / "docker" / "Dockerfile").read_text(encoding="utf-8")
    assert "COPY requirements.txt" in dockerfile
    assert "pip install --require-hashes --no-deps -r requirements.txt" in dockerfile
    # Suivi's own wheel, with nothing resolved beside the lock.
    installs = re.findall(r"pip install [^\n\\]*", dockerfile)
    assert all("--no-deps" in line or "--upgrade pip" in line for line in installs), installs
