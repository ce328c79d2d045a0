"""Telegram update handlers. Rasa owns the dialogue; these only link numbers and relay."""

from __future__ import annotations

import contextlib
import logging
import traceback

from telegram import ReplyKeyboardRemove, Update
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.channels.telegram.keyboards import contact_keyboard
from bot.channels.telegram.protocol import BridgeMessage, is_button_payload, sender_id
from bot.domain.numbers import mask_msisdn, mask_numbers, normalise_msisdn
from bot.telegram_bridge import texts
from bot.telegram_bridge.deps import deps
from bot.telegram_bridge.menu import start_request
from bot.telegram_bridge.rasa_client import BridgeError
from bot.telegram_bridge.sending import send_reply, send_text

logger = logging.getLogger(__name__)
Context = ContextTypes.DEFAULT_TYPE


async def start(update: Update, context: Context) -> None:
    """Greet in the app's language and offer the share-my-number button; a deep link's
    parameter (``/start bill``) is then asked of the bot as its SMS code would be."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return
    bridge = deps(context)
    language = texts.language_of(user)
    button = bridge.texts.render(texts.SHARE_CONTACT_BUTTON, language)
    welcome = bridge.texts.render(texts.WELCOME, language, name=user.first_name)
    await send_text(chat, welcome, contact_keyboard(button))
    request = start_request(context.args)
    message = update.effective_message
    if request is not None and message is not None:
        await _forward(update, context, request, f"{message.chat_id}-{message.message_id}")


async def help_command(update: Update, context: Context) -> None:
    """What the bot can do."""
    if update.effective_chat is None:
        return
    language = texts.language_of(update.effective_user)
    await send_text(update.effective_chat, deps(context).texts.render(texts.HELP, language))


async def unlink(update: Update, context: Context) -> None:
    """Forget the user's number; offer the button again."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return
    bridge = deps(context)
    language = texts.language_of(user)
    removed = await bridge.links.unlink(user.id)
    button = bridge.texts.render(texts.SHARE_CONTACT_BUTTON, language)
    reply = bridge.texts.render(texts.UNLINKED if removed else texts.NOT_LINKED, language)
    await send_text(chat, reply, contact_keyboard(button))


async def contact(update: Update, context: Context) -> None:
    """Link the number of a contact the user shared, only if it is the user's own."""
    user, chat, message = update.effective_user, update.effective_chat, update.effective_message
    if user is None or chat is None or message is None or message.contact is None:
        return
    bridge = deps(context)
    language = texts.language_of(user)
    if message.contact.user_id != user.id:
        logger.info("telegram user %s shared someone else's contact: refused", user.id)
        await send_text(chat, bridge.texts.render(texts.CONTACT_REFUSED, language))
        return
    msisdn = normalise_msisdn(message.contact.phone_number)
    if msisdn is None:
        await send_text(chat, bridge.texts.render(texts.CONTACT_INVALID, language))
        return
    await bridge.links.link(user.id, msisdn)
    logger.info("telegram user %s linked %s", user.id, mask_msisdn(msisdn))
    linked = bridge.texts.render(texts.LINKED, language, msisdn=mask_msisdn(msisdn))
    await send_text(chat, linked, ReplyKeyboardRemove())


async def text_message(update: Update, context: Context) -> None:
    """Forward a customer's text to Rasa (the channel drops a leading ``/``)."""
    message = update.effective_message
    if message is None or not message.text:
        return
    await _forward(update, context, message.text, f"{message.chat_id}-{message.message_id}")


async def button_press(update: Update, context: Context) -> None:
    """Answer the callback query, retire the buttons, forward what the button sends."""
    query = update.callback_query
    if query is None:
        return
    await query.answer()
    data = query.data or ""
    if query.message is None or not data or (data.startswith("/") and not is_button_payload(data)):
        logger.warning("telegram user %s sent unknown callback data: ignored", query.from_user.id)
        return
    with contextlib.suppress(TelegramError):  # already edited, or too old to edit
        await query.edit_message_reply_markup(reply_markup=None)
    await _forward(update, context, data, f"cb-{query.id}", payload=is_button_payload(data))


async def _forward(
    update: Update, context: Context, text: str, message_id: str, payload: bool = False
) -> None:
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return
    bridge = deps(context)
    msisdn = await bridge.links.msisdn_for(user.id)
    message = BridgeMessage(sender_id(user.id), message_id, text, msisdn, payload)
    try:
        replies = await bridge.rasa.send(message)
    except BridgeError as exc:
        logger.error("telegram user %s: %s", user.id, mask_numbers(str(exc)))
        await send_text(chat, bridge.texts.render(texts.UNAVAILABLE, texts.language_of(user)))
        return
    for reply in replies:
        await send_reply(chat, reply)


async def on_error(update: object, context: Context) -> None:
    """Log the failure with phone numbers masked; tell the user politely."""
    error = context.error
    trace = "".join(traceback.format_exception(error)) if error else "unknown error"
    update_id = update.update_id if isinstance(update, Update) else None
    logger.error("telegram update %s failed: %s", update_id, mask_numbers(trace))
    if isinstance(update, Update) and update.effective_chat is not None:
        language = texts.language_of(update.effective_user)
        with contextlib.suppress(Exception):
            await send_text(
                update.effective_chat, deps(context).texts.render(texts.UNAVAILABLE, language)
            )
