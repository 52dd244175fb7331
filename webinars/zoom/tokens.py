"""Where the Server-to-Server OAuth access token is kept between calls.

A token lives an hour and every process (web workers, background workers) may use the
same one, so the token is cached in a store they share: Redis or a JSON file. Each store
also offers a renewal lock, so that when a token runs out only one process fetches the
next one and the others read it from the store.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

# Renew a token when less than this remains (ZOOM-FACTS.md: about 60 s).
RENEW_MARGIN = timedelta(seconds=60)


@dataclass(frozen=True)
class AccessToken:
    """A bearer token, the regional API base Zoom gave with it (if any), and its expiry."""

    value: str
    api_url: str | None
    expires_at: datetime

    def is_fresh(self, now: datetime, margin: timedelta = RENEW_MARGIN) -> bool:
        """True while more than ``margin`` of the token's life remains."""
        return self.expires_at - now > margin

    def to_json(self) -> str:
        """Serialise for a shared store."""
        return json.dumps(
            {
                "token": self.value,
                "api_url": self.api_url,
                "expires_at": self.expires_at.astimezone(UTC).isoformat(),
            }
        )

    @classmethod
    def from_json(cls, text: str | bytes) -> AccessToken | None:
        """Read what ``to_json`` wrote; None when the text is damaged."""
        try:
            data: Any = json.loads(text)
            expires_at = datetime.fromisoformat(data["expires_at"])
            value = data["token"]
        except (ValueError, KeyError, TypeError):
            return None
        if not isinstance(value, str) or expires_at.tzinfo is None:
            return None
        api_url = data.get("api_url")
        return cls(value, api_url if isinstance(api_url, str) else None, expires_at)


class TokenStore(Protocol):
    """What the client needs from a token cache."""

    def get(self) -> AccessToken | None:
        """The cached token, or None."""
        ...

    def put(self, token: str, api_url: str | None, expires_at: datetime) -> None:
        """Cache a freshly fetched token."""
        ...

    def renewal_lock(self) -> contextlib.AbstractContextManager[None]:
        """Held while one caller fetches a new token, so others wait and reuse it."""
        ...


class MemoryTokenStore:
    """A token cache for one process (tests, scripts)."""

    def __init__(self) -> None:
        self._token: AccessToken | None = None
        self._lock = threading.Lock()

    def get(self) -> AccessToken | None:
        """The cached token, or None."""
        return self._token

    def put(self, token: str, api_url: str | None, expires_at: datetime) -> None:
        """Cache a freshly fetched token."""
        self._token = AccessToken(token, api_url, expires_at)

    @contextlib.contextmanager
    def renewal_lock(self) -> Iterator[None]:
        """A thread lock: only one thread of this process renews at a time."""
        with self._lock:
            yield


class FileTokenStore:
    """A token cache in a JSON file shared by the processes of one machine.

    Writes go to a temporary file that then replaces the old one, so a reader never sees
    half a token. Renewal holds an ``fcntl`` lock on a separate ``.lock`` file (the data
    file's inode changes at every write, so it cannot carry the lock itself).
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.lock_path = self.path.with_name(self.path.name + ".lock")
        self._thread_lock = threading.Lock()

    def get(self) -> AccessToken | None:
        """The cached token, or None when there is none or the file is damaged."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except (FileNotFoundError, IsADirectoryError):
            return None
        return AccessToken.from_json(text)

    def put(self, token: str, api_url: str | None, expires_at: datetime) -> None:
        """Write the token atomically, readable by the owner only (it is a secret)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        text = AccessToken(token, api_url, expires_at).to_json()
        fd, tmp = tempfile.mkstemp(prefix=self.path.name, suffix=".tmp", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise

    @contextlib.contextmanager
    def renewal_lock(self) -> Iterator[None]:
        """An exclusive ``flock`` on the lock file (and a thread lock within the process)."""
        self.lock_path.parent.mkdir(parents=True, exist_ok=True)
        with self._thread_lock:
            fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                try:
                    yield
                finally:
                    fcntl.flock(fd, fcntl.LOCK_UN)
            finally:
                os.close(fd)


class RedisTokenStore:
    """A token cache in Redis, shared by every process that reaches the same server.

    The key expires with the token; renewal holds a Redis lock with a timeout, so a
    process that dies while renewing cannot block the others for long.
    """

    def __init__(self, redis_url: str, key: str = "webinars:zoom:token", lock_timeout: float = 30):
        import redis  # imported here so the file store works without the package

        self._redis = redis.Redis.from_url(redis_url)
        self._lock_error: type[Exception] = redis.exceptions.LockError
        self.key = key
        self.lock_timeout = lock_timeout

    def get(self) -> AccessToken | None:
        """The cached token, or None."""
        raw = self._redis.get(self.key)
        return AccessToken.from_json(raw) if raw else None

    def put(self, token: str, api_url: str | None, expires_at: datetime) -> None:
        """Cache the token until it expires."""
        ttl_ms = int((expires_at - datetime.now(UTC)).total_seconds() * 1000)
        text = AccessToken(token, api_url, expires_at).to_json()
        if ttl_ms > 0:
            self._redis.set(self.key, text, px=ttl_ms)
        else:
            self._redis.delete(self.key)

    @contextlib.contextmanager
    def renewal_lock(self) -> Iterator[None]:
        """A Redis lock that expires by itself after ``lock_timeout`` seconds."""
        lock = self._redis.lock(
            f"{self.key}:lock",
            timeout=self.lock_timeout,
            blocking_timeout=self.lock_timeout,
            sleep=0.02,
        )
        acquired = lock.acquire(blocking=True)
        try:
            yield  # without the lock (timed out) we renew anyway: a spare token is harmless
        finally:
            if acquired:
                with contextlib.suppress(self._lock_error):  # it expired meanwhile
                    lock.release()
