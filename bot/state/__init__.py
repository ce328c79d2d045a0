"""The project's own state (handoff cases, console accounts and sessions, deliveries,
mailbox, Telegram links, verification, proposals), apart from the billing stub."""
