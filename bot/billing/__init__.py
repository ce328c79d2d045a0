"""The billing port, its SQLAlchemy stub and the pure billing rules."""
