"""The declarative base of the project's own tables (migrated by Alembic, never dropped)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import declarative_base

StateBase: Any = declarative_base()  # untyped in SQLAlchemy 1.4
