"""Orchestration and the crosstrack command line."""
