"""Registration objects for the access matrix (tests/web/test_access.py `world`)."""

from __future__ import annotations

from typing import Any

from flask import Flask

from webinars.domain.calendars import tokens as feed_tokens
from webinars.domain.registration.manage_links import manage_token
from webinars.domain.registration.register import RegistrationInput, register
from webinars.extensions import db
from webinars.models import FeedScope, OutboxMessage, User


def registration_world(app: Flask, session_id: int, lecturer: User) -> dict[str, Any]:
    """Held and confirmed registrations on `session_id`, their manage tokens, an outbox
    message with an invitation, and a personal feed token; by name."""
    with app.app_context():
        actor = db.session.get(User, lecturer.id)
        held = register(
            session_id, RegistrationInput("Held Person", "held@example.org", "en")
        ).registration
        confirmed = register(
            session_id,
            RegistrationInput("Seated Person", "seated@example.org", "en"),
            added_by=actor,
        ).registration
        spare = register(
            session_id, RegistrationInput("Spare Person", "spare@example.org", "en")
        ).registration
        feed = feed_tokens.issue_token(FeedScope.PERSONAL, subject="seated@example.org")
        db.session.commit()
        invitation = db.session.execute(  # rendered with its invitation when looked at
            db.select(OutboxMessage).where(OutboxMessage.kind == "confirmed")
        ).scalar_one()
        return {
            "own_registration": held.id,
            "registration_token": manage_token(held),
            "confirmed_token": manage_token(confirmed),
            "spare_token": manage_token(spare),  # for the route that switches links off
            "outbox_message": invitation.id,
            "personal_feed_token": feed,
        }
