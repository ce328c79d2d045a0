"""The Rasa side of Telegram: the bridge's signed channel (``input``), pushes through the
Bot API, and what the bridge process and Rasa agree on (``protocol``, formatting, keyboards)."""
