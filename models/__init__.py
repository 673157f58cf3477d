"""Typed contracts, the repository schema and its views."""
