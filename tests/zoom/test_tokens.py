"""Access tokens: renewed before they expire and shared by every process through a store."""

from __future__ import annotations

import stat
import threading
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.environment import REDIS_URL, redis_missing, require
from tests.fakes.zoom_server import ZoomServer
from webinars.zoom import FileTokenStore, RedisTokenStore, TokenStore, ZoomClient

HOST = "host1@example.edu"


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def redis_store() -> Iterator[RedisTokenStore]:
    require(redis_missing())
    store = RedisTokenStore(REDIS_URL, key=f"test:zoom-token:{uuid.uuid4().hex}")
    yield store
    store._redis.delete(store.key, f"{store.key}:lock")


def test_token_renewed_when_less_than_a_minute_remains(
    make_zoom_client: Callable[..., ZoomClient], zoom_server: ZoomServer
) -> None:
    clock = Clock()
    client = make_zoom_client(clock=clock)
    client.get_user(HOST)

    clock.now += timedelta(seconds=3500)  # 100 s left: keep the token
    client.get_user(HOST)
    renewals_at_100_s = zoom_server.token_requests
    clock.now += timedelta(seconds=41)  # 59 s left: renew before calling
    client.get_user(HOST)

    assert renewals_at_100_s == 1
    assert zoom_server.token_requests == 2
    assert len(zoom_server.api_requests()) == 3  # no call was refused with 401


@pytest.fixture
def file_clients(
    make_zoom_client: Callable[..., ZoomClient], tmp_path: Path
) -> tuple[ZoomClient, ZoomClient]:
    """Two clients with their own store objects on one token file, as two processes have."""
    path = tmp_path / "zoom-token.json"
    return (
        make_zoom_client(token_store=FileTokenStore(path)),
        make_zoom_client(token_store=FileTokenStore(path)),
    )


def test_file_token_store_shares_token_between_clients(
    file_clients: tuple[ZoomClient, ZoomClient], zoom_server: ZoomServer, tmp_path: Path
) -> None:
    first, second = file_clients

    first.get_user(HOST)
    second.get_user(HOST)

    assert zoom_server.token_requests == 1
    assert stat.S_IMODE((tmp_path / "zoom-token.json").stat().st_mode) == 0o600


def test_redis_token_store_shares_token_between_clients(
    make_zoom_client: Callable[..., ZoomClient],
    zoom_server: ZoomServer,
    redis_store: RedisTokenStore,
) -> None:
    first = make_zoom_client(token_store=redis_store)
    second = make_zoom_client(token_store=RedisTokenStore(REDIS_URL, key=redis_store.key))

    first.get_user(HOST)
    second.get_user(HOST)

    assert zoom_server.token_requests == 1
    assert 3500 < redis_store._redis.pttl(redis_store.key) / 1000 <= 3600


def _renew_together(stores: list[TokenStore], make: Callable[..., ZoomClient]) -> None:
    """Many clients, each with its own store object (as separate processes would have)."""
    clients = [make(token_store=store) for store in stores]
    start = threading.Barrier(len(clients))
    errors: list[Exception] = []

    def call(client: ZoomClient) -> None:
        start.wait()
        try:
            client.get_user(HOST)
        except Exception as exc:  # reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=call, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert errors == []


def test_file_token_store_lets_one_of_many_processes_renew(
    make_zoom_client: Callable[..., ZoomClient], zoom_server: ZoomServer, tmp_path: Path
) -> None:
    path = tmp_path / "zoom-token.json"

    _renew_together([FileTokenStore(path) for _ in range(8)], make_zoom_client)

    assert zoom_server.token_requests == 1


def test_redis_token_store_lets_one_of_many_processes_renew(
    make_zoom_client: Callable[..., ZoomClient],
    zoom_server: ZoomServer,
    redis_store: RedisTokenStore,
) -> None:
    stores: list[TokenStore] = [RedisTokenStore(REDIS_URL, key=redis_store.key) for _ in range(8)]

    _renew_together(stores, make_zoom_client)

    assert zoom_server.token_requests == 1


def test_shared_token_refused_is_renewed_once_for_all_clients(
    file_clients: tuple[ZoomClient, ZoomClient], zoom_server: ZoomServer
) -> None:
    first, second = file_clients
    first.get_user(HOST)
    zoom_server.expire_all_tokens()

    first.get_user(HOST)  # 401, renews, retries
    second.get_user(HOST)  # reads the renewed token from the file

    assert zoom_server.token_requests == 2
    assert len(zoom_server.api_requests()) == 4


def test_file_token_store_damaged_file_reads_as_empty(tmp_path: Path) -> None:
    path = tmp_path / "zoom-token.json"
    path.write_text('{"token": "abc", "expires_at": "yesterday"}')

    assert FileTokenStore(path).get() is None


def test_file_token_store_round_trip_keeps_api_url_and_expiry(tmp_path: Path) -> None:
    store = FileTokenStore(tmp_path / "nested" / "zoom-token.json")
    expires_at = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)

    store.put("tok", "https://api-eu.zoom.us", expires_at)
    token = store.get()

    assert token is not None
    assert (token.value, token.api_url, token.expires_at) == (
        "tok",
        "https://api-eu.zoom.us",
        expires_at,
    )
    assert list(store.path.parent.glob("*.tmp")) == []
