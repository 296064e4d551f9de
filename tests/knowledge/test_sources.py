from pathlib import Path

import pytest

from knowledge.sources import load_sources, read_source


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def test_markdown_front_matter_gives_metadata(tmp_path):
    path = write(
        tmp_path,
        "minsk.md",
        "---\ntitle: Minsk talks\nauthor: A. Writer\npublished: 2015-02-12\n"
        "url: https://example.org/minsk\n---\nThe Minsk II agreement was signed in 2015.\n",
    )
    source, problems, _ = read_source(path)
    assert problems == []
    assert (source.id, source.title, source.author) == ("minsk", "Minsk talks", "A. Writer")
    assert (source.published, source.url) == ("2015-02-12", "https://example.org/minsk")
    assert source.text == "The Minsk II agreement was signed in 2015."


def test_txt_first_line_is_title_only_when_it_reads_as_one(tmp_path):
    titled = write(tmp_path, "a.txt", "Talks Resume in Geneva\nDelegates met on Monday.\n")
    untitled = write(tmp_path, "b_news-item.txt", "Delegates met on Monday.\nThey left.\n")
    source, _, _ = read_source(titled)
    assert source.title == "Talks Resume in Geneva"
    assert source.text == "Delegates met on Monday."
    source, _, _ = read_source(untitled)
    assert source.title == "B news item"
    assert source.text.startswith("Delegates met on Monday.")


def test_sidecar_metadata_wins_and_repeated_title_line_is_dropped(tmp_path):
    write(tmp_path, "c.meta.yaml", "title: The Real Title\nauthor: Jane Roe\n")
    path = write(tmp_path, "c.txt", "The Real Title\nBody sentence one.\n")
    source, problems, _ = read_source(path)
    assert problems == []
    assert (source.title, source.author, source.text) == (
        "The Real Title",
        "Jane Roe",
        "Body sentence one.",
    )


@pytest.mark.parametrize(
    ("name", "content", "line", "message"),
    [
        ("empty.md", "", 1, "file is empty"),
        ("broken.md", "---\ntitle: [unclosed\n---\nBody.\n", 2, "invalid YAML"),
        ("open.md", "---\ntitle: x\nBody.\n", 1, "never closed"),
        ("notitle.md", "---\nauthor: x\n---\nBody.\n", 1, "no 'title'"),
        ("nofront.md", "Just text.\n", 1, "missing front matter"),
        ("latin1.txt", "Line one.\nCaf\xe9 talks.\n".encode("latin-1"), 2, "not UTF-8"),
        ("binary.txt", b"Title\n\x00\x01\x02binary", 2, "binary file"),
        # a key's problem is on the key's own line
        ("baddate.md", "---\ntitle: x\npublished: soon\n---\nBody.\n", 3, "YYYY-MM-DD"),
        ("badkey.md", "---\ntitle: x\ntitel: y\n---\nBody.\n", 3, "unknown key 'titel'"),
        ("badurl.md", "---\ntitle: x\nauthor: y\nurl: ftp://x\n---\nBody.\n", 4, "http"),
        ("badlang.md", "---\ntitle: x\nlanguage: klingon\n---\nBody.\n", 3, "en, uk or ru"),
    ],
)
def test_bad_files_become_problems_with_path_and_line(tmp_path, name, content, line, message):
    path = write(tmp_path, name, content)
    source, problems, _ = read_source(path)
    assert source is None
    assert len(problems) == 1
    assert (problems[0].path, problems[0].line) == (str(path), line)
    assert message in problems[0].message
    assert str(problems[0]).startswith(f"{path}:{line}: ")


def test_load_reports_every_bad_file_and_duplicate_ids(tmp_path):
    write(tmp_path, "one.md", "---\ntitle: One\nid: same\n---\nText one.\n")
    write(tmp_path, "two.md", "---\ntitle: Two\nid: same\n---\nText two.\n")
    write(tmp_path, "three.md", "")
    write(tmp_path, "notes.csv", "ignored")
    result = load_sources([tmp_path])
    assert [s.id for s in result.sources] == ["same"]
    messages = sorted(p.message for p in result.problems)
    assert messages[0].startswith("duplicate source id 'same'")
    assert messages[1] == "file is empty"


def test_placeholder_is_a_warning_with_its_line(tmp_path):
    path = write(tmp_path, "p.txt", "A Title\nFirst line.\nAnnounced on [insert date].\n")
    source, problems, warnings = read_source(path)
    assert problems == [] and source is not None
    assert [(w.line, w.message) for w in warnings] == [
        (3, "placeholder [insert date] left in the text")
    ]
    assert "[insert date]" not in source.text


def test_missing_folder_is_a_problem(tmp_path):
    result = load_sources([tmp_path / "nope"])
    assert "does not exist" in result.problems[0].message


def test_a_utf16_file_is_named_as_such(tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    path.write_bytes("Talks resumed in Geneva.\n".encode("utf-16"))
    problems = load_sources([tmp_path]).problems
    assert [(p.line, p.message) for p in problems] == [
        (1, 'UTF-16 text (Notepad\'s "Unicode"): save it as UTF-8')
    ]
