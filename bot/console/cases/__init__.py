"""Handoff cases: the queue, one case (claim, reply, resolve) and their JSON twins."""
