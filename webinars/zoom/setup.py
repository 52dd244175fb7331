"""The department's Zoom configuration, read once from the app config, and its API client.

Zoom is *configured* when the account id, client id, client secret and at least one host
are set; without them everything else in the app still works and the pages say so.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from webinars.zoom import (
    DEFAULT_OAUTH_URL,
    FileTokenStore,
    RedisTokenStore,
    TokenStore,
    ZoomClient,
)

# The settings that must be set for the app to manage meetings, in the order an admin
# would set them.
REQUIRED_SETTINGS = ("ZOOM_ACCOUNT_ID", "ZOOM_CLIENT_ID", "ZOOM_CLIENT_SECRET", "ZOOM_HOSTS")


@dataclass(frozen=True)
class ZoomSetup:
    """What the configuration says about Zoom. Never printed whole: it holds the secret."""

    account_id: str
    client_id: str
    client_secret: str
    hosts: tuple[str, ...]
    webhook_secret: str
    oauth_url: str
    api_base_url: str | None
    buffer: timedelta
    timeout: float
    namespace: str
    token_file: str
    redis_url: str | None

    def __repr__(self) -> str:
        return f"ZoomSetup(account_id={self.account_id!r}, hosts={self.hosts!r})"

    @property
    def missing(self) -> list[str]:
        """The names of the required settings that are empty."""
        values = {
            "ZOOM_ACCOUNT_ID": self.account_id,
            "ZOOM_CLIENT_ID": self.client_id,
            "ZOOM_CLIENT_SECRET": self.client_secret,
            "ZOOM_HOSTS": self.hosts,
        }
        return [name for name in REQUIRED_SETTINGS if not values[name]]

    @property
    def configured(self) -> bool:
        """True when meetings can be managed."""
        return not self.missing

    @property
    def webhooks_configured(self) -> bool:
        """True when webhook deliveries can be verified."""
        return bool(self.webhook_secret)


def parse_hosts(value: str | list[str] | tuple[str, ...] | None) -> tuple[str, ...]:
    """``ZOOM_HOSTS`` as a tuple of distinct lower-case emails, in the order given."""
    if not value:
        return ()
    items = value.split(",") if isinstance(value, str) else list(value)
    return tuple(dict.fromkeys(h.strip().lower() for h in items if h and h.strip()))


def zoom_setup(config: Mapping[str, Any]) -> ZoomSetup:
    """Read the Zoom settings from an app's config."""
    return ZoomSetup(
        account_id=str(config.get("ZOOM_ACCOUNT_ID") or "").strip(),
        client_id=str(config.get("ZOOM_CLIENT_ID") or "").strip(),
        client_secret=str(config.get("ZOOM_CLIENT_SECRET") or "").strip(),
        hosts=parse_hosts(config.get("ZOOM_HOSTS")),
        webhook_secret=str(config.get("ZOOM_WEBHOOK_SECRET_TOKEN") or ""),
        oauth_url=str(config.get("ZOOM_OAUTH_URL") or DEFAULT_OAUTH_URL),
        api_base_url=str(config.get("ZOOM_API_BASE_URL") or "").strip() or None,
        buffer=timedelta(minutes=int(config.get("ZOOM_HOST_BUFFER_MINUTES") or 0)),
        timeout=float(config.get("ZOOM_TIMEOUT_SECONDS") or 10),
        namespace=str(config.get("ZOOM_MARKER_NAMESPACE") or "webinars"),
        token_file=str(config.get("ZOOM_TOKEN_FILE") or "zoom-token.json"),
        redis_url=config.get("REDIS_URL") or None,
    )


def token_store(setup: ZoomSetup) -> TokenStore:
    """Where every process finds the shared token: Redis when there is one, else a file."""
    if setup.redis_url:
        return RedisTokenStore(setup.redis_url)
    return FileTokenStore(setup.token_file)


_clients = threading.local()  # one client (and HTTP connection pool) per worker thread


def zoom_client(setup: ZoomSetup) -> ZoomClient:
    """The API client for ``setup``, reused within a thread. Raises when not configured."""
    if not setup.configured:
        raise RuntimeError("Zoom is not configured: " + ", ".join(setup.missing))
    key = (
        setup.account_id,
        setup.client_id,
        setup.client_secret,
        setup.oauth_url,
        setup.api_base_url,
        setup.timeout,
        setup.token_file,
        setup.redis_url,
    )
    cache: dict[tuple[Any, ...], ZoomClient] = getattr(_clients, "by_setup", None) or {}
    _clients.by_setup = cache
    if key not in cache:
        cache[key] = ZoomClient(
            setup.account_id,
            setup.client_id,
            setup.client_secret,
            token_store=token_store(setup),
            oauth_url=setup.oauth_url,
            api_base_url=setup.api_base_url,
            timeout=setup.timeout,
        )
    return cache[key]
