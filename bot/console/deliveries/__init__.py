"""SMS that a real gateway could not deliver, and sending one again."""
