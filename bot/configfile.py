"""Reading a config file: the YAML mapping, typed sections and the error that names a key.

:mod:`bot.config` says which keys exist and what they mean; this module reads them and
reports a wrong one as ``file: key: what is wrong``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from bot.configvalues import expand
from knowledge.yamlfile import YamlReader

__all__ = ["ConfigError", "Section", "items", "kind_name", "read_mapping"]


class ConfigError(Exception):
    """A bad configuration, printed as ``file: key: what is wrong``."""

    def __init__(self, file: str, key: str, message: str) -> None:
        super().__init__(f"{file}: {key}: {message}")
        self.file = file
        self.key = key
        self.message = message


def read_mapping(path: Path) -> dict[str, Any]:
    """The top-level mapping of the config file ``path`` (empty for an empty file)."""
    reader = YamlReader.read(path)  # the core's one safe YAML reader, as for knowledge files
    if reader.problems:
        line, message = reader.problems[0].line, reader.problems[0].message
        if not message.startswith("cannot read"):
            kind = "cannot read" if message.startswith("not UTF-8") else "invalid YAML at"
            message = f"{kind} line {line}: {message.removeprefix('invalid YAML: ')}"
        raise ConfigError(str(path), "(file)", message)
    data = reader.data
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(str(path), "(file)", "must be a mapping of sections")
    return data


class Section:
    """One YAML mapping being read: typed getters, and unknown keys reported by full name."""

    def __init__(self, file: str, prefix: str, data: Any, known: set[str]) -> None:
        if data is None:
            data = {}
        if not isinstance(data, dict):
            raise ConfigError(file, prefix, f"must be a mapping, got {kind_name(data)}")
        for key in data:
            if key not in known:
                where = f"{prefix}.{key}" if prefix else str(key)
                raise ConfigError(file, where, f"unknown key (known: {', '.join(sorted(known))})")
        self.file, self.prefix, self.data = file, prefix, data

    def key(self, name: str) -> str:
        """The dotted name of ``name`` in this section."""
        return f"{self.prefix}.{name}" if self.prefix else name

    def get(
        self, name: str, kind: type, default: Any, check: Callable[[Any], str] | None = None
    ) -> Any:
        """The value of ``name`` if it is a ``kind`` (bool is never an int), else ``default``."""
        value = self.data.get(name, default)
        if value is None:
            value = default
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise ConfigError(
                self.file, self.key(name), f"must be {KINDS[kind]}, got {kind_name(value)}"
            )
        problem = check(value) if check else ""
        if problem:
            raise ConfigError(self.file, self.key(name), problem)
        return value

    def path(self, key: str, text: str, base: Path) -> Path:
        """``text``, the value of ``key``, as a path: ``~`` expanded, relative to ``base``."""
        path, problem = expand(text)
        if path is None:
            raise ConfigError(self.file, key, problem)
        return base / path

    def section(self, name: str, known: set[str]) -> Section:
        """The nested mapping ``name``."""
        return Section(self.file, self.key(name), self.data.get(name), known)


KINDS = {str: "a string", int: "an integer", list: "a list", bool: "true or false"}


def kind_name(value: Any) -> str:
    """How a config value's type is named in a message: "an integer", "a mapping"..."""
    if value is None:
        return "nothing"
    return {bool: "a boolean", int: "an integer", float: "a number", str: "a string"}.get(
        type(value), "a list" if isinstance(value, list) else "a mapping"
    )


def items(section: Section, name: str, kind: type, what: str) -> tuple[Any, ...]:
    """The list ``name`` whose every item is a non-empty ``kind`` (bool is never an int)."""
    values = section.get(name, list, [])
    for i, value in enumerate(values):
        bad = not isinstance(value, kind) or isinstance(value, bool) or value == ""
        if bad:
            key = f"{section.key(name)}[{i}]"
            got = "an empty string" if value == "" else kind_name(value)
            raise ConfigError(section.file, key, f"must be {what}, got {got}")
    return tuple(values)
