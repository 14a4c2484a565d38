"""Endorsement: signed statements, the transparency log, and the offline-verifiable declaration."""
