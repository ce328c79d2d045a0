"""The agent console: a small Sanic web app over ``bot.handoff.desk.HandoffDesk``.

Agents sign in (``accounts``, ``sessions``), see the queue, open a case, claim
it, reply and resolve it; a dashboard shows the figures. Pages are rendered on
the server (``views_*``) in Chinese or English (``i18n``), with a little
JavaScript in ``static/console.js`` that polls for live updates.
"""
