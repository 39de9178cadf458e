"""The install files agree with each other, and the two README commands are wired up."""

from __future__ import annotations

import importlib.metadata
import re
import subprocess
import sys
from pathlib import Path

import yaml
from packaging.requirements import Requirement

import llmprep

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_name(requirement: str) -> str:
    return canonical(re.split(r"[\[<>=!~; ]", requirement, maxsplit=1)[0])


def environment(python: str = "3.11.7", platform: str = "linux") -> dict[str, str]:
    """The marker environment of one interpreter and platform."""
    return {
        "python_version": ".".join(python.split(".")[:2]),
        "python_full_version": python,
        "sys_platform": platform,
        "platform_system": {"linux": "Linux", "darwin": "Darwin"}[platform],
        "platform_machine": "x86_64" if platform == "linux" else "arm64",
        "os_name": "posix",
        "implementation_name": "cpython",
        "platform_python_implementation": "CPython",
    }


def constraint_pins(python: str = "3.11.7", platform: str = "linux") -> dict[str, str]:
    """The version constraints.txt pins for each package on one Python and platform."""
    pins = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            req = Requirement(line)
            if req.marker is None or req.marker.evaluate(environment(python, platform)):
                assert req.name not in pins, f"{req.name} pinned twice for Python {python}"
                pins[canonical(req.name)] = next(iter(req.specifier)).version
    return pins


def pyproject_requirements() -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"].values()
    return [*project["dependencies"], *(req for extra in extras for req in extra)]


def test_every_dependency_is_pinned_for_every_python_and_torch_is_2_13() -> None:
    for python in ("3.10.13", "3.11.2", "3.11.7", "3.12.1", "3.13.0"):
        for platform in ("linux", "darwin"):
            pins = constraint_pins(python, platform)
            missing = [
                req
                for req in map(Requirement, pyproject_requirements())
                if (req.marker is None or req.marker.evaluate(environment(python, platform)))
                and canonical(req.name) not in pins
            ]
            assert not missing, f"Python {python} on {platform}: run `make constraints` ({missing})"
            assert pins["torch"] == "2.13.0"


def test_environment_yml_has_the_same_pins() -> None:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    conda_pins = dict(line.split("==") for line in pip_section if "==" in line)
    conda_pins = {canonical(name): version for name, version in conda_pins.items()}
    pins = constraint_pins("3.11.7")  # the environment's python=3.11
    wanted = {
        canonical(req.name)
        for req in map(Requirement, pyproject_requirements())
        if req.marker is None or req.marker.evaluate(environment("3.11.7"))
    }
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
    for command in ("fetch", "info", "prepare", "site", "slides", "glossary"):
        assert re.search(rf"^    {command} ", out.stdout, re.M), command
    assert "`" not in out.stdout and ":mod:" not in out.stdout  # plain text, not reST
    version = subprocess.run([str(script), "--version"], capture_output=True, text=True)
    assert version.stdout.strip() == f"llmprep {llmprep.__version__}"
    assert llmprep.__version__ == importlib.metadata.version("llmprep")


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
