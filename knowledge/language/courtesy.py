"""Messages that ask nothing of the sources: thanks ("thanks!", "ok 👍", "дякую"), greetings
("hi", "привіт", "здравствуйте") and questions about the bot itself ("how do I use this?")."""

from __future__ import annotations

import re

from knowledge.language.tokenize import normalize

__all__ = ["asks_about_the_bot", "is_courtesy", "is_greeting"]


def _set(*lines: str) -> frozenset[str]:
    return frozenset(" ".join(lines).split())


# Every word of such a message is one of these (English, Ukrainian, Russian; lowercased), and
# a greeting or a question about the bot has one of its heads.
_COURTESY = _set(
    "thanks thank thx ty tnx you very much so a lot lots many ok okay k kk cool great nice good",
    "perfect awesome got it understood see i bot mate all right alright that's helpful lol",
    "haha wow",
    "дякую дякуємо дяки спасибі дуже велике щиро ок окей добре зрозуміло чудово клас супер",
    "спасибо благодарю большое огромное очень ок окей хорошо понятно отлично класс супер ясно",
)
_GREETINGS = _set(
    "hi hello hey hiya yo good morning afternoon evening day there bot everyone all",
    "привіт вітаю добрий день ранок ранку вечір вечора доброго здрастуйте",
    "привет здравствуйте здравствуй добрый доброе утро вечер день всем",
)
_GREETING_HEADS = _set(
    "hi hello hey hiya morning afternoon evening привіт вітаю здрастуйте ранку день",
    "привет здравствуйте утро",
)
_ABOUT_BOT = _set(
    "help how do does i can you use this it bot work what are commands command start menu",
    "допомога допоможи як користуватися цим тобою ботом бот що ти вмієш можеш працює",
    "помощь помоги как пользоваться этим тобой ботом бот что ты умеешь можешь работает",
)
_BOT_HEADS = _set(
    "help bot commands use can work допомога ботом бот вмієш можеш користуватися",
    "помощь умеешь пользоваться",
)
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


def _words(text: str) -> list[str]:
    return _WORD.findall(normalize(text).replace("’", "'"))


def is_greeting(text: str) -> bool:
    """True for a greeting and nothing else: "hi", "Good morning!", "Привіт", "Добрый день"."""
    found = _words(text)
    return bool(found) and set(found) <= _GREETINGS and bool(_GREETING_HEADS & set(found))


def asks_about_the_bot(text: str) -> bool:
    """True for a question about the bot rather than the talks: "help", "how do I use this
    bot?", "what can you do?", "як користуватися ботом?", "что ты умеешь?"."""
    found = _words(text)
    return bool(found) and set(found) <= _ABOUT_BOT and bool(_BOT_HEADS & set(found))


def is_courtesy(text: str) -> bool:
    """True when ``text`` has words and each only thanks or acknowledges: nothing to answer."""
    folded = normalize(text).replace("’", "'")
    found = _WORD.findall(folded)
    rest = _WORD.sub(" ", folded)
    return bool(found) and all(w in _COURTESY for w in found) and not re.search(r"[\d?]", rest)
