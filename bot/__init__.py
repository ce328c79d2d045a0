"""Runtime around the Rasa assistant: configuration, billing, channels and handoff."""
