"""Tests that serve an app on a loopback port in the test process (the agent console, the
action server, a keep-alive peer): quicker than ``tests/e2e``, kept out of ``tests/unit``."""
