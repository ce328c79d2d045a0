"""Canned replies: prepared answers in each language, filled from the case and edited."""
