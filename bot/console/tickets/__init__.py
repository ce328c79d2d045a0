"""Complaint tickets: the list against deadlines, one ticket, credit requests."""
