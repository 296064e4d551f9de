import json
import logging
from pathlib import Path

import pytest
import yaml

from bot.config import load_config
from bot.state import BotState
from tests.helpers.cli import run_cli, run_module
from tests.knowledge.conftest import write_source

DEV_SET = Path(__file__).resolve().parents[3] / "shared" / "eval" / "dev_questions.yaml"


@pytest.fixture(autouse=True)
def _no_local_config(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)


def test_ask_prints_cited_excerpts():
    result = run_cli("ask", "What", "did", "Russia", "demand", "at", "the", "Istanbul", "talks?")
    assert result.code == 0
    assert result.out.startswith("1. ")
    assert "— Russia and Ukraine Clash Over Ceasefire Terms — Dr. Muhammad Abdullah" in result.out


def test_ask_json_and_top():
    result = run_cli("ask", "--json", "--top", "2", "minsk 2015")
    assert result.code == 0
    data = result.json
    assert data["answered"] is True and len(data["results"]) == 2
    assert data["results"][0]["rank"] == 1


def test_ask_structured_answer_labels_each_excerpt():
    result = run_cli("ask", "demands russia")
    assert result.code == 0
    assert result.out.startswith("1. [Russia · Territory (Crimea, Donbas)] ")
    assert "\n\n2. [Russia · " in result.out
    data = run_cli("ask", "--json", "demands russia").json
    assert data["answered"] is True
    assert all("label" not in item for item in data["results"])  # fixed --json shape
    plain = run_cli("ask", "minsk 2015").out  # a plain question: no labels
    assert plain.startswith("1. ") and "\n\n2. [" not in plain and not plain.startswith("1. [")


def test_ask_names_a_structured_answers_labels_in_the_questions_language():
    ukrainian = run_cli("ask", "/demands Росія")
    assert ukrainian.code == 0
    assert "\n\n1. [Росія · Територія (Крим, Донбас)] " in ukrainian.out  # as Telegram names it
    assert "[Russia · " not in ukrainian.out
    assert "\n\n1. [Россия · Территория (Крым, Донбасс)] " in run_cli("ask", "/demands россия").out
    assert run_cli("ask", "/outcomes").out.startswith("1. [Minsk Protocol (2014)")  # no words: en
    data = run_cli("ask", "--json", "/demands Росія").json  # the SPEC's shape, as before
    assert data["question"] == "/demands Росія" and data["answered"] is True
    assert all("label" not in item for item in data["results"])


def test_ask_out_of_scope_says_so():
    result = run_cli("ask", "chocolate chip cookie recipe")
    assert result.code == 0
    assert result.out.startswith(
        "I found no sourced answer to that question in the indexed articles.\n"
        "You could ask, for example:\n  - What does Russia demand?\n"
    )


@pytest.mark.parametrize(
    ("question", "refusal", "lead", "suggestion"),
    [
        (
            "Як спекти шоколадне печиво?",
            "Я не знайшов відповіді з джерелом на це питання в проіндексованих статтях.",
            "Можна запитати, наприклад:",
            "  - Чого вимагає Росія?",
        ),
        (
            "Как испечь шоколадное печенье?",
            "Я не нашёл ответа с источником на этот вопрос в проиндексированных статьях.",
            "Можно спросить, например:",
            "  - Чего требует Россия?",
        ),
    ],
    ids=["uk", "ru"],
)
def test_ask_refuses_in_the_questions_language_as_telegram_does(
    question, refusal, lead, suggestion
):
    result = run_cli("ask", question)
    assert result.code == 0
    assert result.out.splitlines()[:3] == [refusal, lead, suggestion]
    data = run_cli("ask", "--json", question).json  # the SPEC's shape, with no words in it
    assert set(data) == {"question", "answered", "took_ms", "results"}
    assert data["question"] == question and data["answered"] is False and data["results"] == []


def test_ask_usage_errors_exit_2():
    assert run_cli("ask", "   ").code == 2
    assert run_cli("ask", "--top", "0", "minsk").code == 2
    assert run_cli("frobnicate").code == 2


