"""Pulse: heartbeat collector."""
