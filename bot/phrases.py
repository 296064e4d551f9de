"""The interface's short lines in English, Ukrainian and Russian: buttons, alerts, notices.

Pure data and two look-ups; which language a reader gets is decided in ``bot.language``.
Longer texts (/start, /help, reports) are in ``bot.texts``. Each line keeps its three
languages side by side; a line missing a language, or whose placeholders differ between
languages, fails ``tests/bot/test_phrases.py``.
"""

from __future__ import annotations

__all__ = ["LANGUAGES", "LINES", "PLURALS", "count", "say"]

LANGUAGES = ("en", "uk", "ru")

LINES: dict[str, dict[str, str]] = {
    # button labels (Telegram shows them narrow: keep them short)
    "source": {"en": "Source {n}", "uk": "Джерело {n}", "ru": "Источник {n}"},
    "more": {"en": "More results ▸", "uk": "Ще результати ▸", "ru": "Ещё результаты ▸"},
    "reason_w": {"en": "Wrong source", "uk": "Не те джерело", "ru": "Не тот источник"},
    "reason_o": {"en": "Outdated", "uk": "Застаріло", "ru": "Устарело"},
    "reason_n": {"en": "Not an answer", "uk": "Не відповідь", "ru": "Не ответ"},
    "previous": {"en": "◂ Previous", "uk": "◂ Назад", "ru": "◂ Назад"},
    "next": {"en": "Next ▸", "uk": "Далі ▸", "ru": "Далее ▸"},
    # alerts shown when a button is pressed
    "expired": {
        "en": "This button has expired. Please ask your question again.",
        "uk": "Ця кнопка застаріла. Поставте запитання ще раз.",
        "ru": "Эта кнопка устарела. Задайте вопрос ещё раз.",
    },
    "unknown_button": {
        "en": "Sorry, I don't recognise that button.",
        "uk": "Вибачте, я не знаю цієї кнопки.",
        "ru": "Извините, я не знаю этой кнопки.",
    },
    "more_shown": {
        "en": "The next results are already below.",
        "uk": "Наступні результати вже нижче.",
        "ru": "Следующие результаты уже ниже.",
    },
    "source_shown": {
        "en": "The full passage is already above.",
        "uk": "Повний фрагмент уже вище.",
        "ru": "Полный фрагмент уже выше.",
    },
    "source_failed": {
        "en": "I could not post the passage in this chat. Press the button again to retry.",
        "uk": "Не вдалося надіслати фрагмент у цей чат. Натисніть кнопку ще раз.",
        "ru": "Не удалось отправить фрагмент в этот чат. Нажмите кнопку ещё раз.",
    },
    "voted": {
        "en": "Thanks for the feedback!",
        "uk": "Дякуємо за відгук!",
        "ru": "Спасибо за отзыв!",
    },
    # an honest "no sourced answer": the reply's first line, the line before the suggested
    # questions, and the inline result's title and description
    "no_answer": {
        "en": "I found no sourced answer to that question in the indexed articles.",
        "uk": "Я не знайшов відповіді з джерелом на це питання в проіндексованих статтях.",
        "ru": "Я не нашёл ответа с источником на этот вопрос в проиндексированных статьях.",
    },
    "no_answer_lead": {
        "en": "You could ask, for example:",
        "uk": "Можна запитати, наприклад:",
        "ru": "Можно спросить, например:",
    },
    "no_answer_title": {
        "en": "No sourced answer",
        "uk": "Немає відповіді з джерелом",
        "ru": "Нет ответа с источником",
    },
    "no_answer_card": {
        "en": "Nothing in the indexed articles answers that; tap for suggestions",
        "uk": "У проіндексованих статтях відповіді немає; торкніться, щоб побачити приклади",
        "ru": "В проиндексированных статьях ответа нет; нажмите, чтобы увидеть примеры",
    },
    # one-line replies
    "failed": {
        "en": "Sorry, something went wrong while answering. Please try again in a moment.",
        "uk": "Вибачте, під час відповіді щось пішло не так. Спробуйте ще раз трохи згодом.",
        "ru": "Извините, при ответе что-то пошло не так. Попробуйте ещё раз чуть позже.",
    },
    "unknown_command": {
        "en": "I don't know that command: write your question in words, or see /help.",
        "uk": "Я не знаю такої команди: напишіть запитання словами або відкрийте /help.",
        "ru": "Я не знаю такой команды: напишите вопрос словами или откройте /help.",
    },
    "words_only": {
        "en": "I can only read words: write your question as text, or see /help.",
        "uk": "Я розумію лише слова: напишіть запитання текстом або відкрийте /help.",
        "ru": "Я понимаю только слова: напишите вопрос текстом или откройте /help.",
    },
    # the flood notices; {questions} is count(limit, "questions"), {when} "in_seconds"/"soon"
    "flood_user": {
        "en": "You've asked {questions} in the last minute, my limit per person. "
        "Please ask again {when}; questions sent before then are not answered.",
        "uk": "Ви поставили {questions} за останню хвилину — це мій ліміт для однієї людини. "
        "Запитайте знову {when}; на запитання, надіслані раніше, я не відповідаю.",
        "ru": "Вы задали {questions} за последнюю минуту — это мой лимит для одного человека. "
        "Спросите снова {when}; на вопросы, отправленные раньше, я не отвечаю.",
    },
    "flood_group": {
        "en": "This group has asked {questions} in the last minute, my limit for a group. "
        "I'll answer again {when}; questions sent before then are not answered.",
        "uk": "Ця група поставила {questions} за останню хвилину — це мій ліміт для групи. "
        "Я знову відповідатиму {when}; на запитання, надіслані раніше, я не відповідаю.",
        "ru": "Эта группа задала {questions} за последнюю минуту — это мой лимит для группы. "
        "Я снова буду отвечать {when}; на вопросы, отправленные раньше, я не отвечаю.",
    },
    "flood_channel": {  # a channel's admins post its commands (/follow...): no one person
        "en": "This channel is posting too fast: {commands} in the last minute, my limit for a "
        "channel. I'll answer again {when}; commands posted before then are not answered.",
        "uk": "Цей канал публікує надто швидко: {commands} за останню хвилину — це мій ліміт для "
        "каналу. Я знову відповідатиму {when}; на команди, опубліковані раніше, я не відповідаю.",
        "ru": "Этот канал публикует слишком быстро: {commands} за последнюю минуту — это мой "
        "лимит для канала. Я снова буду отвечать {when}; на команды, опубликованные раньше, я "
        "не отвечаю.",
    },
    # a group message sent as a channel, or by the group's anonymous admins: no one person
    "flood_as_channel": {
        "en": "This channel is asking too fast: {questions} in the last minute, my limit per "
        "sender. I'll answer it again {when}; questions sent before then are not answered.",
        "uk": "Цей канал запитує надто швидко: {questions} за останню хвилину — це мій ліміт для "
        "одного відправника. Я знову відповідатиму йому {when}; на запитання, надіслані раніше, "
        "я не відповідаю.",
        "ru": "Этот канал спрашивает слишком быстро: {questions} за последнюю минуту — это мой "
        "лимит для одного отправителя. Я снова буду ему отвечать {when}; на вопросы, "
        "отправленные раньше, я не отвечаю.",
    },
    "flood_anonymous": {
        "en": "This group's anonymous admins are asking too fast: {questions} in the last minute, "
        "my limit per sender. I'll answer them again {when}; questions sent before then are not "
        "answered.",
        "uk": "Анонімні адміністратори цієї групи запитують надто швидко: {questions} за останню "
        "хвилину — це мій ліміт для одного відправника. Я знову відповідатиму їм {when}; на "
        "запитання, надіслані раніше, я не відповідаю.",
        "ru": "Анонимные администраторы этой группы спрашивают слишком быстро: {questions} за "
        "последнюю минуту — это мой лимит для одного отправителя. Я снова буду им отвечать "
        "{when}; на вопросы, отправленные раньше, я не отвечаю.",
    },
    "in_seconds": {"en": "in {seconds}", "uk": "через {seconds}", "ru": "через {seconds}"},
    "soon": {"en": "in a moment", "uk": "за мить", "ru": "через мгновение"},
    # a non-admin trying an admin command
    "refused": {
        "en": "Sorry, only the bot's admins can do that.",
        "uk": "Вибачте, це можуть лише адміністратори бота.",
        "ru": "Извините, это могут только администраторы бота.",
    },
    "refused_anonymous": {
        "en": "Sorry, only the bot's admins can do that, and I cannot tell who you are while you "
        "post anonymously or as a channel: send it to me in a private chat.",
        "uk": "Вибачте, це можуть лише адміністратори бота, а я не знаю, хто ви, коли ви пишете "
        "анонімно або від імені каналу: надішліть це мені в особистий чат.",
        "ru": "Извините, это могут только администраторы бота, а я не знаю, кто вы, когда вы "
        "пишете анонимно или от имени канала: отправьте это мне в личный чат.",
    },
    # /compare without a topic
    "compare_usage": {
        "en": "/compare needs a topic: Ukraine's and Russia's positions on it, side by side.",
        "uk": "Після /compare напишіть тему: покажу позиції України та Росії щодо неї поруч.",
        "ru": "После /compare напишите тему: покажу позиции Украины и России по ней рядом.",
    },
    "for_example": {"en": "For example:", "uk": "Наприклад:", "ru": "Например:"},
    # /follow, /unfollow, /following and what followers get
    "quoted": {"en": "“{text}”", "uk": "«{text}»", "ru": "«{text}»"},
    "follow_usage": {
        "en": "Send <code>/follow TOPIC</code>, e.g. /follow Istanbul talks.",
        "uk": "Надішліть <code>/follow ТЕМА</code>, напр. /follow переговори в Стамбулі.",
        "ru": "Отправьте <code>/follow ТЕМА</code>, напр. /follow переговоры в Стамбуле.",
    },
    "follow_full": {
        "en": "You already follow {topics}; /unfollow one first.",
        "uk": "Ви вже стежите за {topics}; спершу відпишіться від однієї: /unfollow.",
        "ru": "Вы уже следите за {topics}; сначала отпишитесь от одной: /unfollow.",
    },
    "followed": {
        "en": "Following {topic}. When new sources about it are added, I'll send you the excerpts.",
        "uk": "Тепер ви стежите за темою {topic}. Щойно з'являться нові джерела про неї, я "
        "надішлю цитати.",
        "ru": "Теперь вы следите за темой {topic}. Как только появятся новые источники о ней, я "
        "пришлю цитаты.",
    },
    "unfollowed": {
        "en": "Stopped following {topic}.",
        "uk": "Ви більше не стежите за темою {topic}.",
        "ru": "Вы больше не следите за темой {topic}.",
    },
    "unfollowed_all": {
        "en": "Stopped following any topic.",
        "uk": "Ви більше не стежите за жодною темою.",
        "ru": "Вы больше не следите ни за одной темой.",
    },
    "not_following": {
        "en": "You were not following {topic}.",
        "uk": "Ви не стежили за темою {topic}.",
        "ru": "Вы не следили за темой {topic}.",
    },
    "not_following_any": {
        "en": "You were not following any topic.",
        "uk": "Ви не стежили за жодною темою.",
        "ru": "Вы не следили ни за одной темой.",
    },
    "following_head": {
        "en": "<b>You follow</b>",
        "uk": "<b>Ви стежите за темами</b>",
        "ru": "<b>Вы следите за темами</b>",
    },
    "following_none": {
        "en": "You follow no topic. Try /follow Istanbul talks.",
        "uk": "Ви не стежите за жодною темою. Спробуйте /follow переговори в Стамбулі.",
        "ru": "Вы не следите ни за одной темой. Попробуйте /follow переговоры в Стамбуле.",
    },
    "new_sources": {
        "en": "🔔 <b>New sources</b> on {topics}:",
        "uk": "🔔 <b>Нові джерела</b> на тему {topics}:",
        "ru": "🔔 <b>Новые источники</b> по теме {topics}:",
    },
    # /sources
    "sources_head": {
        "en": "<b>Indexed sources</b> ({n}), page {page} of {pages}",
        "uk": "<b>Джерела в індексі</b> ({n}), сторінка {page} з {pages}",
        "ru": "<b>Источники в индексе</b> ({n}), страница {page} из {pages}",
    },
    "no_sources": {
        "en": "No sources are indexed.",
        "uk": "Жодного джерела не проіндексовано.",
        "ru": "Ни один источник не проиндексирован.",
    },
    # inline mode, an empty query: the suggested questions as cards
    "suggested_title": {
        "en": "Suggested question",
        "uk": "Запитання-приклад",
        "ru": "Пример вопроса",
    },
    "suggested_card": {
        "en": "Suggested question: tap to post the sourced answer",
        "uk": "Запитання-приклад: торкніться, щоб надіслати відповідь із джерелами",
        "ru": "Пример вопроса: нажмите, чтобы отправить ответ с источниками",
    },
}

