"""The history of audit runs, kept in SQLite in the state directory."""
