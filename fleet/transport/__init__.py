"""HTTP transport to panels: sessions, TLS, and the translation of failures."""
