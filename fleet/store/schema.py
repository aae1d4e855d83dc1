"""Tables of the history database and the version that marks their layout.

Every table but ``runs`` belongs to one run and is removed with it. A run is
``running`` from its start until one transaction writes everything it
collected and marks it ``complete``, so a crash leaves either a whole run or
an empty ``running`` row, never half of one.
"""

from __future__ import annotations

SCHEMA_VERSION = 1

TABLES = (
    """
    CREATE TABLE IF NOT EXISTS runs (
        run_id TEXT PRIMARY KEY,
        command TEXT NOT NULL,
        inventory TEXT NOT NULL,
        inventory_digest TEXT NOT NULL,
        config TEXT,
        started_at REAL NOT NULL,
        finished_at REAL,
        status TEXT NOT NULL CHECK (status IN ('running', 'complete')),
        stopped TEXT,
        fleet_version TEXT NOT NULL,
        severity TEXT,
        panels INTEGER,
        panels_reached INTEGER,
        warnings INTEGER,
        criticals INTEGER,
        unknowns INTEGER
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS results (
        run_id TEXT NOT NULL REFERENCES runs ON DELETE CASCADE,
        panel TEXT NOT NULL,
        operation TEXT NOT NULL,
        status TEXT NOT NULL,
        error_kind TEXT,
        error_message TEXT,
        attempts INTEGER NOT NULL,
        duration_s REAL NOT NULL,
        PRIMARY KEY (run_id, panel, operation)
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS panels (
        run_id TEXT NOT NULL REFERENCES runs ON DELETE CASCADE,
        panel TEXT NOT NULL,
        url TEXT NOT NULL,
        reached INTEGER NOT NULL,
        flavour TEXT,
        version TEXT,
        cpu_count INTEGER,
        memory_total_mb INTEGER,
        memory_used_mb INTEGER,
        load_1m REAL,
        load_5m REAL,
        load_15m REAL,
        collected TEXT NOT NULL,
        PRIMARY KEY (run_id, panel)
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS mounts (
        run_id TEXT NOT NULL REFERENCES runs ON DELETE CASCADE,
        panel TEXT NOT NULL,
        path TEXT NOT NULL,
        size_bytes INTEGER,
        used_bytes INTEGER,
        used_percent REAL,
        inodes_used_percent REAL
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS sites (
        run_id TEXT NOT NULL REFERENCES runs ON DELETE CASCADE,
        panel TEXT NOT NULL,
        site TEXT NOT NULL,
        running INTEGER NOT NULL,
        php_version TEXT
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS certificates (
        run_id TEXT NOT NULL REFERENCES runs ON DELETE CASCADE,
        panel TEXT NOT NULL,
        site TEXT NOT NULL,
        not_after TEXT NOT NULL,
        days_left INTEGER,
        issuer TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS backups (
        run_id TEXT NOT NULL REFERENCES runs ON DELETE CASCADE,
        panel TEXT NOT NULL,
        site TEXT NOT NULL,
        backup_count INTEGER NOT NULL,
        newest_at REAL
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS findings (
        run_id TEXT NOT NULL REFERENCES runs ON DELETE CASCADE,
        panel TEXT NOT NULL,
        check_id TEXT NOT NULL,
        object_kind TEXT NOT NULL,
        object TEXT NOT NULL,
        severity TEXT NOT NULL,
        message TEXT NOT NULL,
        value,
        limit_value
    )
    """,
)

# The per-run tables, each looked up by run and panel.
RUN_TABLES = (
    "results",
    "panels",
    "mounts",
    "sites",
    "certificates",
    "backups",
    "findings",
)

INDEXES = tuple(
    f"CREATE INDEX IF NOT EXISTS {table}_by_run ON {table} (run_id, panel)"
    for table in RUN_TABLES
    if table not in ("results", "panels")
)
