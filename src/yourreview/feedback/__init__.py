"""Answers come home: one store for every answer, from the receiver, exports and paper.

Flow inside the stage: `answers` (check one answer against its form) → `store` (SQLite) →
`tables`/`paper`/`rows` (read files into rows) → `importer` (rows into the store, nothing lost) →
`receiver` (the WSGI app) → `views` (what the internal pages show).
"""
