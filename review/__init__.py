"""Confidence routing and Label Studio review (issue 6)."""
