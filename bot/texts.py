"""Command replies in Telegram HTML: welcome, help, the source list, admin reports; pure."""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.feedback import VoteSummary
from bot.keyboards import encode
from bot.phrases import say
from bot.render import MAX_FIELD, linkable
from bot.stats import Summary
from bot.textfit import fit_blocks, short_html
from knowledge import SUGGESTIONS, KnowledgeDiff, Problem, Source
from knowledge.answer import TRANSLATED_SUGGESTIONS, suggested_questions
from knowledge.source_table import source_heads

SOURCES_PAGE = 8  # sources listed per /sources page
EXAMPLES = SUGGESTIONS  # the core's suggested questions, offered as example buttons
# every question an "example" button may ask: the examples first (their buttons' numbers
# stay), then their Ukrainian and Russian forms, offered under a refusal in those languages
ASKABLE = (*EXAMPLES, *(q for qs in TRANSLATED_SUGGESTIONS.values() for q in qs))
REFUSED = say("refused", "en")
TOO_BIG_FOR_BOTS = (
    "Telegram lets bots download files of up to 20 MB only: split the source, or put it in a "
    "knowledge folder and send /reload."
)
STATS_IN_PRIVATE = "/stats quotes what people asked, so it is shown only in a private chat with me."
# the English of lines every reader gets in their language (``bot.phrases.say``)
FAILED = say("failed", "en")
EXPIRED = say("expired", "en")
UNKNOWN_BUTTON = say("unknown_button", "en")
MORE_SHOWN = say("more_shown", "en")
VOTED = say("voted", "en")
UNKNOWN_COMMAND = say("unknown_command", "en")
WORDS_ONLY = say("words_only", "en")
COMMANDS = (
    ("ask", "Ask a question about the ceasefire talks"),
    ("sources", "List the indexed sources"),
    ("help", "How to use the bot, with examples"),
    ("start", "What this bot is"),
)
# the menu's descriptions for a user whose Telegram app is in Ukrainian or Russian
TRANSLATED_COMMANDS = {
    "uk": {
        "ask": "Запитати про переговори щодо припинення вогню",
        "sources": "Список джерел",
        "help": "Як користуватися ботом, з прикладами",
        "start": "Що це за бот",
        "stakeholders": "Хто бере участь і в якій ролі (напр. /stakeholders turkey)",
        "demands": "Чого вимагає кожна сторона (напр. /demands russia)",
        "outcomes": "Чим завершився кожен раунд переговорів",
        "compare": "Позиції України та Росії з однієї теми (напр. /compare crimea)",
        "follow": "Отримувати нові цитати на тему (напр. /follow Istanbul)",
        "unfollow": "Не стежити за темою (або за всіма: /unfollow)",
        "following": "Теми, за якими ви стежите",
    },
    "ru": {
        "ask": "Спросить о переговорах о прекращении огня",
        "sources": "Список источников",
        "help": "Как пользоваться ботом, с примерами",
        "start": "Что это за бот",
        "stakeholders": "Кто участвует и в какой роли (напр. /stakeholders turkey)",
        "demands": "Чего требует каждая сторона (напр. /demands russia)",
        "outcomes": "Чем закончился каждый раунд переговоров",
        "compare": "Позиции Украины и России по одной теме (напр. /compare crimea)",
        "follow": "Получать новые цитаты по теме (напр. /follow Istanbul)",
        "unfollow": "Перестать следить за темой (или за всеми: /unfollow)",
        "following": "Темы, за которыми вы следите",
    },
}
ADMIN_COMMANDS = (
    ("reload", "Re-read every knowledge folder and swap the index"),
    ("stats", "Questions served, no-answer rate, latency"),
)


def _e(text: str | None, size: int = MAX_FIELD) -> str:
    return short_html(text, size)


def same_text_html(name: str, title: str) -> str:
    """An upload refused because a source already has its text."""
    return f"Not added: {_e(name)} has the same text as “{_e(title)}”, already a source."


_WELCOME = {
    "en": (
        "Ask me about the Russia–Ukraine ceasefire talks: who takes part, what each side "
        "demands, what came out of each round. I answer only with short excerpts from sourced "
        "articles, each one cited."
    ),
    "uk": (
        "Запитайте мене про переговори щодо припинення вогню між Росією та Україною: хто бере "
        "участь, чого вимагає кожна сторона, чим завершився кожен раунд. Я відповідаю лише "
        "короткими цитатами з джерел, кожна з посиланням. Джерела англійською, тож і цитати "
        "англійською."
    ),
    "ru": (
        "Спросите меня о переговорах о прекращении огня между Россией и Украиной: кто "
        "участвует, чего требует каждая сторона, чем закончился каждый раунд. Я отвечаю только "
        "короткими цитатами из источников, каждая со ссылкой. Источники на английском, поэтому "
        "и цитаты на английском."
    ),
}
_IN_GROUP = {
    "en": "In this group, write <code>/ask</code> and your question, mention @{name}, or reply "
    "to one of my answers.",
    "uk": "У цій групі напишіть <code>/ask</code> і запитання, згадайте @{name} або дайте "
    "відповідь на моє повідомлення.",
    "ru": "В этой группе напишите <code>/ask</code> и вопрос, упомяните @{name} или ответьте "
    "на моё сообщение.",
}
_TRY = {"en": "Try one of these:", "uk": "Спробуйте одне з цих запитань:", "ru": "Попробуйте:"}


