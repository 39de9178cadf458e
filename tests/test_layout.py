"""The house: the library imports nothing of the course, no module imports itself back
through others (a circle), and the library runs without Jupyter.

Imports are read from the source (every ``import`` anywhere in a module, inside
functions too, except under ``if TYPE_CHECKING:``), so a lazy import counts as much as
one at the top. Two doors lead from the package into the course, by name: the package's
``__init__`` (the names the notebooks use, loaded on first use) with the modules
``llmprep.plots`` and ``llmprep.playground``, and the ``llmprep`` command's course
subcommands in ``llmprep.cli``.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import llmprep

PACKAGE = Path(llmprep.__file__).parent
#: Library modules that may name the course, and what they may name of it.
DOORS = {
    "llmprep.cli": {"llmprep.course.commands"},
    "llmprep.plots": {"llmprep.course.plots"},
    "llmprep.playground": {"llmprep.course.playground"},
}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in PACKAGE.rglob("*.py")}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _package_names() -> dict[str, str]:
    """What the package's ``__init__`` exports, and from which module."""
    names = dict(llmprep._LAZY)
    for node in ast.walk(ast.parse(MODULES["llmprep"].read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("llmprep"):
            names.update({a.asname or a.name: node.module for a in node.names})
    return names


def _defining_module(name: str) -> str:
    """Where ``from llmprep import name`` takes ``name`` from."""
    if f"llmprep.{name}" in MODULES:
        return f"llmprep.{name}"
    return _package_names().get(name, "llmprep")  # defined in the package itself


def imports(name: str) -> set[str]:
    """The llmprep modules that module ``name`` imports."""
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("llmprep"))
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == "llmprep":
                found.update(_defining_module(a.name) for a in node.names)
            elif node.module.startswith("llmprep"):
                for alias in node.names:
                    submodule = f"{node.module}.{alias.name}"
                    found.add(submodule if submodule in MODULES else node.module)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    found.discard(name)
    return {m for m in found if m in MODULES}


def is_course(name: str) -> bool:
    return name == "llmprep.course" or name.startswith("llmprep.course.")


def test_no_library_module_imports_the_course() -> None:
    library = [m for m in MODULES if not is_course(m) and m != "llmprep"]
    assert {"llmprep.bpe", "llmprep.tokenfile", "llmprep.dataset", "llmprep.cli"} <= set(library)
    for name in library:
        entered = {m for m in imports(name) if is_course(m)}
        assert entered <= DOORS.get(name, set()), f"{name} imports the course: {sorted(entered)}"
    # the package's lazy names: only those the notebooks use lead into the course
    lazy = {k for k, module in llmprep._LAZY.items() if is_course(module)}
    assert lazy == {"exercises", "show_source", "show_tokens", "plot_token_frequencies"}


def test_no_module_imports_itself_back_through_others() -> None:
    graph = {name: imports(name) for name in MODULES}
    for start in graph:
        # subtle: a package's __init__ importing its own submodules is how packages work;
        # a circle is a submodule (or anything) importing its way back to where it began
        seen, stack = set(), [(start, [start])]
        while stack:
            node, path = stack.pop()
            for nxt in graph[node]:
                if nxt == start and not _package_and_child(start, node):
                    raise AssertionError(f"import circle: {' -> '.join([*path, start])}")
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append((nxt, [*path, nxt]))


def _package_and_child(package: str, module: str) -> bool:
    return MODULES[package].name == "__init__.py" and module.startswith(package + ".")


def test_the_bpe_family_is_ordered_one_way() -> None:
    assert "llmprep.bpe" not in imports("llmprep.bpe_formats")
    assert "llmprep.bpe" not in imports("llmprep.bpe_merge")
    assert "llmprep.bpe_formats" in imports("llmprep.bpe")


def test_the_library_runs_without_jupyter_or_the_course() -> None:
    library = sorted(m for m in MODULES if not is_course(m) and m not in DOORS)
    code = (
        "import importlib, sys\n"
        f"for m in {library!r}: importlib.import_module(m)\n"
        "from llmprep import cli\n"
        "cli.main(['info'])\n"
        "bad = sorted(m for m in sys.modules if m.startswith(('llmprep.course', 'IPython', "
        "'ipywidgets', 'jupyter', 'nbconvert', 'nbformat', 'matplotlib')))\n"
        "print('LOADED', bad)\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip().splitlines()[-1] == "LOADED []"


def test_one_byte_to_symbol_map() -> None:
    for name, path in MODULES.items():
        if name != "llmprep.gpt2":
            assert "chr(256 +" not in path.read_text(encoding="utf-8"), name


def test_only_the_structure_module_reads_notebook_text() -> None:
    for name in ("llmprep.course.site", "llmprep.course.site_html", "llmprep.course.slides",
                 "llmprep.course.site_files"):  # fmt: skip
        text = MODULES[name].read_text(encoding="utf-8")
        for marker in ("Time in class", "What you will learn", "\"tags\"", "hint(",
                       "exercises.get", "\"## ", "'## ", "\"> "):  # fmt: skip
            assert marker not in text, f"{name} parses notebooks itself: {marker!r}"
