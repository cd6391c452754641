"""Models of this app (see docs/ARCHITECTURE.md)."""
