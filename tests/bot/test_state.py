"""BotState: loading, the atomic reload swap, uploads with rollback, remembered questions."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

import knowledge
from bot import keyboards
from bot.config import Config, KnowledgeConfig, StorageConfig, TelegramConfig
from bot.loaded import Loaded
from bot.render import passage_key
from bot.state import BotState
from knowledge import snapshot
from tests.helpers import updates
from tests.helpers.bot_app import feed
from tests.helpers.telegram_html import parse_html

ONE = "---\ntitle: Minsk Protocol\n---\nThe Minsk Protocol of 2014 set a ceasefire line.\n"
TWO = "---\ntitle: Istanbul Round\n---\nIn Istanbul in 2022 the delegations discussed neutrality.\n"
BAD = "---\ntitle: [oops\n---\ntext\n"
decode = keyboards.decode  # the real codec, wrapped below to count its calls


@pytest.fixture
def config(tmp_path: Path) -> Config:
    folder = tmp_path / "k"
    folder.mkdir()
    (folder / "minsk.md").write_text(ONE, encoding="utf-8")
    return Config(
        TelegramConfig(admin_ids=(7,)), KnowledgeConfig((folder,)), StorageConfig(tmp_path / "s")
    )


def test_create_loads_configured_dirs_plus_uploads(config: Config) -> None:
    state = BotState.create(config)
    assert [s.id for s in state.knowledge.sources] == ["minsk"]
    assert config.storage.sources_dir.is_dir()
    assert config.source_dirs() == (*config.knowledge.dirs, config.storage.sources_dir)
    assert state.is_admin(7) and not state.is_admin(8) and not state.is_admin(None)


def test_a_second_start_reuses_the_saved_snapshot_until_a_source_changes(
    config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = BotState.create(config)
    saved = config.storage.cache_dir / snapshot.FILE_NAME
    assert saved.is_file()
    first = saved.stat().st_mtime_ns
    builds: list[object] = []
    build = snapshot.load
    monkeypatch.setattr(snapshot, "load", lambda dirs: builds.append(dirs) or build(dirs))
    again = BotState.create(config)
    assert builds == [] and saved.stat().st_mtime_ns == first  # read back, not rebuilt
    assert [s.id for s in again.knowledge.sources] == ["minsk"]
    assert again.knowledge.passages == built.knowledge.passages
    source = config.knowledge.dirs[0] / "minsk.md"
    source.write_text(ONE.replace("ceasefire line", "contact line"), encoding="utf-8")
    changed = BotState.create(config)
    assert len(builds) == 1 and saved.stat().st_mtime_ns != first
    assert "contact line" in changed.knowledge.passages[0].text


async def test_reload_with_a_saved_snapshot_still_refuses_a_broken_file(config: Config) -> None:
    state = BotState.create(config)
    await state.reload()  # unchanged files: served from the snapshot
    assert (config.storage.cache_dir / snapshot.FILE_NAME).is_file()
    folder = config.knowledge.dirs[0]
    (folder / "zz.md").write_text(BAD, encoding="utf-8")
    good = state.loaded
    refused = await state.reload()
    assert refused.diff is None and str(refused.problems[0]).startswith(f"{folder / 'zz.md'}:2:")
    assert state.loaded is good
    restarted = BotState.create(config)  # a restart serves the last index that loaded
    assert [s.id for s in restarted.knowledge.sources] == [s.id for s in good.knowledge.sources]
    assert str(restarted.loaded.problems[0]).startswith(f"{folder / 'zz.md'}:2:")
    refused = await restarted.reload()  # and keeps refusing the file until it is fixed
    assert refused.diff is None and restarted.loaded.problems
    (folder / "zz.md").unlink()
    assert (await restarted.reload()).diff is not None and not restarted.loaded.problems


def test_a_first_start_with_a_bad_file_and_no_index_ever_loaded_is_refused(
    config: Config,
) -> None:
    (config.knowledge.dirs[0] / "zz.md").write_text(BAD, encoding="utf-8")
    with pytest.raises(knowledge.KnowledgeError):
        BotState.create(config)


def test_the_word_lists_are_loaded_with_the_knowledge_not_at_the_first_question(
    config: Config,
) -> None:
    from knowledge.language.frequency import information

    information.cache_clear()
    BotState.create(config)
    assert information.cache_info().currsize >= 3  # en, uk and ru looked up at start


def test_empty_dirs_mean_the_shipped_corpus(tmp_path: Path) -> None:
    config = Config(storage=StorageConfig(tmp_path / "s"))
    assert config.source_dirs() == knowledge.default_dirs()  # no uploads folder yet
    BotState.create(config)
    assert config.source_dirs() == (*knowledge.default_dirs(), config.storage.sources_dir)


async def test_reload_swaps_or_keeps_the_old_snapshot(config: Config) -> None:
    state = BotState.create(config)
    folder = config.knowledge.dirs[0]
    (folder / "istanbul.md").write_text(TWO, encoding="utf-8")
    result = await state.reload()
    assert result.diff is not None and result.diff.added == ("istanbul",)
    good = state.loaded
    (folder / "zz.md").write_text(BAD, encoding="utf-8")
    refused = await state.reload()
    assert refused.diff is None and str(refused.problems[0]).startswith(f"{folder / 'zz.md'}:2:")
    assert state.loaded is good
    assert state.knowledge.source("istanbul") is not None  # still serving the good one


async def test_a_folder_that_empties_is_refused_and_the_old_index_kept(config: Config) -> None:
    state = BotState.create(config)
    folder = config.knowledge.dirs[0]
    serving = state.loaded
    held = sorted(folder.glob("*.md"))
    parked = folder.parent / "parked"
    parked.mkdir()
    for path in held:  # as when the volume mounted at the folder goes away
        path.rename(parked / path.name)
    refused = await state.reload()
    assert refused.diff is None and state.loaded is serving
    assert str(refused.problems[0]) == (
        f"{folder}:1: holds no source now (it held {len(held)}): was a volume unmounted? "
        "Nothing was changed"
    )
    for path in held:
        (parked / path.name).rename(path)
    assert (await state.reload()).diff is not None


async def test_add_source_saves_and_reloads(config: Config) -> None:
    state = BotState.create(config)
    result = await state.add_source("istanbul.md", TWO.encode())
    assert result.diff.added == ("istanbul",)
    assert (config.storage.sources_dir / "istanbul.md").read_text(encoding="utf-8") == TWO


async def test_add_source_rejects_a_bad_file_without_saving(config: Config) -> None:
    state = BotState.create(config)
    result = await state.add_source("bad.md", BAD.encode())
    bad = config.storage.sources_dir / "bad.md"
    assert result.diff is None and str(result.problems[0]).startswith(f"{bad}:2:")
    assert list(config.storage.sources_dir.iterdir()) == []


async def test_add_source_rolls_back_when_the_reload_fails(config: Config) -> None:
    state = BotState.create(config)
    await state.add_source("istanbul.md", TWO.encode())
    clash = ONE.replace("Minsk Protocol", "Another").encode()  # fine alone, id clashes
    result = await state.add_source("minsk.md", clash)
    assert result.diff is None and "duplicate" in str(result.problems[0])
    assert sorted(p.name for p in config.storage.sources_dir.iterdir()) == ["istanbul.md"]
    replaced = await state.add_source("istanbul.md", BAD.encode())
    assert replaced.diff is None
    assert (config.storage.sources_dir / "istanbul.md").read_text(encoding="utf-8") == TWO


async def test_remove_source_deletes_the_file_and_its_sidecar_and_reloads(config: Config) -> None:
    state = BotState.create(config)
    await state.add_source("istanbul.md", TWO.encode())
    side = config.storage.sources_dir / "istanbul.meta.yaml"
    side.write_text("publisher: Test Gazette\n", encoding="utf-8")
    result = await state.remove_source(config.storage.sources_dir / "istanbul.md")
    assert result.diff.removed == ("istanbul",)
    assert list(config.storage.sources_dir.iterdir()) == []
    assert state.knowledge.source("istanbul") is None


async def test_remove_source_puts_the_file_back_when_the_reload_fails(config: Config) -> None:
    state = BotState.create(config)
    await state.add_source("istanbul.md", TWO.encode())
    (config.knowledge.dirs[0] / "zz_bad.md").write_text(BAD, encoding="utf-8")
    result = await state.remove_source(config.storage.sources_dir / "istanbul.md")
    assert result.diff is None and "zz_bad.md:2" in str(result.problems[0])
    saved = config.storage.sources_dir / "istanbul.md"
    assert saved.read_text(encoding="utf-8") == TWO
    assert state.knowledge.source("istanbul") is not None


async def test_reloads_are_serialised(config: Config, monkeypatch: pytest.MonkeyPatch) -> None:
    state = BotState.create(config)
    active, peak = 0, 0
    load = Loaded.load

    def counting(dirs, cache=None):
        nonlocal active, peak
        active += 1
        peak = max(peak, active)
        try:
            return load(dirs, cache)
        finally:
            active -= 1

    monkeypatch.setattr(Loaded, "load", staticmethod(counting))
    await asyncio.gather(*(state.reload() for _ in range(4)))
    assert peak == 1


def test_loaded_passage_lookup_by_button_key(config: Config) -> None:
    loaded = BotState.create(config).loaded
    passage = loaded.knowledge.passages[0]
    assert loaded.passage(passage_key(passage)) == passage
    assert loaded.passage("0" * 16) is None


async def test_a_kill_during_an_uploads_reload_leaves_a_set_the_next_start_loads(
    config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    """kill -9 can strike while the reload runs: the folders must already be loadable then."""
    state = BotState.create(config)
    seen: list[list[knowledge.Problem]] = []
    load = Loaded.load

    def checking(dirs, cache=None):
        seen.append(knowledge.check(dirs)[0])  # what a restart at this instant would meet
        return load(dirs, cache)

    monkeypatch.setattr(Loaded, "load", staticmethod(checking))
    clash = ONE.replace("Minsk Protocol", "Another").encode()  # fine alone, its id clashes
    result = await state.add_source("minsk.md", clash)
    assert result.diff is None and "duplicate source id 'minsk'" in str(result.problems[0])
    assert all(problems == [] for problems in seen), seen
    assert BotState.create(config).knowledge.source("minsk") is not None  # the next start


async def test_an_upload_whose_reload_fails_is_rolled_back(
    config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    state = BotState.create(config)
    before = state.loaded

    def failing(dirs, cache=None):
        raise ValueError("day is out of range for month")  # a value the core did not foresee

    monkeypatch.setattr(Loaded, "load", staticmethod(failing))
    result = await state.add_source("istanbul.md", TWO.encode())
    assert result.diff is None and "day is out of range for month" in str(result.problems[0])
    assert list(config.storage.sources_dir.iterdir()) == []  # nothing kept
    assert state.loaded is before  # the old index keeps serving


def test_start_removes_interrupted_upload_files(config: Config, caplog) -> None:
    config.storage.sources_dir.mkdir(parents=True)
    for leftover in (".incoming-abc123", ".incoming-def456"):
        (config.storage.sources_dir / leftover).write_bytes(b"half a file")
    BotState.create(config)
    assert list(config.storage.sources_dir.iterdir()) == []
    lines = [r.getMessage() for r in caplog.records if "interrupted upload" in r.getMessage()]
    assert len(lines) == 1 and "2" in lines[0]


def test_a_semantic_model_loads_at_start_and_reload_reuses_its_vectors(
    config: Config, tmp_path: Path
) -> None:
    from dataclasses import replace

    from bot.config import SearchConfig, SemanticConfig
    from knowledge.semantic.vectors import FILE_NAME
    from tests.helpers.tiny_model import write_tiny_model

    model = write_tiny_model(tmp_path / "tiny")
    config = replace(config, search=SearchConfig(SemanticConfig(str(model))))
    state = BotState.create(config)
    assert state.knowledge.semantic is not None
    vectors = config.storage.cache_dir / FILE_NAME
    written = vectors.stat().st_mtime_ns
    embedder = state.knowledge.semantic.embedder
    result = asyncio.run(state.reload())
    assert result.diff is not None and state.knowledge.semantic is not None
    assert vectors.stat().st_mtime_ns == written  # same passages, same model: not re-encoded
    assert state.knowledge.semantic.embedder is embedder  # the model is not loaded again
    write_tiny_model(model, seed=3)  # other weights in the same folder: a new model
    asyncio.run(state.reload())
    assert state.knowledge.semantic.embedder is not embedder
    assert vectors.stat().st_mtime_ns != written  # its vectors replace the old ones


async def test_sources_are_listed_newest_first_and_sorted_once_per_index(config: Config) -> None:
    state = BotState.create(config)
    listed = state.listed_sources()
    dates = [s.published for s in listed if s.published]
    assert dates == sorted(dates, reverse=True) and len(listed) == len(state.knowledge.sources)
    assert state.listed_sources() is listed  # not sorted again for the next /sources page
    (config.knowledge.dirs[0] / "istanbul.md").write_text(TWO, encoding="utf-8")
    await state.reload()
    assert "istanbul" in {s.id for s in state.listed_sources()}


async def test_a_button_press_is_decoded_once_for_the_flood_guard_and_its_handler(
    app, api, monkeypatch
) -> None:
    await feed(app, api, updates.message("What does Russia demand?"))
    first = api.sent(1001)[0]
    rows = first.result["reply_markup"]["inline_keyboard"]
    more = next(b["callback_data"] for row in rows for b in row if b["text"].startswith("More"))
    decoded = []
    monkeypatch.setattr(keyboards, "decode", lambda data: decoded.append(data) or decode(data))
    await feed(app, api, updates.callback(more, first.result))
    assert parse_html(api.sent(1001)[1].params["text"]).plain.startswith("4.")  # served
    assert decoded == [more]
