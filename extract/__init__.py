"""Page text to record candidates (issue 4)."""
