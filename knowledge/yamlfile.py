"""The one safe YAML reader: every problem is ``path:line: message``, time and depth bounded.

Every YAML file the project reads (front matter, sidecars, taxonomy, glossary, synonyms,
question sets, the bot's config) goes through `YamlReader`. Nothing it is given raises:
invalid YAML, text that is not UTF-8, a value Python cannot take (``2025-06-31``, a
5,000-digit number), nesting deeper than `MAX_DEPTH` and aliases that expand to more than
`MAX_ALIAS_VALUES` extra values (a "billion laughs") each become one `Problem`. The node tree
is measured before anything is built from it, so a hostile file costs time linear in its size.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError

from knowledge.language.tokenize import tokenize
from knowledge.models import Problem
from knowledge.taxonomy.phrases import Phrase

__all__ = [
    "MAX_ALIAS_VALUES",
    "MAX_DEPTH",
    "YamlPath",
    "YamlReader",
    "decode_utf8",
    "first_file",
    "shipped_file",
]

MAX_DEPTH = 100  # nesting levels; the project's files use fewer than 10
MAX_ALIAS_VALUES = 100_000  # values aliases may add beyond the file's own
_SHOWN = 40  # characters of a bad value quoted in a message

YamlPath = tuple[str | int, ...]


def shipped_file(name: str) -> Path:
    """The shipped ``knowledge/data/<name>``."""
    return Path(str(resources.files("knowledge") / "data" / name))


def first_file(dirs: Sequence[Path] | None, name: str) -> Path:
    """The first ``name`` in the knowledge folders ``dirs`` (it replaces the shipped one), else
    the shipped one."""
    for folder in dirs or ():
        candidate = Path(folder) / name
        if candidate.is_file():
            return candidate
    return shipped_file(name)


class _SafeConstructor(yaml.constructor.SafeConstructor):
    """SafeConstructor whose value errors name the value and carry its position."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        """The value of ``node``; a value Python cannot take is a ConstructorError at its mark."""
        try:
            return super().construct_object(node, deep)
        except (ValueError, OverflowError) as exc:
            value = str(node.value) if isinstance(node, yaml.ScalarNode) else node.tag
            shown = repr(value[:_SHOWN]) + (
                f" ({len(value)} characters)" if len(value) > _SHOWN else ""
            )
            reason = str(exc).split(";")[0]
            raise ConstructorError(
                None, None, f"cannot take {shown}: {reason}", node.start_mark
            ) from exc


try:  # libyaml when available: 10x faster
    from yaml.cyaml import CParser as _PARSER
except ImportError:  # pragma: no cover - PyYAML without libyaml
    _PARSER = None
if _PARSER is not None:

    class _Loader(_PARSER, _SafeConstructor, yaml.resolver.Resolver):  # type: ignore[misc,valid-type]
        """libyaml's parser with the safe constructor."""

        def __init__(self, text: str) -> None:
            _PARSER.__init__(self, text)
            _SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)

else:  # pragma: no cover - PyYAML without libyaml

    class _Loader(  # type: ignore[no-redef]
        yaml.reader.Reader,
        yaml.scanner.Scanner,
        yaml.parser.Parser,
        yaml.composer.Composer,
        _SafeConstructor,
        yaml.resolver.Resolver,
    ):
        """PyYAML's pure-Python parser with the safe constructor."""

        def __init__(self, text: str) -> None:
            yaml.reader.Reader.__init__(self, text)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)
            yaml.composer.Composer.__init__(self)
            _SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)


def decode_utf8(path: Path | str, data: bytes) -> tuple[str | None, Problem | None]:
    """``data`` as text (a UTF-8 BOM dropped), or a problem naming the line of the bad byte."""
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        msg = f"not UTF-8 text (byte 0x{data[exc.start]:02x}); save the file as UTF-8"
        return None, Problem(str(path), line, msg)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return list(node.value) if isinstance(node, yaml.SequenceNode) else []


def _measure(root: yaml.Node) -> tuple[yaml.Node, str] | None:
    """The first node nested too deeply, expanding too far or containing itself, and why.

    Each distinct node is visited once (iteratively), its expanded size and height summed from
    its children's: linear in the file however its aliases are shared.
    """
    size: dict[int, int] = {}
    height: dict[int, int] = {}
    pending: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if children_done:
            kids = _children(node)
            size[key] = 1 + sum(size[id(k)] for k in kids)
            height[key] = 1 + max((height[id(k)] for k in kids), default=0)
            pending.discard(key)
            if height[key] > MAX_DEPTH:
                return node, f"nested deeper than {MAX_DEPTH} levels"
            if size[key] > len(size) + MAX_ALIAS_VALUES:
                return node, f"aliases expand to more than {MAX_ALIAS_VALUES:,} values"
        elif key in pending:
            return node, "an alias refers to the value that contains it"
        elif key not in size:
            pending.add(key)
            stack.append((node, True))
            stack.extend((kid, False) for kid in reversed(_children(node)))
    return None