def test_config_errors_exit_2_with_file_and_key(tmp_path):
    config = tmp_path / "c.yaml"
    config.write_text("knowledge:\n  dirz: []\n", encoding="utf-8")
    result = run_cli("ask", "--config", str(config), "minsk")
    assert result.code == 2
    assert result.err.startswith(f"{config}: knowledge.dirz")


def test_check_is_clean_on_the_shipped_corpus_whose_warnings_are_not_the_operators():
    result = run_cli("check")
    assert result.code == 0
    assert result.out.splitlines() == ["ok: 4 sources, 116 passages"]


def test_check_warns_of_what_looks_like_a_source_but_is_not_read(tmp_path):
    folder = tmp_path / "kb"
    (folder / "sub").mkdir(parents=True)
    write_source(folder / "sub", "nested.md", "Nested", "Text about the talks.")
    (folder / "notes.markdown").write_text("# Notes\nText.\n", encoding="utf-8")
    config = tmp_path / "c.yaml"
    config.write_text(f"knowledge:\n  dirs: [{folder}]\n", encoding="utf-8")
    result = run_cli("check", "--config", str(config))
    assert result.code == 0
    assert result.out.splitlines() == [
        f"{folder / 'notes.markdown'}:1: warning: not read: a source must end in .md or .txt",
        f"{folder / 'sub'}:1: warning: not read: sources in a subfolder are read only if it is "
        "listed itself",
        "warning: no sources in the knowledge folders: every question will be refused",
        "ok: 0 sources, 0 passages",
    ]
    (folder / "LOUD.TXT").write_text("Loud title\n\nText about the talks.\n", encoding="utf-8")
    assert "ok: 1 sources" in run_cli("check", "--config", str(config)).out


