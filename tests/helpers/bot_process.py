"""`python -m bot run` as a real process against the fake Bot API: start it, stop it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from tests.helpers.fake_bot_api import TOKEN, FakeBotApi

ROOT = Path(__file__).resolve().parents[2]


def write_config(folder: Path, base_url: str, webhook: str = "", extra: str = "") -> Path:
    """A config file for a Bot API at ``base_url`` (no token: that comes from the environment)."""
    config = folder / "bot.yaml"
    config.write_text(
        f"telegram:\n  base_url: {base_url}/bot\n  base_file_url: {base_url}/file/bot\n"
        f"  admin_ids: [4242]\n{webhook}storage:\n  dir: state\n{extra}",
        encoding="utf-8",
    )
    return config


def start(
    api: FakeBotApi | str, folder: Path, webhook: str = "", extra: str = ""
) -> subprocess.Popen:
    """Run the bot with a config file pointing at ``api`` (or a URL); the token only in the env."""
    config = write_config(folder, api if isinstance(api, str) else api.url, webhook, extra)
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "run", "--config", str(config)],
        cwd=folder,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def stop(process: subprocess.Popen, sig: int = signal.SIGINT) -> tuple[int, str]:
    """Ctrl-C (or ``sig``, e.g. a service manager's SIGTERM); returns exit code and the log."""
    process.send_signal(sig)
    return finish(process)


def finish(process: subprocess.Popen, timeout: float = 30) -> tuple[int, str]:
    """Wait for the process to end by itself; returns exit code and the log."""
    out, err = process.communicate(timeout=timeout)
    return process.returncode, out + err