class YamlReader:
    """One YAML text parsed safely: ``data`` (None on a problem), ``problems``, key lines."""

    def __init__(self, path: Path | str, text: str, first_line: int = 1) -> None:
        self.path = str(path)
        self.first_line = first_line
        self._last_line = text.rstrip("\n").count("\n")  # libyaml may point past the end
        self.problems: list[Problem] = []
        self.lines: dict[YamlPath, int] = {}
        self.data: Any = None
        try:
            self._load(text)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            self.problem((), f"invalid YAML: {exc.problem or exc.context}", mark)
        except yaml.reader.ReaderError as exc:
            line = text[: exc.position].count("\n") + first_line
            self.problems.append(Problem(self.path, line, f"invalid YAML: {exc.reason}"))
        except yaml.YAMLError as exc:
            self.problem((), f"invalid YAML: {str(exc).splitlines()[0]}")
        except RecursionError:  # only PyYAML's pure-Python composer recurses
            self.problem((), f"invalid YAML: nested deeper than {MAX_DEPTH} levels")

    @classmethod
    def read(cls, path: Path, what: str = "file") -> YamlReader:
        """The YAML file at ``path``; an unreadable or non-UTF-8 file is one problem."""
        try:
            text, bad = decode_utf8(path, Path(path).read_bytes())
        except OSError as exc:
            text, bad = None, Problem(str(path), 1, f"cannot read {what}: {exc.strerror or exc}")
        reader = cls(path, text or "")
        if bad is not None:
            reader.problems, reader.data, reader.lines = [bad], None, {}
        return reader

    def _load(self, text: str) -> None:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                return
            too_much = _measure(node)
            if too_much is not None:
                self.problem((), too_much[1], too_much[0].start_mark)
                return
            self._index(node, ())
            self.data = loader.construct_document(node)
        finally:
            loader.dispose()

    def _index(self, node: yaml.Node, at: YamlPath) -> None:
        """The line of every path; bounded, as `_measure` has bounded the expanded tree."""
        self.lines.setdefault(at, node.start_mark.line + self.first_line)
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    path = (*at, key.value)
                    if path in self.lines:  # YAML would keep only the last value
                        why = f"{key.value!r} given twice (also on line {self.lines[path]})"
                        self.problem(at, why, key.start_mark)
                    self._index(value, path)
                    self.lines[path] = key.start_mark.line + self.first_line
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                self._index(item, (*at, i))

    def problem(self, at: YamlPath, message: str, mark: Any = None) -> None:
        """Record a problem at the YAML path ``at`` (its nearest known line), or at ``mark``."""
        line = self.first_line + (min(mark.line, self._last_line) if mark is not None else 0)
        for cut in range(len(at), -1, -1):
            if at[:cut] in self.lines and mark is None:
                line = self.lines[at[:cut]]
                break
        where = ".".join(str(p) for p in at)
        self.problems.append(Problem(self.path, line, f"{where}: {message}" if where else message))

    def strings(self, value: Any, at: YamlPath) -> list[str]:
        """A list of non-empty strings (numbers allowed), else a problem and []."""
        if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
            self.problem(at, "expected a list of words or phrases")
            return []
        return [str(v) for v in value]

    def word(self, value: Any, at: YamlPath, rule: str) -> str | None:
        """``value`` as one search word (stemmed); None and a problem saying ``rule`` when it is
        a stopword or several words."""
        text = str(value)
        found = tokenize(text)
        if len(found) == 1:
            return found[0]
        what = f"{len(found)} search words" if found else "a stopword"
        self.problem(at, f"{text!r} is {what}: {rule}")
        return None

    def phrase(
        self, text: str, language: str, at: YamlPath, stop: frozenset[str] = frozenset()
    ) -> Phrase:
        """``text`` as stemmed tokens; a problem when nothing searchable is left."""
        tokens = tuple(tokenize(text, language, stop))
        if not tokens:
            self.problem(at, f"{text!r} has no searchable word")
        return tokens

    def phrases(self, texts: list[str], at: YamlPath) -> list[Phrase]:
        """The English ``texts`` as stemmed phrases, unsearchable ones reported and dropped."""
        return [p for i, t in enumerate(texts) if (p := self.phrase(t, "en", (*at, i)))]
