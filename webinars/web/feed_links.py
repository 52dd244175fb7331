"""Addresses of a feed to hand a subscriber: absolute, and one click for each calendar app.

Shared by the blueprints that offer feeds (the public and academy feeds, and the pages
that issue private feed addresses).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlencode

from flask import current_app


def default_locale(candidate: str | None) -> str:
    """`candidate` if the interface speaks it, else English."""
    return candidate if candidate in current_app.config["LANGUAGES"] else "en"


@dataclass(frozen=True)
class SubscribeLinks:
    """One feed, as each calendar app wants to be handed it."""

    https: str
    webcal: str
    google: str
    outlook: str
    office365: str


def subscribe_links(https_url: str, name: str) -> SubscribeLinks:
    """The one-click links for Apple (webcal), Google, Outlook.com and Microsoft 365."""
    webcal = "webcal://" + https_url.split("://", 1)[1]
    add_from_web = urlencode({"url": https_url, "name": name}, quote_via=quote)
    return SubscribeLinks(
        https=https_url,
        webcal=webcal,
        google="https://calendar.google.com/calendar/r?cid=" + quote(webcal, safe=""),
        outlook="https://outlook.live.com/calendar/0/addfromweb?" + add_from_web,
        office365="https://outlook.office.com/calendar/0/addfromweb?" + add_from_web,
    )


def absolute(path: str) -> str:
    """A path on this site as a full address on BASE_URL (what subscribers keep)."""
    return current_app.config["BASE_URL"].rstrip("/") + path
