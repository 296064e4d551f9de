"""YAML read with the line of every key, for ``path:line: message`` problems."""

from __future__ import annotations

from pathlib import Path

from knowledge.yamlfile import YamlReader

TEXT = """\
top:
  name: x
  items:
    - a
    - b
other: [1, 2]
"""


def test_problems_point_at_the_nearest_known_line():
    reader = YamlReader(Path("f.yaml"), TEXT)
    assert reader.data["top"]["items"] == ["a", "b"]
    reader.problem(("top", "items", 1), "bad item")
    reader.problem(("top", "name"), "bad name")
    reader.problem(("top", "missing"), "absent key")
    reader.problem(("other",), "bad list")
    assert [str(p) for p in reader.problems] == [
        "f.yaml:5: top.items.1: bad item",
        "f.yaml:2: top.name: bad name",
        "f.yaml:1: top.missing: absent key",
        "f.yaml:6: other: bad list",
    ]


def test_invalid_yaml_is_one_problem_with_its_line():
    reader = YamlReader(Path("g.yaml"), "a: 1\nb: [unclosed\nc: 2\n")
    assert reader.data is None
    [problem] = reader.problems
    assert problem.path == "g.yaml" and problem.line >= 2
    assert problem.message.startswith("invalid YAML")


def test_strings_and_phrases_report_bad_values():
    reader = YamlReader(Path("h.yaml"), "words: [peace, 2014]\nbad: {a: 1}\n")
    assert reader.strings(reader.data["words"], ("words",)) == ["peace", "2014"]
    assert reader.strings(reader.data["bad"], ("bad",)) == []
    assert reader.phrases(["the Minsk talks", "of the"], ("words",)) == [("minsk", "talk")]
    assert [p.message for p in reader.problems] == [
        "bad: expected a list of words or phrases",
        "words.1: 'of the' has no searchable word",
    ]
