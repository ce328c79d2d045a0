"""Conversation review: customer messages the bot handled badly, labelled by agents.

- ``source``: the candidates (fallback, handoff, low confidence), read from Rasa's
  tracker store; the port ``ReviewSource`` and its SQL adapter
- ``store``: the ``review_items`` table (masked text, status, label)
- ``desk``: what the console's Review page calls (sync, list, label, dismiss)
- ``export``: labelled items as Rasa NLU YAML under ``data/nlu/``
"""
