"""All I/O: Excel readers, validation, database schema and queries."""
