"""Config of the operations keys: telegram.flood and telegram.health."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import ConfigError, FloodConfig, HealthConfig, load_config


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_flood_and_health_defaults(tmp_path: Path) -> None:
    telegram = load_config(env={}, cwd=tmp_path).telegram
    assert telegram.flood == FloodConfig(per_user_per_minute=10, per_group_per_minute=20)
    assert telegram.health == HealthConfig(port=0, listen="127.0.0.1")


def test_flood_and_health_from_the_file(tmp_path: Path) -> None:
    file = write(
        tmp_path / "c.yaml",
        "telegram:\n  flood:\n    per_user_per_minute: 3\n    per_group_per_minute: 7\n"
        "  health:\n    port: 9100\n    listen: 0.0.0.0\n",
    )
    telegram = load_config(file, env={"TELEGRAM_BOT_TOKEN": "1:" + "a" * 35}, cwd=tmp_path).telegram
    assert telegram.flood == FloodConfig(3, 7)
    assert telegram.health == HealthConfig(9100, "0.0.0.0")
    assert telegram.token == "1:" + "a" * 35  # the token override keeps the other sections


@pytest.mark.parametrize(
    ("text", "key", "fragment"),
    [
        (
            "flood:\n    per_user_per_minute: 0\n",
            "telegram.flood.per_user_per_minute",
            "greater than 0",
        ),
        ("flood:\n    per_group_per_minute: x\n", "telegram.flood.per_group_per_minute", "integer"),
        ("flood:\n    per_user: 5\n", "telegram.flood.per_user", "unknown key"),
        ("flood: 10\n", "telegram.flood", "must be a mapping"),
        ("health:\n    port: 70000\n", "telegram.health.port", "between 1 and 65535"),
        ("health:\n    port: -1\n", "telegram.health.port", "between 1 and 65535"),
        ("health:\n    listen: 5\n", "telegram.health.listen", "must be a string"),
    ],
)
def test_bad_flood_or_health_names_file_and_key(tmp_path, text, key, fragment) -> None:
    file = write(tmp_path / "bad.yaml", "telegram:\n  " + text)
    with pytest.raises(ConfigError) as caught:
        load_config(file, env={}, cwd=tmp_path)
    assert str(caught.value).startswith(f"{file}: {key}: ")
    assert fragment in str(caught.value)


def test_a_health_port_beside_a_webhook_is_refused_not_ignored(tmp_path: Path) -> None:
    file = write(
        tmp_path / "c.yaml",
        "telegram:\n  webhook:\n    url: https://bot.example.org/tg\n    port: 8443\n"
        "  health:\n    port: 8080\n",
    )
    with pytest.raises(ConfigError) as caught:
        load_config(file, env={}, cwd=tmp_path)
    assert str(caught.value) == (
        f"{file}: telegram.health.port: not used with a webhook: its port "
        "(telegram.webhook.port, 8443) serves /healthz and /metrics"
    )