def welcome_html(username: str = "", group: bool = False, language: str = "en") -> str:
    """The /start text in ``language`` (en, uk or ru); example questions come as buttons. In
    a group it says how to ask there (a plain message is not a question to the bot)."""
    language = language if language in _WELCOME else "en"
    where = ""
    if group:
        where = "\n\n" + _IN_GROUP[language].format(name=escape(username, quote=False))
    return f"<b>Ceasefire Talks Bot</b>\n\n{_WELCOME[language]}{where}\n\n{_TRY[language]}"


def compare_usage_html(topics: Sequence[str], language: str = "en") -> str:
    """/compare without a topic, in ``language``: what it needs, and the topics the sources
    can compare."""
    listed = "\n".join(f"• {_e(t)}" for t in topics)
    text = say("compare_usage", language)
    return f"{text}\n\n{say('for_example', language)}\n{listed}" if listed else text


_HELP = {
    "en": (
        "<b>How to ask</b>\n"
        "• In a private chat, just write your question.\n"
        "• In a group: <code>/ask your question</code>, mention @{name} or reply to me; "
        "<code>/ask</code> or @{name} in reply to someone's question answers it.\n"
        "• In any chat: type <code>@{name} minsk</code> and pick an excerpt.\n"
        "• By topic: /stakeholders, /demands russia, /outcomes, /compare crimea.\n"
        '• Latest news: ask "what is the latest on the talks?"; /follow istanbul talks sends '
        "you new excerpts on a topic as sources are added.\n\n"
        "Under each answer, <b>Source</b> shows the full passage and <b>More results</b> "
        "the next excerpts; 👍 / 👎 tell me whether it helped. Reply to an answer to follow "
        "up: <i>and Ukraine?</i>, <i>why?</i>. /sources lists what is indexed.\n\n"
        "<b>Examples</b>\n{examples}"
    ),
    "uk": (
        "<b>Як запитати</b>\n"
        "• В особистому чаті просто напишіть запитання.\n"
        "• У групі: <code>/ask ваше запитання</code>, згадайте @{name} або дайте відповідь на "
        "моє повідомлення; <code>/ask</code> чи @{name} у відповідь на чуже запитання "
        "відповідає на нього.\n"
        "• У будь-якому чаті: наберіть <code>@{name} мінськ</code> і виберіть цитату.\n"
        "• За темою: «вимоги росії», «підсумки стамбул», /stakeholders, /compare crimea.\n"
        "• Новини: «що нового на переговорах?»; /follow istanbul talks надсилатиме нові "
        "цитати на тему, щойно з'являться джерела.\n\n"
        "Під кожною відповіддю <b>Джерело</b> показує весь фрагмент, <b>Ще результати</b> — "
        "наступні цитати; 👍 / 👎 — чи допомогла відповідь. Щоб уточнити, напишіть "
        "<i>а Туреччина?</i> або <i>чому?</i>. /sources — список джерел.\n\n"
        "<b>Приклади</b>\n{examples}"
    ),
    "ru": (
        "<b>Как спросить</b>\n"
        "• В личном чате просто напишите вопрос.\n"
        "• В группе: <code>/ask ваш вопрос</code>, упомяните @{name} или ответьте на моё "
        "сообщение; <code>/ask</code> или @{name} в ответ на чужой вопрос отвечает на него.\n"
        "• В любом чате: наберите <code>@{name} минск</code> и выберите цитату.\n"
        "• По теме: «требования россии», «итоги стамбул», /stakeholders, /compare crimea.\n"
        "• Новости: «что нового на переговорах?»; /follow istanbul talks будет присылать "
        "новые цитаты по теме, как только появятся источники.\n\n"
        "Под каждым ответом <b>Источник</b> показывает весь фрагмент, <b>Ещё результаты</b> — "
        "следующие цитаты; 👍 / 👎 — помог ли ответ. Чтобы уточнить, напишите "
        "<i>а Турция?</i> или <i>почему?</i>. /sources — список источников.\n\n"
        "<b>Примеры</b>\n{examples}"
    ),
}


def help_html(username: str, language: str = "en") -> str:
    """The /help text with example questions, in ``language`` (en, uk or ru)."""
    language = language if language in _HELP else "en"
    listed = "\n".join(f"• {escape(q, quote=False)}" for q in suggested_questions(language))
    return _HELP[language].format(name=escape(username, quote=False), examples=listed)


