"""One-time codes by SMS: verify a phone number on channels without identity."""
