"""Config precedence, validation and the documented example file."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import yaml

from bot.config import (
    TOKEN_ENV,
    Config,
    ConfigError,
    StorageConfig,
    TelegramConfig,
    WebhookConfig,
    load_config,
)

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "config.example.yaml"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# --- precedence, one test per step -------------------------------------------------------


def test_defaults_without_any_file(tmp_path: Path) -> None:
    config = load_config(env={}, cwd=tmp_path)
    assert config.path is None
    assert config.telegram.token == ""
    assert config.telegram.base_url == "https://api.telegram.org/bot"
    assert config.telegram.base_file_url == "https://api.telegram.org/file/bot"
    assert config.telegram.admin_ids == ()
    assert not config.telegram.webhook.enabled
    assert config.knowledge.dirs == ()
    assert config.storage.dir == tmp_path / "data"  # relative default resolves against cwd


def test_config_yaml_in_cwd_is_picked_up(tmp_path: Path) -> None:
    write(tmp_path / "config.yaml", "telegram:\n  token: from-cwd-file\n  admin_ids: [7]\n")
    config = load_config(env={}, cwd=tmp_path)
    assert config.path == tmp_path / "config.yaml"
    assert config.telegram.token == "from-cwd-file"
    assert config.telegram.admin_ids == (7,)


def test_explicit_path_wins_over_cwd_file(tmp_path: Path) -> None:
    write(tmp_path / "config.yaml", "telegram:\n  token: from-cwd-file\n")
    explicit = write(tmp_path / "elsewhere" / "bot.yaml", "telegram:\n  token: explicit\n")
    config = load_config(explicit, env={}, cwd=tmp_path)
    assert config.path == explicit
    assert config.telegram.token == "explicit"


def test_explicit_relative_path_is_read_from_cwd(tmp_path: Path) -> None:
    write(tmp_path / "conf" / "a.yaml", "telegram:\n  admin_ids: [1, 2]\n")
    config = load_config(Path("conf/a.yaml"), env={}, cwd=tmp_path)
    assert config.telegram.admin_ids == (1, 2)


def test_env_token_overrides_file_token(tmp_path: Path) -> None:
    file = write(tmp_path / "c.yaml", "telegram:\n  token: in-file\n  admin_ids: [5]\n")
    config = load_config(file, env={TOKEN_ENV: "123:from-env"}, cwd=tmp_path)
    assert config.telegram.token == "123:from-env"
    assert config.telegram.admin_ids == (5,)  # the rest of the file is kept


def test_env_token_applies_to_defaults_too(tmp_path: Path) -> None:
    config = load_config(env={TOKEN_ENV: "42:abc"}, cwd=tmp_path)
    assert config.telegram.token == "42:abc"


def test_blank_env_token_does_not_erase_file_token(tmp_path: Path) -> None:
    file = write(tmp_path / "c.yaml", "telegram:\n  token: in-file\n")
    assert load_config(file, env={TOKEN_ENV: "  "}, cwd=tmp_path).telegram.token == "in-file"


def test_process_environment_is_the_default(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv(TOKEN_ENV, "9:process-env")
    assert load_config(cwd=tmp_path).telegram.token == "9:process-env"


# --- relative folders --------------------------------------------------------------------


def test_relative_dirs_resolve_against_the_config_files_folder(tmp_path: Path) -> None:
    file = write(
        tmp_path / "etc" / "bot.yaml",
        "knowledge:\n  dirs: [corpus, /abs/path]\nstorage:\n  dir: state\n",
    )
    config = load_config(file, env={}, cwd=tmp_path / "somewhere-else")
    assert config.knowledge.dirs == (tmp_path / "etc" / "corpus", Path("/abs/path"))
    assert config.storage.dir == tmp_path / "etc" / "state"
    assert config.storage.sources_dir == tmp_path / "etc" / "state" / "sources"


def test_webhook_settings(tmp_path: Path) -> None:
    file = write(
        tmp_path / "c.yaml",
        "telegram:\n  webhook:\n    url: https://bot.example.org/hook\n"
        "    listen: 0.0.0.0\n    port: 8080\n    secret_token: s3cr_et-\n",
    )
    hook = load_config(file, env={}, cwd=tmp_path).telegram.webhook
    assert hook == WebhookConfig("https://bot.example.org/hook", "0.0.0.0", 8080, "s3cr_et-")
    assert hook.enabled


def test_empty_file_means_defaults(tmp_path: Path) -> None:
    file = write(tmp_path / "c.yaml", "# nothing here\n")
    config = load_config(file, env={}, cwd=tmp_path)
    assert config.telegram == TelegramConfig()
    assert config.storage.dir == tmp_path / "data"


# --- errors: "file: key: what is wrong" --------------------------------------------------


@pytest.mark.parametrize(
    ("text", "key", "fragment"),
    [
        ("telegram:\n  tokn: x\n", "telegram.tokn", "unknown key"),
        ("telegarm: {}\n", "telegarm", "unknown key"),
        ("telegram:\n  webhook:\n    host: x\n", "telegram.webhook.host", "unknown key"),
        ("telegram:\n  token: 12\n", "telegram.token", "must be a string, got an integer"),
        ("telegram:\n  admin_ids: 5\n", "telegram.admin_ids", "must be a list"),
        ("telegram:\n  admin_ids: [1, x]\n", "telegram.admin_ids[1]", "integer user id"),
        ("telegram:\n  admin_ids: [true]\n", "telegram.admin_ids[0]", "integer user id"),
        ("telegram: [1]\n", "telegram", "must be a mapping"),
        ("knowledge:\n  dirs: corpus\n", "knowledge.dirs", "must be a list"),
        ("knowledge:\n  dirs: ['']\n", "knowledge.dirs[0]", "folder path, got an empty string"),
        ("telegram:\n  admin_ids: [7, -5]\n", "telegram.admin_ids[1]", "user id (above 0)"),
        ("storage:\n  dir: ''\n", "storage.dir", "folder path, got an empty string"),
        ("storage:\n  dir: 3\n", "storage.dir", "must be a string"),
        ("storage:\n  max_upload_bytes: 0\n", "storage.max_upload_bytes", "greater than 0"),
        ("storage:\n  max_questions: -1\n", "storage.max_questions", "greater than 0"),
        ("storage:\n  answer_days: 0\n", "storage.answer_days", "greater than 0"),
        ("storage:\n  max_answers: x\n", "storage.max_answers", "an integer"),
        ("telegram:\n  webhook:\n    port: 70000\n", "telegram.webhook.port", "between 1"),
        ("telegram:\n  webhook:\n    port: '80'\n", "telegram.webhook.port", "an integer"),
        ("telegram:\n  webhook:\n    url: http://x\n", "telegram.webhook.url", "https://"),
        (
            "telegram:\n  webhook:\n    secret_token: 'a b'\n",
            "telegram.webhook.secret_token",
            "A-Z",
        ),
        ("- just\n- a list\n", "(file)", "mapping"),
        ("telegram: {token: [unclosed\n", "(file)", "invalid YAML at line"),
    ],
)
def test_bad_config_names_file_and_key(tmp_path: Path, text: str, key: str, fragment: str) -> None:
    file = write(tmp_path / "bad.yaml", text)
    with pytest.raises(ConfigError) as caught:
        load_config(file, env={}, cwd=tmp_path)
    message = str(caught.value)
    assert message.startswith(f"{file}: {key}: "), message
    assert fragment in message
    assert caught.value.key == key


def test_missing_explicit_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"nope\.yaml: \(file\): cannot read"):
        load_config(Path("nope.yaml"), env={}, cwd=tmp_path)


def test_bad_cwd_config_yaml_is_an_error_not_ignored(tmp_path: Path) -> None:
    write(tmp_path / "config.yaml", "storage:\n  what: 1\n")
    with pytest.raises(ConfigError, match=r"storage\.what: unknown key"):
        load_config(env={}, cwd=tmp_path)


def test_non_utf8_file_is_an_error(tmp_path: Path) -> None:
    file = tmp_path / "c.yaml"
    file.write_bytes(b"telegram:\n  token: \xff\xfe\n")
    with pytest.raises(ConfigError, match="cannot read"):
        load_config(file, env={}, cwd=tmp_path)


# --- the token stays out of reprs ---------------------------------------------------------


def test_repr_never_shows_the_token_or_secret(tmp_path: Path) -> None:
    file = write(
        tmp_path / "c.yaml",
        "telegram:\n  token: '111:SECRETTOKEN'\n  webhook:\n    secret_token: HOOKSECRET\n",
    )
    text = repr(load_config(file, env={}, cwd=tmp_path))
    assert "SECRETTOKEN" not in text
    assert "HOOKSECRET" not in text


def test_config_is_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        Config().path = Path("x")  # type: ignore[misc]


# --- config.example.yaml documents every key ---------------------------------------------


def _leaf_keys(data: dict, prefix: str = "") -> set[str]:
    keys = set()
    for key, value in data.items():
        name = f"{prefix}{key}"
        keys |= _leaf_keys(value, name + ".") if isinstance(value, dict) else {name}
    return keys


def _dataclass_keys(cls: type, prefix: str = "") -> set[str]:
    keys = set()
    for f in dataclasses.fields(cls):
        if f.name in ("path", "token_problem"):  # where the values came from, not keys
            continue
        sub = f.default_factory if f.default_factory is not dataclasses.MISSING else None
        if sub is not None and dataclasses.is_dataclass(sub):
            keys |= _dataclass_keys(sub, f"{prefix}{f.name}.")
        else:
            keys.add(f"{prefix}{f.name}")
    return keys


def test_example_covers_every_key_and_matches_defaults(tmp_path: Path) -> None:
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    assert _leaf_keys(data) == _dataclass_keys(Config)
    config = load_config(EXAMPLE, env={}, cwd=tmp_path)
    assert config.telegram == TelegramConfig()
    assert config.storage == StorageConfig(dir=ROOT / "data")


def test_every_example_key_has_a_comment_above_it() -> None:
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines):
        stripped = line.strip()
        if stripped and not stripped.startswith("#") and not stripped.endswith(":"):
            assert lines[i - 1].strip().startswith("#"), f"undocumented key: {stripped}"


def test_source_dirs_add_the_uploads_folder_once_it_exists(tmp_path: Path) -> None:
    shipped = (tmp_path / "shipped",)
    config = load_config(env={}, cwd=tmp_path)
    assert config.source_dirs(shipped) == shipped
    config.storage.sources_dir.mkdir(parents=True)
    assert config.source_dirs(shipped) == (*shipped, tmp_path / "data" / "sources")
    file = write(tmp_path / "c.yaml", "knowledge:\n  dirs: [mine]\n")
    configured = load_config(file, env={}, cwd=tmp_path)
    uploads = tmp_path / "data" / "sources"  # storage.dir defaults to ./data next to the file
    assert configured.source_dirs(shipped) == (tmp_path / "mine", uploads)


# --- search.semantic.model ----------------------------------------------------------------


def test_semantic_model_is_off_by_default_and_a_name_stays_a_name(tmp_path: Path) -> None:
    assert load_config(env={}, cwd=tmp_path).search.semantic.model == ""
    name = "sentence-transformers/paraphrase-multilingual-MiniLM-L12-v2"
    file = write(tmp_path / "c.yaml", f"search:\n  semantic:\n    model: {name}\n")
    assert load_config(file, env={}, cwd=tmp_path).search.semantic.model == name


def test_semantic_model_folder_resolves_against_the_config_files_folder(tmp_path: Path) -> None:
    (tmp_path / "etc" / "models" / "minilm").mkdir(parents=True)
    file = write(tmp_path / "etc" / "c.yaml", "search:\n  semantic:\n    model: models/minilm\n")
    config = load_config(file, env={}, cwd=tmp_path / "elsewhere")
    assert config.search.semantic.model == str(tmp_path / "etc" / "models" / "minilm")
    dotted = write(tmp_path / "etc" / "d.yaml", "search:\n  semantic:\n    model: ./absent\n")
    config = load_config(dotted, env={}, cwd=tmp_path)  # a path even before it exists
    assert config.search.semantic.model == str(tmp_path / "etc" / "absent")


@pytest.mark.parametrize(
    ("text", "key", "message"),
    [
        ("search:\n  semantic:\n    model: [a]\n", "search.semantic.model", "must be a string"),
        ("search:\n  semantic:\n    modle: x\n", "search.semantic.modle", "unknown key"),
        ("search:\n  bm25: {}\n", "search.bm25", "unknown key"),
        ("search: [x]\n", "search", "must be a mapping"),
    ],
)
def test_bad_semantic_settings_name_the_key(tmp_path: Path, text, key, message) -> None:
    file = write(tmp_path / "c.yaml", text)
    with pytest.raises(ConfigError) as caught:
        load_config(file, env={}, cwd=tmp_path)
    assert caught.value.key == key and message in caught.value.message


def test_semantic_languages_default_to_english_and_are_checked(tmp_path: Path) -> None:
    assert load_config(env={}, cwd=tmp_path).search.semantic.languages == ("en",)
    file = write(tmp_path / "c.yaml", "search:\n  semantic:\n    languages: [en, uk, ru, uk]\n")
    assert load_config(file, env={}, cwd=tmp_path).search.semantic.languages == ("en", "uk", "ru")
    bad = write(tmp_path / "d.yaml", "search:\n  semantic:\n    languages: [en, de]\n")
    with pytest.raises(ConfigError) as caught:
        load_config(bad, env={}, cwd=tmp_path)
    assert caught.value.key == "search.semantic.languages[1]"
    assert caught.value.message == "must be one of en, uk, ru, got 'de'"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (
            "storage:\n  dir: x\ntelegram:\n  admin_ids: [" + "9" * 5000 + "]\n",
            "invalid YAML at line 4: cannot take",
        ),
        ("telegram:\n  token: " + "[" * 20000 + "]" * 20000 + "\n", "invalid YAML at line 2"),
        (
            "a0: &a0 [x]\n"
            + "".join(f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]\n" for n in range(1, 30)),
            "aliases expand",
        ),
    ],
)
def test_config_values_yaml_cannot_take_are_config_errors(tmp_path, text, words):
    path = tmp_path / "c.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=r"c\.yaml: \(file\): ") as caught:
        load_config(path, env={}, cwd=tmp_path)
    assert words in str(caught.value)


def test_config_not_in_utf8_names_the_line(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_bytes("# конфіг\nstorage: {}\n".encode("cp1251"))
    with pytest.raises(ConfigError, match=r"\(file\): cannot read line 1: not UTF-8"):
        load_config(path, env={}, cwd=tmp_path)


@pytest.mark.parametrize("value", ["high", 1.0, -0.1, True])
def test_min_similarity_must_be_a_number_below_one(tmp_path, value):
    path = tmp_path / "c.yaml"
    path.write_text(yaml.safe_dump({"search": {"semantic": {"min_similarity": value}}}))
    with pytest.raises(ConfigError, match=r"search\.semantic\.min_similarity: must be a number"):
        load_config(path)


def test_min_similarity_is_read(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("search:\n  semantic:\n    min_similarity: 0.33\n", encoding="utf-8")
    assert load_config(path).search.semantic.min_similarity == 0.33


def test_folders_may_start_at_home_and_are_read_once(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / "home" / "kb").mkdir(parents=True)
    file = write(
        tmp_path / "bot.yaml",
        "knowledge:\n  dirs: [~/kb, ~/kb/, ~/data/sources]\nstorage:\n  dir: ~/data\n",
    )
    config = load_config(file, env={})
    assert config.storage.dir == tmp_path / "home" / "data"
    config.storage.sources_dir.mkdir(parents=True)
    assert config.source_dirs() == (tmp_path / "home" / "kb", config.storage.sources_dir)


def test_a_malformed_token_is_left_out_and_named_where_it_came_from(tmp_path: Path) -> None:
    file = write(tmp_path / "c.yaml", "telegram:\n  token: 'not a token'\n")
    from_file = load_config(file, env={}, cwd=tmp_path)
    assert from_file.telegram.token == ""  # never sent anywhere, never echoed
    assert from_file.token_problem.startswith(f"{file}: telegram.token: must be a bot token")
    from_env = load_config(env={TOKEN_ENV: "bad token"}, cwd=tmp_path)
    assert from_env.token_problem.startswith(f"{TOKEN_ENV}: (environment): must be a bot token")
    fixed = load_config(file, env={TOKEN_ENV: "42:good"}, cwd=tmp_path)  # the variable wins
    assert (fixed.telegram.token, fixed.token_problem) == ("42:good", "")
    assert "not a token" not in repr(from_file) + from_file.token_problem
