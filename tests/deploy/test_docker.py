"""The container recipe, checked without Docker: the Dockerfile parsed (and linted by hadolint
when installed), its configs loaded as the bot loads them, compose.yaml and the Caddyfile
consistent with them, and the HEALTHCHECK command run against the bot's health server."""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot.config import Config, load_config
from bot.state import BotState
from bot.web import Site
from tests.helpers.bot_app import make_config
from tests.helpers.fake_bot_api import FakeBotApi

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "Dockerfile"


def instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs: comments dropped, continued lines joined."""
    joined = re.sub(r"\\\n(\s*#[^\n]*\n)*", " ", text)
    pairs = []
    for line in joined.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            pairs.append((word.upper(), rest.strip()))
    return pairs


@pytest.fixture(scope="module")
def docker() -> list[tuple[str, str]]:
    return instructions(DOCKERFILE.read_text(encoding="utf-8"))


def args(docker: list[tuple[str, str]], name: str) -> list[str]:
    return [rest for word, rest in docker if word == name]


def baked_config_path(docker) -> tuple[Path, str]:
    """The repository file the image copies as its config, and where the image puts it."""
    (copy,) = [a.split() for a in args(docker, "COPY") if "config" in a]
    return ROOT / copy[0], copy[1]


def image_config(docker) -> Config:
    source, _ = baked_config_path(docker)
    return load_config(source, env={}, cwd=ROOT)


def test_slim_python_base(docker) -> None:
    (base,) = args(docker, "FROM")
    assert re.fullmatch(r"python:3\.1[1-9]-slim", base), base


def test_runs_as_a_numeric_non_root_user_before_the_command(docker) -> None:
    users = [i for i, (word, _) in enumerate(docker) if word == "USER"]
    assert users, "no USER: the bot would run as root"
    user = docker[users[-1]][1].split(":")
    assert user[0] not in {"root", "0"} and user[0].isdigit()
    assert users[-1] < next(i for i, (word, _) in enumerate(docker) if word == "CMD")
    (run,) = args(docker, "RUN")
    assert f"--uid {user[0]}" in run  # the user exists in the image


def test_cmd_runs_the_bot_with_the_baked_config(docker) -> None:
    (cmd,) = args(docker, "CMD")
    _, target = baked_config_path(docker)
    assert json.loads(cmd) == ["python", "-m", "bot", "run", "--config", target]


def test_storage_dir_is_the_volume(docker) -> None:
    (volume,) = args(docker, "VOLUME")
    assert json.loads(volume) == [str(image_config(docker).storage.dir)]


def test_healthcheck_asks_healthz_on_the_served_port(docker) -> None:
    (check,) = args(docker, "HEALTHCHECK")
    port = image_config(docker).telegram.health.port
    assert port != 0
    assert f"http://127.0.0.1:{port}/healthz" in check
    assert args(docker, "EXPOSE") == [str(port)]
    assert "--start-period=" in check  # the first index build answers 503 meanwhile


def test_every_copied_path_exists(docker) -> None:
    for copy in args(docker, "COPY"):
        *sources, _ = copy.split()
        for source in sources:
            assert (ROOT / source).exists(), source


def test_compose_runs_the_webhook_behind_caddy(docker) -> None:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    bot, caddy = compose["services"]["bot"], compose["services"]["caddy"]
    _, config_target = baked_config_path(docker)
    mounts = {v.split(":")[1]: v.split(":")[0] for v in bot["volumes"]}  # target -> source
    config = load_config(ROOT / mounts[config_target], env={}, cwd=ROOT)
    hook = config.telegram.webhook
    assert hook.enabled and hook.listen == "0.0.0.0"
    assert mounts[str(config.storage.dir)] in compose["volumes"]  # a named volume
    assert hook.port == image_config(docker).telegram.health.port  # the HEALTHCHECK's port
    caddyfile = (ROOT / "deploy" / "Caddyfile").read_text(encoding="utf-8")
    path = hook.url.split("example.org", 1)[1]
    assert f"handle {path} {{" in caddyfile and f"reverse_proxy bot:{hook.port}" in caddyfile
    assert "./deploy/Caddyfile:/etc/caddy/Caddyfile:ro" in caddy["volumes"]
    assert caddy["depends_on"]["bot"]["condition"] == "service_healthy"


def test_compose_rotates_every_services_logs() -> None:
    """Docker's default json-file driver keeps a container's log whole: months of it."""
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    for name, service in compose["services"].items():
        options = service.get("logging", {}).get("options", {})
        assert options.get("max-size") and options.get("max-file"), name


def test_healthcheck_command_fails_while_loading_and_passes_when_ready(
    docker, api: FakeBotApi, tmp_path: Path
) -> None:
    (check,) = args(docker, "HEALTHCHECK")
    probe = json.loads(check[check.index("CMD") + 3 :].strip())
    assert probe[:2] == ["python", "-c"]
    config = make_config(api, tmp_path / "data")

    async def probe_twice() -> tuple[int, int]:
        site = Site(config, port=0)
        await site.start()
        code = probe[2].replace(":8080/", f":{site.port}/")
        try:
            run = [sys.executable, "-c", code]
            loading = await asyncio.to_thread(subprocess.run, run, capture_output=True)
            site.state = BotState.create(config)
            ready = await asyncio.to_thread(subprocess.run, run, capture_output=True)
        finally:
            await site.stop()
        return loading.returncode, ready.returncode

    loading, ready = asyncio.run(probe_twice())
    assert loading != 0 and ready == 0


HADOLINT = shutil.which(
    "hadolint", path=f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}"
)


@pytest.mark.skipif(HADOLINT is None, reason="hadolint not installed (the test extra has it)")
def test_hadolint_finds_nothing() -> None:
    result = subprocess.run(
        [HADOLINT, "--no-color", str(DOCKERFILE)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
