"""Storage: all SQL lives in this package and returns domain objects, not rows.

``Store`` opens the database, applies migrations, and exposes one repository per area.
"""

from bot.store.db import Database, Store

__all__ = ["Database", "Store"]
