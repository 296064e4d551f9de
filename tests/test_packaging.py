"""A clean `pip install .` has what the commands import, whichever pip installs it.

Modern pip normalises extra names; pip before 23.3 (the pip a Python 3.11 venv starts with)
compares them as spelled. justext asks for ``lxml[html_clean]`` while lxml names that extra
``html-clean``, so an old pip installs no ``lxml_html_clean`` and ``add`` fails to import
trafilatura. Every distribution the commands import that a modern pip would install must
also be installed by an old one.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.markers import Marker

ROOT = Path(__file__).resolve().parents[1]
OWN = {"bot", "knowledge", "bench", "tests"}
# what `run`, `ask`, `add` and `feeds` import, lazy imports (trafilatura) included
IMPORTS = "bot.cli, bot.app, bot.adding, bot.feeds, bot.feedjob, knowledge, trafilatura"
LIST = "import sys; print('\\n'.join(sorted({m.split('.')[0] for m in sys.modules})))"
_REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[([^\]]*)\])?")
_EXTRA = re.compile(r"""extra\s*==\s*["']([^"']+)["']""")


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _parse(line: str, extras: set[str], literal: bool) -> tuple[str, set[str]] | None:
    """(name, extras asked for) of one requirement line, if it applies with ``extras``."""
    spec, _, marker = line.partition(";")
    wanted = set(_EXTRA.findall(marker))
    if not literal:
        wanted, extras = {_norm(e) for e in wanted}, {_norm(e) for e in extras}
    if wanted and not wanted & extras:
        return None
    environment = {"extra": next(iter(wanted), "")}
    if marker.strip() and not Marker(marker).evaluate(environment):
        return None
    found = _REQUIREMENT.match(spec)
    assert found, line
    asked = {e.strip() for e in (found[2] or "").split(",") if e.strip()}
    return _norm(found[1]), asked


def declared_closure(literal: bool) -> set[str]:
    """Every distribution pyproject's dependencies pull in; extras as spelled if ``literal``."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    todo = [r for line in project["dependencies"] if (r := _parse(line, set(), literal))]
    seen: dict[str, set[str]] = {}
    while todo:
        name, extras = todo.pop()
        if name in seen and extras <= seen[name]:
            continue
        seen[name] = seen.get(name, set()) | extras
        try:
            lines = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue
        todo += [r for line in lines if (r := _parse(line, seen[name], literal))]
    return set(seen)


def _modules(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    ).stdout
    return set(out.split())


def test_an_old_pip_installs_everything_the_commands_import() -> None:
    loaded = _modules(f"import {IMPORTS}; {LIST}") - _modules(LIST) - OWN
    owners = metadata.packages_distributions()
    imported = {_norm(d) for m in loaded - set(sys.stdlib_module_names) for d in owners.get(m, [])}
    needed = imported & declared_closure(literal=False)  # not httpx's optional CLI, say
    assert {"python-telegram-bot", "trafilatura", "lxml"} <= needed
    assert needed - declared_closure(literal=True) == set()


def _console_script(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run ``ceasefire-bot ARGS`` as pip's generated script does: import the entry point that
    pyproject names and call it."""
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    module, _, function = scripts["scripts"]["ceasefire-bot"].partition(":")
    code = f"import sys; from {module} import {function} as main; sys.exit(main())"
    return _run([sys.executable, "-c", code, *args], cwd)


def _run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        command, capture_output=True, text=True, cwd=cwd, env=env, timeout=120, check=False
    )


def test_the_console_script_is_the_same_cli_as_python_m_bot(tmp_path: Path) -> None:
    took = re.compile(r'"took_ms": [0-9.]+')
    for args, code in ((["ask", "--json", "--top", "1", "minsk 2015"], 0), (["run"], 2)):
        script = _console_script(*args, cwd=tmp_path)
        module = _run([sys.executable, "-m", "bot", *args], tmp_path)
        assert script.returncode == module.returncode == code, script.stderr
        assert took.sub("", script.stdout) == took.sub("", module.stdout)
        assert script.stderr == module.stderr


def test_pip_install_ships_every_data_file_of_the_packages() -> None:
    """``pip install .`` copies only what package-data names: every file the packages read
    (taxonomy, glossary, the shipped corpus) must match one of its patterns."""
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]
    patterns = setuptools["setuptools"]["package-data"]
    for package in ("bot", "knowledge", "bench"):
        folder = ROOT / package
        shipped = {p for pattern in patterns.get(package, []) for p in folder.glob(pattern)}
        for path in folder.rglob("*"):
            if path.is_file() and path.suffix not in (".py", ".pyc"):
                assert path in shipped, path.relative_to(ROOT)
