"""The web service (issue 8)."""
