"""The file an added article is saved as: readable, safe, one fingerprint."""

from __future__ import annotations

import re

import pytest

from bot.adding import file_name
from knowledge.articles import Article


@pytest.mark.parametrize(
    ("title", "stem"),
    [
        ("Undated piece on the talks", "Undated_piece_on_the_talks"),
        ("Переговори у Женеві", "Peregovori_u_Zhenevi"),
        ("../../etc/passwd", "etc_passwd"),  # no folder: "/" is not kept
        ("Black Sea talks agree grain ship inspections", "Black_Sea_talks_agree_grain_ship_inspe"),
        ("???", "article"),
    ],
)
def test_an_article_file_is_its_title_and_one_url_fingerprint(title: str, stem: str) -> None:
    article = Article("https://news.example/a?id=1", title, "Text.")
    assert re.fullmatch(rf"{re.escape(stem)}-{article.key}\.md", file_name(article))


def test_two_urls_give_two_files_and_one_url_one_file() -> None:
    first = Article("https://news.example/a", "Talks", "Text.")
    again = Article("https://news.example/a?utm_source=x", "Talks", "Other text.")
    other = Article("https://news.example/b", "Talks", "Text.")
    assert file_name(first) == file_name(again) != file_name(other)
