"""The SMS gateway channel: the signed webhook (``input``), its body (``request``),
idempotent deliveries, segment counting, the outbound API and pushes."""