# the forms of a counted noun: English one/other; Ukrainian and Russian one/few/many
PLURALS: dict[str, dict[str, tuple[str, ...]]] = {
    "questions": {
        "en": ("question", "questions"),
        "uk": ("запитання", "запитання", "запитань"),
        "ru": ("вопрос", "вопроса", "вопросов"),
    },
    "topics": {  # as after "follow" / "стежити за" / "следить за"
        "en": ("topic", "topics"),
        "uk": ("темою", "темами", "темами"),
        "ru": ("темой", "темами", "темами"),
    },
    "commands": {  # as a subject: 1 команда, 2 команди, 5 команд
        "en": ("command", "commands"),
        "uk": ("команда", "команди", "команд"),
        "ru": ("команда", "команды", "команд"),
    },
    "seconds": {  # as after "in" / "через": через 1 секунду, 2 секунди, 5 секунд
        "en": ("second", "seconds"),
        "uk": ("секунду", "секунди", "секунд"),
        "ru": ("секунду", "секунды", "секунд"),
    },
}


def say(key: str, language: str, **values: object) -> str:
    """The line ``key`` in ``language`` (English for any other), with ``values`` filled in."""
    line = LINES[key]
    return line.get(language, line["en"]).format(**values)


def count(number: int, noun: str, language: str) -> str:
    """``number`` with ``noun`` in the form its language wants: "1 question", "5 запитань"."""
    forms = PLURALS[noun].get(language, PLURALS[noun]["en"])
    if len(forms) == 2:
        return f"{number} {forms[0 if number == 1 else 1]}"
    tens, units = number % 100, number % 10
    if units == 1 and tens != 11:
        form = forms[0]
    elif 2 <= units <= 4 and not 12 <= tens <= 14:
        form = forms[1]
    else:
        form = forms[2]
    return f"{number} {form}"
