"""YAML read with the line of every key, for ``path:line: message`` problems."""

from __future__ import annotations

from pathlib import Path

import pytest

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


def _alias_bomb(depth: int, width: int = 9) -> str:
    """YAML whose last anchor expands to ``width ** depth`` values through aliases."""
    lines = ["a0: &a0 [x]"]
    for level in range(1, depth + 1):
        refs = ", ".join([f"*a{level - 1}"] * width)
        lines.append(f"a{level}: &a{level} [{refs}]")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("title: x\npublished: 2025-06-31\n", 2, "2025-06-31"),
        ("title: x\nauthor: " + "9" * 5000 + "\n", 2, "999"),
        ("title: x\nbad: " + "[" * 20000 + "]" * 20000 + "\n", 2, "nest"),
        ("title: x\nbad:\n" + "- " * 20000 + "x\n", 3, "nest"),
        ("a: 1\nb: \x00\n", 2, "control characters"),
    ],
)
def test_values_the_reader_cannot_take_are_problems_with_their_line(text, line, words):
    reader = YamlReader(Path("f.yaml"), text)
    assert reader.data is None
    [problem] = reader.problems
    assert (problem.path, problem.line) == ("f.yaml", line)
    assert words in problem.message and len(problem.message) < 300


def test_the_first_line_offsets_every_line():
    reader = YamlReader(Path("f.md"), "title: x\npublished: 2025-02-30\n", first_line=2)
    assert [p.line for p in reader.problems] == [3]


def test_a_key_given_twice_is_a_problem_at_its_second_line():
    # YAML keeps only the last: an operator's first entry would vanish without a word
    reader = YamlReader(Path("g.yaml"), "uk:\n  talks: [a]\n  peace: [b]\n  talks: [c]\nru: {}\n")
    [problem] = reader.problems
    assert (problem.line, problem.message) == (4, "uk: 'talks' given twice (also on line 2)")
    assert not YamlReader(Path("ok.yaml"), "a:\n  talks: 1\nb:\n  talks: 2\n").problems


def test_an_alias_bomb_is_one_problem_not_a_hang():
    reader = YamlReader(Path("bomb.yaml"), _alias_bomb(depth=6))
    assert reader.data is None
    [problem] = reader.problems
    assert "alias" in problem.message and problem.line > 1


def test_a_few_shared_aliases_are_fine():
    reader = YamlReader(Path("ok.yaml"), _alias_bomb(depth=3))
    assert not reader.problems
    assert len(reader.data["a3"]) == 9 and reader.data["a3"][0][0] == [["x"]] * 9


def test_a_file_that_is_not_utf8_is_one_problem_with_its_line(tmp_path):
    path = tmp_path / "t.yaml"
    path.write_bytes("a: 1\nb: Київ\n".encode("cp1251"))
    reader = YamlReader.read(path)
    assert reader.data is None
    [problem] = reader.problems
    assert (problem.path, problem.line) == (str(path), 2)
    assert "UTF-8" in problem.message


def test_a_missing_file_is_one_problem(tmp_path):
    reader = YamlReader.read(tmp_path / "none.yaml")
    [problem] = reader.problems
    assert reader.data is None and "cannot read" in problem.message


def test_merge_key_bombs_and_self_references_are_problems():
    merges = ["m0: &m0 {a: 1, b: 2}"] + [
        f"m{n}: &m{n} {{<<: [{', '.join([f'*m{n - 1}'] * 9)}]}}" for n in range(1, 30)
    ]
    reader = YamlReader(Path("m.yaml"), "\n".join(merges) + "\n")
    [problem] = reader.problems
    assert reader.data is None and "aliases expand" in problem.message
    reader = YamlReader(Path("r.yaml"), "top:\n  loop: &loop [1, *loop]\n")
    [problem] = reader.problems
    assert reader.data is None and problem.line == 2 and "refers to" in problem.message
