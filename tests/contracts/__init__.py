"""Contract tests: one suite per port, run against the fake the unit tests use and the real
adapter, so that a fake cannot drift from what it stands in for."""
