"""Storage: the SQLModel tables, the engine and schema migrations. No Textual here."""
