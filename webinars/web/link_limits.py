"""Rate limits of the private links (a registration's /r/<token>, a coordinator's
invitation): counted per link, not per address.

A class on a university network confirms its places from one address at once; counted per
address, the 41st student was refused. The links are 256-bit secrets, so an address limit
guards nothing a link limit does not, and the link's limit still stops one link being
hammered. The key is a digest of the token, so the limit storage (Redis) never holds a
usable link.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from flask import current_app, request


def per_link() -> str:
    """The limit key of the request's link: its token's digest (the route is added by the
    limiter, so each route counts apart)."""
    token = str((request.view_args or {}).get("token", ""))
    return "link:" + hashlib.sha256(token.encode()).hexdigest()[:32]


def setting(name: str) -> Callable[[], str]:
    """The limit in the setting `name`, read when the request comes (tests change it)."""
    return lambda: current_app.config[name]
