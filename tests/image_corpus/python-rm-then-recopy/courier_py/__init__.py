"""Courier: delivers webhooks."""