def test_check_reports_each_bad_file_with_path_and_line(tmp_path):
    folder = tmp_path / "kb"
    folder.mkdir()
    write_source(folder, "good.md", "Good", "Text about the talks.")
    (folder / "broken.md").write_text("---\ntitle: [x\n---\nBody\n", encoding="utf-8")
    (folder / "untitled.md").write_text("---\nauthor: x\n---\nBody\n", encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "latin1.txt").write_bytes("Title\nCaf\xe9\n".encode("latin-1"))
    (folder / "blob.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    config = tmp_path / "c.yaml"
    config.write_text(f"knowledge:\n  dirs: [{folder}]\n", encoding="utf-8")
    result = run_cli("check", "--config", str(config))
    assert result.code == 1
    lines = sorted(result.out.splitlines())
    assert len(lines) == 5
    assert lines[0] == f"{folder}/blob.txt:3: binary file (NUL byte), not text"
    assert lines[1].startswith(f"{folder}/broken.md:2: invalid YAML: ")
    assert lines[2:] == [
        f"{folder}/empty.txt:1: file is empty",
        f"{folder}/latin1.txt:2: not UTF-8 text (byte 0xe9); save the file as UTF-8",
        f"{folder}/untitled.md:1: front matter has no 'title'",
    ]
    assert "Traceback" not in result.out + result.err


def test_ask_with_a_broken_knowledge_folder_names_the_file(tmp_path):
    (tmp_path / "bad.md").write_text("", encoding="utf-8")
    config = tmp_path / "c.yaml"
    config.write_text(f"knowledge:\n  dirs: [{tmp_path}]\n", encoding="utf-8")
    result = run_cli("ask", "--config", str(config), "minsk")
    assert result.code == 1
    assert f"{tmp_path}/bad.md:1: file is empty" in result.err


@pytest.mark.skipif(not DEV_SET.exists(), reason="shared dev set not beside the repo")
def test_eval_prints_metrics_per_style_and_misses():
    result = run_cli("eval", str(DEV_SET))
    assert result.code == 0
    assert result.out.splitlines()[0].split()[:4] == ["style", "n", "hit@1", "hit@3"]
    assert any(line.startswith("overall") for line in result.out.splitlines())
    data = run_cli("eval", "--json", str(DEV_SET)).json
    assert data["metrics"]["graceful_rate"] == 1.0
    assert data["metrics"]["no_answer_accuracy"] >= 0.8


def test_eval_bad_file_exit_2(tmp_path):
    path = tmp_path / "q.yaml"
    path.write_text("just: a mapping\n", encoding="utf-8")
    assert run_cli("eval", str(path)).code == 2


def test_run_without_token_exits_2_with_one_clear_line():
    result = run_cli("run")
    assert result.code == 2
    assert "TELEGRAM_BOT_TOKEN" in result.err and "ask" in result.err
    assert len(result.err.strip().splitlines()) == 1


# One subprocess per command: the real `python -m bot` entry point.


def test_module_ask_json(tmp_path):
    question = "What did Russia demand at the Istanbul talks?"
    result = run_module("ask", "--json", question, cwd=tmp_path)
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["answered"] is True
    assert any("Ukrainian armed personnel" in r["excerpt"] for r in data["results"])


def test_module_check(tmp_path):
    result = run_module("check", cwd=tmp_path)
    assert result.code == 0, result.err
    assert "ok: 4 sources" in result.out


@pytest.mark.skipif(not DEV_SET.exists(), reason="shared dev set not beside the repo")
def test_module_eval(tmp_path):
    result = run_module("eval", str(DEV_SET), cwd=tmp_path)
    assert result.code == 0, result.err
    assert "overall" in result.out


def test_module_run_without_token(tmp_path):
    result = run_module("run", cwd=tmp_path)
    assert result.code == 2
    assert "Traceback" not in result.err


def _small_set(tmp_path: Path) -> Path:
    path = tmp_path / "q.yaml"
    path.write_text(
        "- {id: a, question: 'What does Russia demand?', expect: answer, evidence: [Russia]}\n"
        "- {id: b, question: chocolate chip cookie recipe, expect: no_answer}\n",
        encoding="utf-8",
    )
    return path


def test_eval_ablate_prints_a_row_per_feature_switched_off(tmp_path):
    result = run_cli("eval", "--ablate", str(_small_set(tmp_path)))
    assert result.code == 0
    names = [line.split()[0] for line in result.out.splitlines()]
    assert names[:3] == ["configuration", "full", "-filler"] and names[-1] == "plain"
    rows = run_cli("eval", "--ablate", "--json", str(_small_set(tmp_path))).json
    assert rows[-1]["name"] == "plain bm25" and rows[1]["off"] == ["filler"]


def test_eval_without_switches_features_off_and_rejects_unknown_ones(tmp_path):
    path = _small_set(tmp_path)
    assert run_cli("eval", "--without", "synonyms,coverage", str(path)).code == 0
    result = run_cli("eval", "--without", "stemming", str(path))
    assert result.code == 2 and "unknown feature(s) stemming" in result.err


def _snapshot_log(caplog: pytest.LogCaptureFixture) -> list[str]:
    """What knowledge.snapshot logged since the last clear: built or loaded."""
    found = [r.getMessage() for r in caplog.records if r.name == "knowledge.snapshot"]
    found = [m for m in found if m.startswith("knowledge ")]
    caplog.clear()
    return [m.split(" to the snapshot")[0].split(" from the snapshot")[0] for m in found]


def test_ask_check_eval_reuse_the_snapshot_run_uses(tmp_path, caplog):
    caplog.set_level(logging.DEBUG, logger="knowledge.snapshot")
    folder = tmp_path / "corpus"
    folder.mkdir()
    source = write_source(folder, "minsk.md", "Minsk", "The Minsk agreements of 2015 set a truce.")
    config = tmp_path / "c.yaml"
    config.write_text(f"knowledge:\n  dirs: [{folder}]\nstorage:\n  dir: {tmp_path / 's'}\n")
    first = run_cli("ask", "--config", str(config), "minsk")
    assert _snapshot_log(caplog) == ["knowledge built and saved"]
    second = run_cli("ask", "--config", str(config), "minsk")
    assert _snapshot_log(caplog) == ["knowledge loaded"]
    assert second.out == first.out and "Minsk agreements" in second.out
    assert run_cli("check", "--config", str(config)).code == 0
    assert _snapshot_log(caplog) == ["knowledge loaded"]
    questions = tmp_path / "q.yaml"
    questions.write_text(
        '- {id: q1, question: "minsk 2015", style: keywords, evidence: ["truce"], expect: answer}\n'
    )
    assert run_cli("eval", "--config", str(config), str(questions)).code == 0
    assert _snapshot_log(caplog) == ["knowledge loaded"]
    # the bot starts from the snapshot the CLI saved: the same key and the same file
    BotState.create(load_config(config))
    assert _snapshot_log(caplog) == ["knowledge loaded"]
    # and the same invalidation: an edited source is rebuilt
    source.write_text(source.read_text() + "\nMore on Minsk in 2015.\n")
    assert run_cli("ask", "--config", str(config), "minsk").code == 0
    assert _snapshot_log(caplog) == ["knowledge built and saved"]


def _semantic_config(tmp_path: Path, model: Path) -> Path:
    config = tmp_path / "c.yaml"
    config.write_text(f"search:\n  semantic:\n    model: {model}\n", encoding="utf-8")
    return config


def test_check_and_ask_with_a_semantic_model(tmp_path):
    from tests.helpers.tiny_model import write_tiny_model

    config = _semantic_config(tmp_path, write_tiny_model(tmp_path / "tiny"))
    checked = run_cli("check", "--config", str(config))
    assert checked.code == 0, checked.err
    assert f"semantic model {tmp_path / 'tiny'}" in checked.out
    asked = run_cli("ask", "--json", "--config", str(config), "who mediates the ceasefire talks")
    assert asked.code == 0 and asked.json["answered"] is True
    assert (tmp_path / "data" / "cache" / "semantic.npz").is_file()  # vectors kept for next time


def test_check_names_a_model_that_does_not_load(tmp_path):
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "model.onnx").write_bytes(b"junk")
    config = _semantic_config(tmp_path, broken)
    result = run_cli("check", "--config", str(config))
    assert result.code == 1
    last = result.out.splitlines()[-1]
    assert last == f"{config}: search.semantic.model: {broken}: no tokenizer.json"
    assert "BM25 only" in result.err
    asked = run_cli("ask", "--config", str(config), "who mediates")  # still answers, BM25 only
    assert asked.code == 0 and asked.out.startswith("1. ")


