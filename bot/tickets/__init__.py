"""Complaint tickets worked by agents: the console's ticket desk and the customer notices."""
