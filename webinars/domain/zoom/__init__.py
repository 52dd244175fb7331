"""Zoom meetings kept in step with sessions: sync, sweep, hosts, records, webhook effects."""
