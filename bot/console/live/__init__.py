"""Live push: each console process tails the desk's change log and streams it to its browsers."""
