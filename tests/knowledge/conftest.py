from pathlib import Path

import pytest

import knowledge


@pytest.fixture(scope="session")
def shipped() -> knowledge.Knowledge:
    """The shipped corpus, loaded once."""
    return knowledge.load()


def write_source(folder: Path, name: str, title: str, body: str, **meta: str) -> Path:
    """Write a Markdown source with front matter."""
    lines = [f"title: {title}", *(f"{k}: {v}" for k, v in meta.items())]
    path = folder / name
    path.write_text("---\n" + "\n".join(lines) + "\n---\n" + body + "\n", encoding="utf-8")
    return path