@pytest.mark.parametrize(
    ("telegram", "storage", "key"),
    [
        ({}, {"dir": "blocker/state"}, "storage.dir"),
        ({}, {"dir": "state"}, "storage.dir"),  # state/sources, where uploads go, is a file
        ({"base_url": "api.telegram.org/bot"}, {}, "telegram.base_url"),
        ({"base_url": "https:///bot"}, {}, "telegram.base_url"),
        ({"base_file_url": "https://api.telegram.org/file bot"}, {}, "telegram.base_file_url"),
    ],
)
def test_check_rejects_every_config_run_rejects(tmp_path, telegram, storage, key):
    (tmp_path / "blocker").write_text("a file, not a folder", encoding="utf-8")
    (tmp_path / "state").mkdir()
    (tmp_path / "state" / "sources").write_text("a file where a folder goes", encoding="utf-8")
    settings = {"telegram": {"token": "123456:AAsecretpart", **telegram}, "storage": storage}
    config = tmp_path / "c.yaml"
    config.write_text(yaml.safe_dump(settings), encoding="utf-8")
    check = run_cli("check", "--config", str(config))
    run = run_cli("run", "--config", str(config))
    assert (check.code, run.code) == (2, 2)
    assert check.err.startswith(f"{config}: {key}: ") and run.err == check.err
    assert "secretpart" not in check.err and len(check.err.splitlines()) == 1


@pytest.mark.parametrize("where", ["environment", "file"])
def test_a_malformed_token_stops_run_alone(tmp_path, monkeypatch, where):
    bad = "123456:AAsecretpart\nrest"
    config = tmp_path / "c.yaml"
    config.write_text(
        yaml.safe_dump({"telegram": {"token": "" if where == "environment" else bad}})
    )
    if where == "environment":
        monkeypatch.setenv("TELEGRAM_BOT_TOKEN", bad)
    key = (
        "TELEGRAM_BOT_TOKEN: (environment)"
        if where == "environment"
        else f"{config}: telegram.token"
    )
    run = run_cli("run", "--config", str(config))
    assert run.code == 2 and run.err.startswith(f"{key}: must be a bot token (")
    assert len(run.err.splitlines()) == 1
    asked = run_cli("ask", "--config", str(config), "who mediates the talks")
    assert asked.code == 0 and asked.out.startswith("1. ") and asked.err == ""
    checked = run_cli("check", "--config", str(config))
    assert checked.code == 0 and checked.out.startswith(f"warning: {key}: must be a bot token")
    assert "ok: 4 sources" in checked.out
    assert "secretpart" not in run.err + checked.out + checked.err


