"""SQL plumbing shared by the billing stub, the project's state and the tracker store:
engines (SQLite tuned for one machine), sessions off the event loop, prepared statements."""
