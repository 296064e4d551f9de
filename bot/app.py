"""The one place the Telegram ``Application`` is built, and ``run`` by polling or webhook."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import sys
from collections.abc import Callable

from telegram import BotCommand, BotCommandScopeChat, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    Forbidden,
    InvalidToken,
    NetworkError,
    TelegramError,
    TimedOut,
)
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    Defaults,
    InlineQueryHandler,
    MessageHandler,
    filters,
)

import knowledge
from bot import __version__, admin, buttons, chat, guard, inline, news, removal, texts, topics
from bot.config import Config
from bot.delivery import RetryingRequest, is_benign, is_unwritable
from bot.language import reply_language
from bot.logs import setup_logging
from bot.phrases import say
from bot.runner import Stop, fatal_reason, load_until_stopped, serve
from bot.state import BotContext, BotState, context_types
from bot.web import Site

logger = logging.getLogger(__name__)

# A reload builds the new index in a worker thread, mostly in pure Python that holds the GIL;
# with the default 5 ms switch interval each event-loop step waits behind it several times, so
# answers during a big reload took hundreds of ms. 0.5 ms hands the loop the GIL ten times
# as often, for a few per cent of the build's speed.
SWITCH_INTERVAL_S = 0.0005
RATE_LIMIT_RETRIES = 3  # AIORateLimiter waits out a 429 this many times (default 0 re-raises)
CONCURRENT_UPDATES = 64  # updates handled at once
FATAL_ERRORS = (InvalidToken, Conflict)  # end the run; logged by `run` alone, no tracebacks


def _defaults() -> Defaults:
    return Defaults(
        parse_mode=ParseMode.HTML,
        link_preview_options=LinkPreviewOptions(is_disabled=True),
        do_quote=True,  # answers quote the question; "More" can recover it after a restart
        allow_sending_without_reply=True,
    )


async def drop_edit(update: Update, context: BotContext) -> None:
    """An edited message (a question or a command) is not answered or run again."""
    raise ApplicationHandlerStop


async def drop_broadcast(update: Update, context: BotContext) -> None:
    """A channel's post, in the channel or forwarded by Telegram into its discussion group, is
    news for its readers ("Ask @bot in the comments"), not a question: no reply, not counted.
    Only a new post that a handler takes in channels (/follow, /unfollow, /following) goes on."""
    if update.channel_post is not None and guard.is_handled(update, context):
        return
    raise ApplicationHandlerStop


def add_handlers(app: Application) -> None:
    """Register every handler, most specific first."""
    broadcast = filters.UpdateType.CHANNEL_POSTS | filters.IS_AUTOMATIC_FORWARD
    app.add_handler(MessageHandler(broadcast, drop_broadcast), group=guard.GROUP - 1)
    guard.add_handler(app)  # flood limits, before any work
    app.add_handler(MessageHandler(filters.UpdateType.EDITED, drop_edit), group=-1)
    new = filters.UpdateType.MESSAGE
    private, groups = new & filters.ChatType.PRIVATE, new & filters.ChatType.GROUPS
    app.add_handler(CommandHandler("start", chat.on_start))
    joined = filters.StatusUpdate.NEW_CHAT_MEMBERS | filters.StatusUpdate.CHAT_CREATED
    app.add_handler(MessageHandler(joined, chat.on_added))
    app.add_handler(CommandHandler("help", chat.on_help))
    app.add_handler(CommandHandler("sources", chat.on_sources))
    app.add_handler(CommandHandler("ask", chat.on_ask))
    topics.add_handlers(app)
    news.add_handlers(app)  # /add, a lone URL, /feeds: before the catch-all text handlers
    removal.add_handlers(app)
    app.add_handler(CommandHandler("reload", admin.on_reload))
    app.add_handler(CommandHandler("stats", admin.on_stats))
    app.add_handler(MessageHandler(new & filters.Document.ALL, admin.on_document))
    words = (filters.TEXT | filters.CAPTION) & ~filters.COMMAND
    app.add_handler(MessageHandler(private & words, chat.on_private_text))
    app.add_handler(MessageHandler(groups & words, chat.on_group_text))
    app.add_handler(CallbackQueryHandler(buttons.on_button))
    app.add_handler(InlineQueryHandler(inline.on_inline_query))
    # last: only what no handler above took (every known command is registered before this)
    unread = private & (filters.COMMAND | filters.ATTACHMENT)
    app.add_handler(MessageHandler(unread, chat.on_private_other))


def build_application(
    config: Config, state: BotState, on_rejected: Callable[[InvalidToken], None] | None = None
) -> Application:
    """The bot, fully wired but not started: the same object ``run`` and the tests use.

    ``on_rejected`` hears of a token Telegram refuses, from whichever request met it.
    """
    sys.setswitchinterval(SWITCH_INTERVAL_S)  # process-wide: see SWITCH_INTERVAL_S
    tg = config.telegram
    pool = CONCURRENT_UPDATES + 8
    app = (
        ApplicationBuilder()
        .token(tg.token)
        .base_url(tg.base_url)
        .base_file_url(tg.base_file_url)
        .request(RetryingRequest(connection_pool_size=pool, on_rejected=on_rejected))
        .get_updates_request(RetryingRequest(retries=0, read_timeout=40, on_rejected=on_rejected))
        .rate_limiter(AIORateLimiter(max_retries=RATE_LIMIT_RETRIES))
        .defaults(_defaults())
        .context_types(context_types(state))
        .concurrent_updates(CONCURRENT_UPDATES)
        .post_init(_post_init)
        .build()
    )
    add_handlers(app)
    app.add_error_handler(on_error)
    return app


async def _post_init(app: Application) -> None:
    """Publish the command menu (described in Ukrainian and Russian for apps in those
    languages); admins see the admin commands in their private chats."""
    commands = (*texts.COMMANDS, *topics.COMMANDS, *news.COMMANDS)
    public = [BotCommand(name, text) for name, text in commands]
    await app.bot.set_my_commands(public)
    for language, described in texts.TRANSLATED_COMMANDS.items():  # a uk or ru Telegram app
        menu = [BotCommand(name, described.get(name, text)) for name, text in commands]
        await app.bot.set_my_commands(menu, language_code=language)
    admin_commands = (*texts.ADMIN_COMMANDS, *news.ADMIN_COMMANDS, *removal.ADMIN_COMMANDS)
    admin_menu = public + [BotCommand(name, text) for name, text in admin_commands]
    state: BotState = app.bot_data
    for admin_id in state.config.telegram.admin_ids:
        try:
            await app.bot.set_my_commands(admin_menu, scope=BotCommandScopeChat(admin_id))
        except (BadRequest, Forbidden) as exc:  # the admin has not opened a chat with the bot
            logger.warning("no admin command menu for %s: %s", admin_id, exc)


async def on_error(update: object, context: BotContext) -> None:
    """Log every handler error with its traceback; tell the user briefly."""
    if is_benign(context.error):
        logger.debug("benign: %s", context.error)
        return
    update_id = update.update_id if isinstance(update, Update) else None
    if is_unwritable(context.error) or (
        isinstance(context.error, Forbidden | TimedOut | NetworkError | ChatMigrated)
        and not isinstance(context.error, BadRequest)
    ):
        # the user blocked the bot, the group moved to a supergroup, the forum topic is closed,
        # or the reply may well have arrived: telling them about it would fail too, or say
        # "something went wrong" under an answer they got
        logger.warning("update %s: no reply: %s", update_id, context.error)
        return
    logger.error("update %s failed", update_id, exc_info=context.error)
    if isinstance(update, Update) and update.effective_message is not None:
        try:
            await update.effective_message.reply_text(say("failed", reply_language(update)))
        except TelegramError as exc:
            logger.warning("could not tell the user about the failure: %s", exc)


def run(config: Config) -> int:
    """Run the bot until SIGINT/SIGTERM (0), or until a fatal Telegram error (1, one line)."""
    secrets = (config.telegram.token, config.telegram.webhook.secret_token)
    setup_logging(secrets, terse=FATAL_ERRORS)
    try:
        return asyncio.run(run_async(config))
    except TelegramError as exc:
        logger.error("stopped: %s", fatal_reason(exc, config))
        return 1


async def run_async(config: Config, stop: Stop | None = None) -> int:
    """Serve /healthz (503) while the knowledge loads, then the bot until ``stop``."""
    site = Site(config)
    try:
        await site.start()
    except OSError as exc:  # the port is taken, or the address is not this host's
        logger.error("cannot serve HTTP on %s:%d: %s", site.listen, site.port, exc.strerror)
        return 1
    stop = Stop() if stop is None else stop
    try:
        state = await load_until_stopped(lambda: _load_state(config), stop)
        if stop.requested:  # SIGTERM while loading: the build is abandoned, not waited for
            logger.info("stopped while loading the knowledge")
            return 0
        if state is None:
            return 1
        app = build_application(config, state, on_rejected=stop.fail)
        logger.info("%s", startup_line(config, state, site))
        await serve(app, config, stop, site)
    finally:
        await site.stop()
    logger.info("stopped")
    return 0


def _load_state(config: Config) -> BotState | None:
    """The bot's state with its knowledge loaded, or None with the problems logged."""
    try:
        state = BotState.create(config)
    except knowledge.KnowledgeError as exc:
        for problem in exc.problems:
            logger.error("%s", problem)
        logger.error("knowledge not loaded: fix the files above (see `python -m bot check`)")
    except (OSError, sqlite3.OperationalError) as exc:
        logger.error("storage.dir %s is not usable: %s", config.storage.dir, exc)
    else:
        for problem in state.loaded.problems:
            logger.error("%s", problem)
        if state.loaded.problems:
            logger.warning(
                "knowledge not loaded: serving the last index that loaded until the files "
                "above are fixed (then /reload)"
            )
        return state
    return None


def startup_line(config: Config, state: BotState, site: Site) -> str:
    """One line: version, mode, sources, passages, index version, snapshot reused or built."""
    loaded = state.loaded
    mode = f"webhook {config.telegram.webhook.url}" if site.webhook_path else "long polling"
    http = f", /healthz on {site.listen}:{site.port}" if site.enabled else ""
    snapshot = "reused" if loaded.reused else "built"
    snapshot = "of the last good load" if loaded.problems else snapshot
    return (
        f"ceasefire-bot {__version__}: serving {len(loaded.knowledge.sources)} sources, "
        f"{len(loaded.knowledge.passages)} passages (index {loaded.version}, snapshot "
        f"{snapshot}) by {mode}{http}"
    )
