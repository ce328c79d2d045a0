"""The agent console: a small Sanic web app over ``bot.handoff.desk.HandoffDesk``.

Rooms: ``web`` (the app, layout, markup, strings, security headers), ``access``
(accounts, passwords, sessions, sign-in), ``cases`` (queue and case pages),
``tickets``, ``review``, ``deliveries`` and ``dashboard``. At the top sit the
process's own parts: ``wiring`` (its composition root), ``settings``, ``serve``
and ``ticker``. Pages are rendered on the server in Chinese or English, with a
little JavaScript in ``static/console.js`` for live updates.
"""
