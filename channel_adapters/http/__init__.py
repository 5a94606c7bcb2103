"""Delivery over HTTP: the shared base (timeouts, status mapping, secrets) and the
adapters that use it (webhook)."""
