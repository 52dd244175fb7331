"""Calendars: feed events, which sessions a feed shows, its cache and tokens, e-mail invitations."""
