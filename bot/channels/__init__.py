"""Rasa input channels, one module per channel."""
