"""The Telegram front end: a python-telegram-bot process that bridges to Rasa.

Telegram talks to this bridge (long polling or a webhook); the bridge links a
Telegram user to a phone number from a shared contact, and forwards every
customer message to Rasa's ``telegram`` channel (``bot/channels/telegram/input.py``)
as a signed request. Rasa owns the dialogue; the bridge keeps only the links.
"""
