"""Proactive notices: balance, data and bill notices the assistant sends first."""
