"""Limits of what one browser can send the dashboard (read by the server and by each session)."""

#: Largest scenario a browser may upload (a scenario is ~100 kB).
MAX_UPLOAD_BYTES = 2_000_000
