"""The clean RFC 7644 client: lowercase ops with paths, JSON booleans, DELETE."""

from __future__ import annotations

from mock_idp.dialects.base import Dialect


class GenericDialect(Dialect):
    """Every request as RFC 7644 describes it; it can express every rule."""
