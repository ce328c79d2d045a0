"""Who may use the console: accounts, passwords, sessions, sign-in throttling, the sign-in page."""
