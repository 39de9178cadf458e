"""The install files agree with each other, and the two README commands are wired up."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import tomllib
import yaml

ROOT = Path(__file__).resolve().parent.parent


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_name(requirement: str) -> str:
    return canonical(re.split(r"[\[<>=!~; ]", requirement, maxsplit=1)[0])


def constraint_pins() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, version = line.split("==")
            pins[canonical(name)] = version.strip()
    return pins


def pyproject_requirements() -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"].values()
    return [*project["dependencies"], *(req for extra in extras for req in extra)]


def test_every_dependency_is_pinned_and_torch_is_the_cpu_release() -> None:
    pins = constraint_pins()
    missing = [req for req in pyproject_requirements() if requirement_name(req) not in pins]
    assert not missing, f"add to constraints.txt: {missing}"
    assert pins["torch"] == "2.13.0"


def test_environment_yml_has_the_same_pins() -> None:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    conda_pins = dict(line.split("==") for line in pip_section if "==" in line)
    conda_pins = {canonical(name): version for name, version in conda_pins.items()}
    pins = constraint_pins()
    wanted = {requirement_name(req) for req in pyproject_requirements()}
    assert set(conda_pins) == wanted
    assert {name: pins[name] for name in wanted} == conda_pins
    assert "-e ." in pip_section
    assert "python=3.11" in env["dependencies"]  # the Python the pins were resolved on


def test_package_is_typed_and_has_the_console_script() -> None:
    assert (ROOT / "llmprep" / "py.typed").is_file()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["scripts"] == {"llmprep": "llmprep.cli:main"}
    script = Path(sys.executable).parent / "llmprep"
    out = subprocess.run([str(script), "--help"], capture_output=True, text=True, check=True)
    assert "fetch" in out.stdout and "info" in out.stdout


def test_ci_runs_the_readme_test_command_with_the_mirror() -> None:
    ci = (ROOT / ".ci" / "run").read_text()
    assert re.search(r"^make test$", ci, re.M)
    assert 'LLMPREP_MIRROR="$(realpath ../shared/data)"' in ci
    readme = (ROOT / "README.md").read_text()
    first_commands = re.findall(r"^make \w+", readme, re.M)[:2]
    assert first_commands == ["make lab", "make test"]


def test_import_is_light() -> None:
    heavy = "{'torch', 'gensim', 'matplotlib', 'pooch'}"
    code = f"import sys, llmprep; print(sorted({heavy} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