def _source_line(source: Source, budget: int) -> str:
    title = _e(source.title) or _e(source.id)
    url = linkable(source.url)
    if url:
        title = f'<a href="{escape(url)}">{title}</a>'
    details = [v for v in (source.author, source.publisher, source.published) if v]
    extra = ", ".join(_e(v, max(budget // 3, 1)) for v in details)
    return f"• {title}" + (f" — {extra}" if extra else "")


def _natural(text: str) -> list[tuple[int, str]]:
    """A sort key that puts "Report 2" before "Report 10"."""
    return [(int(p), "") if p.isdigit() else (-1, p) for p in re.split(r"(\d+)", text.casefold())]


def newest_first(sources: Sequence[Source]) -> list[Source]:
    """The sources' metadata, the newest published first, then the undated by title."""
    heads = sorted(source_heads(sources), key=lambda s: (_natural(s.title), s.id))
    dated = sorted((s for s in heads if s.published), key=lambda s: s.published, reverse=True)
    return [*dated, *(s for s in heads if not s.published)]


def sources_page(
    sources: Sequence[Source], page: int, language: str = "en"
) -> tuple[str, InlineKeyboardMarkup | None]:
    """Page ``page`` (0-based, clamped) of ``sources`` (as `newest_first` lists them), with
    Prev/Next buttons, in ``language``."""
    pages = max(1, -(-len(sources) // SOURCES_PAGE))
    page = min(max(page, 0), pages - 1)
    shown = sources[page * SOURCES_PAGE : (page + 1) * SOURCES_PAGE]
    head = say("sources_head", language, n=len(sources), page=page + 1, pages=pages)
    body = fit_blocks(lambda i, budget: _source_line(shown[i], budget), len(shown), 3900)
    text = f"{head}\n\n{body if shown else say('no_sources', language)}"
    turns = (("previous", page - 1), ("next", page + 1))
    buttons = [
        InlineKeyboardButton(say(label, language), callback_data=encode("l", number=to))
        for label, to in turns
        if 0 <= to < pages
    ]
    return text, (InlineKeyboardMarkup([buttons]) if buttons else None)


def reload_html(diff: KnowledgeDiff, took_ms: float) -> str:
    """What a successful reload changed."""
    lines = [
        f"<b>Reloaded</b> in {took_ms:.0f} ms: {diff.sources} sources, {diff.passages} passages."
    ]
    for label, ids in (("Added", diff.added), ("Removed", diff.removed), ("Changed", diff.changed)):
        if ids:
            listed = ", ".join(ids[:50]) + (f" and {len(ids) - 50} more" if len(ids) > 50 else "")
            lines.append(f"{label}: {_e(listed, 1200)}")  # three lists stay within one message
    if diff.taxonomy:
        lines.append("The taxonomy changed: tags and topic commands were rebuilt.")
    if diff.unchanged:
        lines.append("No source changed.")
    return "\n".join(lines)


def problems_html(problems: Sequence[Problem], what: str = "Reload refused") -> str:
    """Why nothing was swapped: each problem as ``path:line: message``."""
    shown = "\n".join(f"• <code>{_e(str(p), 300)}</code>" for p in problems[:10])
    more = f"\n…and {len(problems) - 10} more." if len(problems) > 10 else ""
    return f"<b>{what}</b>: the old index keeps serving.\n{shown}{more}"


def stats_html(
    summary: Summary, sources: int, passages: int, votes: VoteSummary | None = None
) -> str:
    """The /stats report."""
    rate = summary.unanswered_rate
    ms = lambda v: "n/a" if v is None else f"{v:.1f} ms"  # noqa: E731
    lines = [
        "<b>Stats</b>",
        f"Sources: {sources}, passages: {passages}",
        f"Questions served: {summary.questions}",
        f"No-answer rate: {'n/a' if rate is None else f'{rate:.0%}'}",
        f"Latency p50: {ms(summary.p50_ms)}, p95: {ms(summary.p95_ms)}",
    ]
    if votes is not None:
        lines += _votes_lines(votes)
    if summary.top_unanswered:
        lines.append("\n<b>Unanswered, most frequent first</b>")
        lines += [f"{n}× {_e(q, 120)}" for q, n in summary.top_unanswered]
    if votes is not None and votes.most_down:
        lines.append("\n<b>Most down-voted</b>")
        lines += [f"{down}👎 {up}👍 {_e(q, 120)}" for q, down, up in votes.most_down]
    return "\n".join(lines)


def _votes_lines(votes: VoteSummary) -> list[str]:
    rate = votes.helpful_rate
    helpful = "n/a" if rate is None else f"{rate:.0%}"
    lines = [f"Votes: {votes.up} 👍, {votes.down} 👎 (helpful rate {helpful})"]
    if votes.reasons:
        lines.append("Why 👎: " + ", ".join(f"{_e(r)} {n}" for r, n in votes.reasons))
    return lines
