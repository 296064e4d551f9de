"""`check` and `ask` on hostile knowledge files: exit 1 with `path:line: message`, no traceback."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from knowledge.taxonomy.loader import default_taxonomy_path
from tests.helpers.cli import run_cli, run_module
from tests.knowledge.conftest import write_source

GOOD = "The delegations met in Istanbul to discuss a ceasefire."
BOMB = "x0: &x0 [peace]\n" + "".join(
    f"x{n}: &x{n} [{', '.join([f'*x{n - 1}'] * 9)}]\n" for n in range(1, 30)
)  # 9 ** 29 values once its aliases are expanded


def _front_matter(line: str, at: int = 3) -> Callable[[Path], tuple[Path, int]]:
    def write(folder: Path) -> tuple[Path, int]:
        path = folder / "bad.md"
        path.write_text(f"---\ntitle: Bad\n{line}\n---\n{GOOD}\n", encoding="utf-8")
        return path, at

    return write


def _sidecar(line: str) -> Callable[[Path], tuple[Path, int]]:
    def write(folder: Path) -> tuple[Path, int]:
        (folder / "raw.txt").write_text(f"Raw title\n{GOOD}\n", encoding="utf-8")
        path = folder / "raw.meta.yaml"
        path.write_text(f"title: Raw\n{line}\n", encoding="utf-8")
        return path, 2

    return write


def _taxonomy_file(
    name: str, change: Callable[[str], tuple[bytes, int]]
) -> Callable[[Path], tuple[Path, int]]:
    def write(folder: Path) -> tuple[Path, int]:
        shipped = default_taxonomy_path().parent
        for each in ("taxonomy.yaml", "glossary.yaml"):
            shutil.copy(shipped / each, folder / each)
        path = folder / name
        data, line = change(path.read_text(encoding="utf-8"))
        path.write_bytes(data)
        return path, line

    return write


def _not_utf8(text: str) -> tuple[bytes, int]:
    """``text`` in cp1251; the line of its first Cyrillic letter."""
    first = next(i for i, row in enumerate(text.splitlines(), 1) if not row.isascii())
    return text.encode("cp1251", errors="replace"), first


def _bombed(text: str) -> tuple[bytes, int]:
    """``text`` with `BOMB` appended; the line where the aliases pass the limit (x5)."""
    return (text + BOMB).encode(), text.count("\n") + 6


HOSTILE = {
    "impossible date": _front_matter("published: 2025-06-31"),
    "5,000-digit number": _front_matter("author: " + "9" * 5000),
    "20,000 nested brackets": _front_matter("author: " + "[" * 20000 + "]" * 20000),
    "20,000 nested block lists": _front_matter("author:\n" + "- " * 20000 + "x", at=4),
    "alias bomb in front matter": _front_matter(BOMB.rstrip("\n"), at=8),
    "sidecar impossible date": _sidecar("published: 2025-02-30"),
    "sidecar deep nesting": _sidecar("author: " + "[" * 20000 + "]" * 20000),
    "taxonomy not UTF-8": _taxonomy_file("taxonomy.yaml", _not_utf8),
    "glossary not UTF-8": _taxonomy_file("glossary.yaml", _not_utf8),
    "taxonomy alias bomb": _taxonomy_file("taxonomy.yaml", _bombed),
    "glossary alias bomb": _taxonomy_file("glossary.yaml", _bombed),
}


@pytest.fixture
def hostile(request, tmp_path, monkeypatch) -> tuple[Path, Path, int]:
    """A knowledge folder with one good source and one hostile file; its config."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    folder = tmp_path / "knowledge"
    folder.mkdir()
    write_source(folder, "good.md", "Good", GOOD)
    path, line = HOSTILE[request.param](folder)
    config = tmp_path / "c.yaml"
    config.write_text(
        f"knowledge:\n  dirs: [{folder}]\nstorage:\n  dir: {tmp_path / 'data'}\n", encoding="utf-8"
    )
    return config, path, line


def _named(output: str, path: Path, line: int) -> bool:
    """Some line of ``output`` is ``path:line: message``."""
    return any(row.startswith(f"{path}:{line}: ") for row in output.splitlines())


@pytest.mark.parametrize("hostile", sorted(HOSTILE), indirect=True)
def test_check_names_the_hostile_file_and_exits_1(hostile):
    config, path, line = hostile
    result = run_cli("check", "--config", str(config))
    assert result.code == 1, result.out + result.err
    assert _named(result.out, path, line), result.out
    assert "Traceback" not in result.out + result.err


@pytest.mark.parametrize("hostile", sorted(HOSTILE), indirect=True)
def test_ask_names_the_hostile_file_and_exits_1(hostile):
    config, path, line = hostile
    result = run_cli("ask", "--config", str(config), "where did the delegations meet")
    assert result.code == 1, result.out + result.err
    assert _named(result.err, path, line), result.err
    assert "Traceback" not in result.out + result.err


@pytest.mark.parametrize("hostile", ["impossible date", "glossary alias bomb"], indirect=True)
def test_run_names_the_hostile_file_and_exits_1_before_reaching_telegram(hostile):
    config, path, line = hostile
    result = run_module("run", "--config", str(config), env={"TELEGRAM_BOT_TOKEN": "1:x"})
    assert result.code == 1, result.err
    assert f"{path}:{line}: " in result.err
    assert "Traceback" not in result.out + result.err


def test_check_warns_of_taxonomy_files_that_are_not_read(tmp_path, monkeypatch):
    """A glossary.yaml with no taxonomy.yaml beside it, or a second folder's taxonomy, is
    ignored by the bot (even a broken one): `check` says so rather than "ok"."""
    monkeypatch.chdir(tmp_path)
    first, second = tmp_path / "first", tmp_path / "second"
    for folder in (first, second):
        folder.mkdir()
    write_source(first, "good.md", "Good", GOOD)
    lone = first / "glossary.yaml"
    lone.write_bytes("uk:\n  talks: [переговори]\n".encode("cp1251"))
    _taxonomy_file("taxonomy.yaml", lambda text: (text.encode(), 0))(second)
    config = tmp_path / "c.yaml"
    config.write_text(f"knowledge:\n  dirs: [{first}, {second}]\n", encoding="utf-8")
    result = run_cli("check", "--config", str(config))
    assert result.code == 0, result.out
    used = second / "taxonomy.yaml"
    assert f"{lone}:1: warning: not read: a glossary.yaml is read only beside {used}" in result.out
    config.write_text(f"knowledge:\n  dirs: [{second}, {first}]\n", encoding="utf-8")
    assert f"{lone}:1: warning: not read" in run_cli("check", "--config", str(config)).out
    shutil.copy(used, first / "taxonomy.yaml")
    result = run_cli("check", "--config", str(config))
    assert f"{first / 'taxonomy.yaml'}:1: warning: not read: the taxonomy in use is {used}" in (
        result.out
    )