@pytest.mark.parametrize("command", [("add", "https://example.org/a"), ("feeds", "--once")])
def test_add_and_feeds_refuse_an_unusable_storage_dir_before_fetching(tmp_path, command):
    (tmp_path / "blocker").write_text("a file, not a folder", encoding="utf-8")
    config = tmp_path / "c.yaml"
    config.write_text("storage:\n  dir: blocker/state\n", encoding="utf-8")
    result = run_cli(command[0], "--config", str(config), *command[1:])
    assert result.code == 2 and result.err.startswith(f"{config}: storage.dir: ")
    assert "Traceback" not in result.err


def test_ask_and_check_without_a_config_file_leave_nothing_behind(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run_cli("ask", "who mediates").code == 0 and run_cli("check").code == 0
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("text", "key", "message"),
    [
        ("search:\n  semantic:\n    languages: []\n", "search.semantic.languages", "must list"),
        (
            "search:\n  semantic:\n    languages: klingon\n",
            "search.semantic.languages",
            "must be a list of one or more of en, uk, ru, e.g. [en], got a string",
        ),
        ("storage:\n  dir: ~nosuchuser/x\n", "storage.dir", "cannot expand '~nosuchuser'"),
        ("knowledge:\n  dirs: [~nosuchuser]\n", "knowledge.dirs[0]", "cannot expand"),
        ("search:\n  semantic:\n    model: ~nosuchuser/m\n", "search.semantic.model", "cannot"),
        ("knowledge:\n  dirs: [c.yaml]\n", "knowledge.dirs[0]", "is a file, not a folder"),
        ("knowledge:\n  dirs: ['  ']\n", "knowledge.dirs[0]", "must be a folder path"),
        ("telegram:\n  webhook:\n    listen: ''\n", "telegram.webhook.listen", "host name"),
        ("telegram:\n  health:\n    listen: ' '\n", "telegram.health.listen", "host name"),
        ("telegram:\n  webhook:\n    url: 'https://'\n", "telegram.webhook.url", "with a host"),
        ("telegram:\n  base_url: 'https://[::1'\n", "telegram.base_url", "with a host"),
        ("storage:\n  max_answers: 99999999999999999999\n", "storage.max_answers", "at most"),
        ("knowledge:\n  fetch_timeout: .inf\n", "knowledge.fetch_timeout", "finite number"),
        ("knowledge:\n  fetch_timeout: .nan\n", "knowledge.fetch_timeout", "finite number"),
        ("knowledge:\n  feeds: [{url: 'http://[::1'}]\n", "knowledge.feeds[0].url", "http"),
    ],
)
def test_a_config_value_that_would_misbehave_is_refused_by_name(tmp_path, text, key, message):
    config = tmp_path / "c.yaml"
    config.write_text(text, encoding="utf-8")
    for command in (["check"], ["run"], ["ask", "minsk"]):
        result = run_cli(command[0], "--config", str(config), *command[1:])
        assert result.code == 2 and result.err.startswith(f"{config}: {key}: "), result.err
        assert message in result.err and len(result.err.splitlines()) == 1


@pytest.mark.parametrize("command", [["check"], ["ask", "minsk"], ["run"]])
def test_an_empty_config_option_is_refused_not_taken_as_none(tmp_path, monkeypatch, command):
    monkeypatch.chdir(tmp_path)
    result = run_cli(command[0], "--config", "", *command[1:])
    assert result.code == 2 and result.out == ""
    assert (
        result.err == f"{command[0]}: --config: empty file name (leave it out for ./config.yaml)\n"
    )
