"""Web pages to sources: extract an article's text and metadata, write it as a Markdown source.

Pure: HTML text in, values and Markdown text out. Fetching the page is the caller's job.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import yaml

from knowledge.models import Source

__all__ = [
    "Article",
    "canonical_url",
    "extract_article",
    "known_as",
    "same_text",
    "to_markdown",
]

MIN_ARTICLE_CHARS = 200  # less extracted text than this is a menu or a stub, not an article
SHINGLE = 5  # words per shingle when comparing two texts
SAME_TEXT = 0.8  # Jaccard similarity of shingles at which two texts are the same article
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_WORD = re.compile(r"\w+")
BOILERPLATE_CHARS = 200  # a line this short may be a page's furniture, not the story
_BOILERPLATE = re.compile(
    # a pointer to another story: its headline is not this source's claim
    r"^\W*(?:read|see|watch|listen)(?:\s+(?:more|also|next))?\s*[:|>»–—-]|"
    r"^\W*(?:related|more on this(?: story)?|recommended|читайте|дивіться|смотрите|по\s+темі?)\b"
    r"(?:\s+(?:також|также|articles?|stories))?\s*[:|>»–—-]|"
    # an advert slot, a newsletter, a subscription or a cookie notice
    r"^\W*(?:advertisement|advert|реклама|ad)\W*$|\bnewsletters?\b|\bsubscri(?:be|bers?|ption)\b|"
    r"\bunlimited access\b|\bfree articles?\b|\bcookies\b|"
    r"\bпідпи(?:шіться|сатися|ска)\b|\bпередплат\w*|\bрозсилк\w*|"
    r"\bподпи(?:шитесь|саться|ска)\b|\bрассылк\w*",
    re.IGNORECASE,
)
_CONSENT = re.compile(
    r"\b(?:cookies|personal data|your privacy|your consent|your preferences|our partners|"
    r"personali[sz]ed (?:ads|advertising)|advertising and content|файли cookie|"
    r"персональн\w+ дан\w+|ваш\w* згод\w*|ваш\w* соглас\w*)\b",
    re.IGNORECASE,
)
STORY_LISTS = ("related", "more-stories", "more_stories", "recommend", "trending", "most-read")
_BYLINE_LABEL = re.compile(r"^(?:by|author|автор|текст)\b\s*:?\s*", re.IGNORECASE)
_BYLINE_TAIL = re.compile(r"[\s·•|,;:/–—-]+$")
_TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|mc_cid|mc_eid)$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Article:
    """An article extracted from a web page, ready to be saved as a source."""

    url: str  # the canonical URL when the page names one, else the URL it was fetched from
    title: str
    text: str
    author: str | None = None
    publisher: str | None = None
    published: str | None = None  # YYYY-MM-DD

    @property
    def key(self) -> str:
        """A short stable fingerprint of the canonical URL (8 hex digits), for file names."""
        return hashlib.sha256(canonical_url(self.url).encode()).hexdigest()[:8]


def extract_article(
    html: str | bytes, url: str, published: str | None = None, today: dt.date | None = None
) -> Article | None:
    """The article in ``html`` fetched from ``url``, or None when the page has no article text.

    Bytes are decoded by trafilatura (the page's own ``<meta charset>``, else detection);
    ``published`` (e.g. a feed entry's date) is used when the page states no date.
    """
    import trafilatura  # lazy: a heavy import only `add` and feeds need

    tree = trafilatura.load_html(html)
    if tree is None:
        return None
    for node in _story_lists(tree):  # their dates are other stories' dates
        node.drop_tree()
    doc = trafilatura.bare_extraction(
        tree,
        url=url,
        with_metadata=True,
        include_tables=False,
        date_extraction_params=date_params(today),
    )
    if doc is None:
        return None
    meta = doc if isinstance(doc, dict) else doc.as_dict()
    title = _one_line(meta.get("title")) or urlsplit(url).hostname or url
    text = _body(meta.get("text") or "", title)
    if len(text) < MIN_ARTICLE_CHARS:
        return None
    canonical = _canonical(meta.get("url") or "", url)
    date = meta.get("date") or ""
    return Article(
        url=canonical if canonical.startswith(("http://", "https://")) else url,
        title=title,
        text=text,
        author=_author(meta.get("author")),
        publisher=_one_line(meta.get("sitename")),
        published=date[:10] if _DATE.match(date[:10]) else published,
    )


def _story_lists(tree: object) -> list:
    """The lists of other stories in a page's tree ("Related", "More stories", "Most read")."""
    from lxml.etree import XPath  # lazy, as trafilatura (which brings lxml)

    lower = "translate(@{0}, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')"
    tests = [f"contains({lower.format(a)}, '{n}')" for n in STORY_LISTS for a in ("class", "id")]
    return list(XPath(f"//*[{' or '.join(tests)}]")(tree))


def date_params(today: dt.date | None = None) -> dict[str, object]:
    """How htmldate looks for the page's date: only where the page states one.

    No extensive search, with or without a feed's date to fall back on: it guesses from the
    rest of the page (a copyright year in the footer as 1 January, a month named in the
    text), and a guess must not date a source; a page that states no date stays undated.
    Up to tomorrow (UTC, from ``today``): a page published after midnight in Kyiv is still
    "tomorrow" in UTC.
    """
    latest = (today or dt.datetime.now(dt.UTC).date()) + dt.timedelta(days=1)
    return {"original_date": True, "extensive_search": False, "max_date": str(latest)}


def _canonical(canonical: str, url: str) -> str:
    """The page's canonical URL, unless it is only its site's home page (a common
    misconfiguration: every article of the site would then be "already known")."""
    if not canonical.startswith(("http://", "https://")):
        return ""
    home = urlsplit(canonical).path.strip("/") == ""
    return "" if home and urlsplit(url).path.strip("/") else canonical


def _author(value: object) -> str | None:
    """The byline's names, without a label ("Автор:") or a separator left at its end."""
    name = _BYLINE_LABEL.sub("", _one_line(value) or "")
    return _BYLINE_TAIL.sub("", name) or None


def _one_line(value: object) -> str | None:
    text = " ".join(str(value or "").split())
    return text[:300] or None


def _body(text: str, title: str) -> str:
    """The extracted text without a first line that only repeats the title, nor furniture."""
    lines = [line.strip() for line in text.strip().splitlines()]
    if lines and lines[0].casefold() == title.casefold():
        lines = lines[1:]
    return "\n\n".join(line for line in lines if line and not is_boilerplate(line))


def is_boilerplate(line: str) -> bool:
    """True for page furniture the extractor kept: a short "READ MORE: <another headline>",
    "Advertisement", newsletter, paywall or cookie notice (en/uk/ru), or a paragraph of a
    consent wall (served instead of the article: "We and our partners ... cookies ...")."""
    consent = {m.casefold() for m in _CONSENT.findall(line)}
    if len(consent) >= 2:
        return True
    return len(line) <= BOILERPLATE_CHARS and bool(_BOILERPLATE.search(line))


def to_markdown(article: Article) -> str:
    """The article as a Markdown source file: YAML front matter, then the text."""
    meta = {
        "title": article.title,
        "url": article.url,
        "author": article.author,
        "publisher": article.publisher,
        "published": article.published,
    }
    front = yaml.safe_dump(
        {k: v for k, v in meta.items() if v}, allow_unicode=True, sort_keys=False, width=1000
    )
    return f"---\n{front}---\n{article.text}\n"


def canonical_url(url: str) -> str:
    """``url`` normalised for comparison: lower-case scheme and host, no default port,
    no fragment, no tracking parameters, sorted query, no trailing slash."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = parts.port if parts.port not in (None, 80 if scheme == "http" else 443) else None
    netloc = f"{host}:{port}" if port else host
    query = sorted((k, v) for k, v in parse_qsl(parts.query, True) if not _TRACKING.match(k))
    return urlunsplit((scheme, netloc, parts.path.rstrip("/") or "/", urlencode(query), ""))


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = _WORD.findall(text.casefold())
    if len(words) < SHINGLE:
        return {tuple(words)}
    return {tuple(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


def same_text(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` are the same article's text (shingle Jaccard ≥ SAME_TEXT)."""
    left, right = _shingles(a), _shingles(b)
    return len(left & right) >= SAME_TEXT * len(left | right)


def known_as(article: Article, urls: Iterable[str], sources: Iterable[Source]) -> Source | None:
    """The indexed source ``article`` duplicates: same canonical URL (``article.url`` or any
    of ``urls``, e.g. the URLs it was fetched through) or the same text; else None."""
    wanted = {canonical_url(u) for u in (article.url, *urls)}
    sources = tuple(sources)
    for source in sources:
        if source.url and canonical_url(source.url) in wanted:
            return source
    return same_as(article.text, sources)


def same_as(text: str, sources: Iterable[Source]) -> Source | None:
    """The first of ``sources`` whose text is the same article's as ``text``, else None."""
    size = len(text)
    for source in sources:
        close_in_size = SAME_TEXT * size <= len(source.text) <= size / SAME_TEXT
        if close_in_size and same_text(text, source.text):
            return source
    return None
