"""Who a database belongs to and which schema it has: constants with no imports, shared by the
engine and by the quick read-only path that must not load SQLAlchemy."""

APP_NAME = "proof-tutor"
APPLICATION_ID = 0x50545554  # "PTUT" in SQLite's header, so other tools can tell the file
HEAD_REVISION = "0010"  # the newest revision in migrations/versions (a test keeps them equal)
META_DECK_FILES = "deck_files"  # meta key: the fingerprint of the deck files last synced
