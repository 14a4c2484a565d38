"""The live room: what happens to a declaration, told as Server-Sent Events to whoever watches
it, on every worker and machine (PostgreSQL LISTEN/NOTIFY; SQLite within the process)."""
