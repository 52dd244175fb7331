"""Fixtures for tests in a real headless Chromium (Debian's `chromium`) through Playwright.

What you get:

- `app` (overrides the root fixture here): the root fixture's app, on each of its
  databases (a file SQLite database in tmp_path, and PostgreSQL too when
  TEST_DATABASE_URL is set), with CSRF switched ON (a real browser posts real forms with
  real tokens). The root factories `make_user`, `make_academy`, `make_session` and
  `session_input` write to this same database, so a test can arrange data with them and
  then look at it in the browser.
- `live_server`: that app served by werkzeug's make_server in a background thread on
  127.0.0.1, port chosen by the OS; the value is the base URL ("http://127.0.0.1:PORT").
  An exception inside a request fails the test at teardown with its traceback, so a page
  that quietly answered 500 cannot pass.
- `browser` (one per test session); `page` (a fresh context per test: no cookies carried
  between tests; desktop viewport 1280x800, browser zone Asia/Samarkand; `page.goto("/path")`
  resolves against the live server); `phone_page`, the same at 390x844 with touch, as a
  student's phone; `new_page(viewport, **context_options)` for anything else (a second
  person, JavaScript off, another time zone). JavaScript errors and Content-Security-Policy
  refusals on any of these pages fail the test.
- `sign_in(page, user)`: signs in through the real form and waits for the dashboard.
- `screenshot(page, name)`: saves test-artifacts/<name>.png (git-ignored) for people to look at.

To use these in another test directory, re-export them in the module (`app =
conftest.app`, `browser = conftest.browser`, ...): every copy shares one Chromium.

Every test here skips, with the reason, when Chromium is not installed (a fresh machine per
the README has none; .ci/run installs it), and fails instead under CI=true
(tests/environment). Wait for navigations and selectors; never sleep.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, got_request_exception
from werkzeug.serving import make_server

from tests.conftest import PASSWORD, app_on
from tests.environment import CHROMIUM, chromium_missing, require

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless=new",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
TIMEOUT_MS = 15_000


@pytest.fixture(autouse=True)
def _require_chromium() -> None:
    """Skip every browser test, saying why, where Chromium is missing (under CI: fail)."""
    require(chromium_missing())


@pytest.fixture
def app(database: str, tmp_path: Path, pg_url: str | None) -> Iterator[Flask]:
    """The app on a fresh database of each kind, with CSRF on as in production."""
    with app_on(database, tmp_path, pg_url, WTF_CSRF_ENABLED=True) as app:
        yield app


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    """Serve `app` on 127.0.0.1 (any free port) in a thread; yield its base URL."""
    failures: list[BaseException] = []

    def record(sender: Flask, exception: BaseException, **extra: Any) -> None:
        failures.append(exception)

    got_request_exception.connect(record, app)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        got_request_exception.disconnect(record, app)
    if failures:
        raise AssertionError("the live server failed a request") from failures[0]


class _SharedChromium:
    """One Playwright and one Chromium per test process, however many modules ask.

    Playwright's sync API refuses a second instance while one runs, and other test
    directories re-export `browser` (a fixture of their own module's scope), so the
    fixtures share this and the last one to finish closes it.
    """

    users = 0
    playwright: Any = None
    chromium: Any = None

    @classmethod
    def acquire(cls) -> Any:
        if cls.users == 0:
            from playwright.sync_api import sync_playwright

            cls.playwright = sync_playwright().start()
            try:
                cls.chromium = cls.playwright.chromium.launch(
                    executable_path=CHROMIUM, args=CHROMIUM_ARGS
                )
            except Exception:
                cls.playwright.stop()
                raise
        cls.users += 1
        return cls.chromium

    @classmethod
    def release(cls) -> None:
        cls.users -= 1
        if cls.users == 0:
            cls.chromium.close()
            cls.playwright.stop()
            cls.chromium = cls.playwright = None


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless Chromium, one per test process (shared with any module re-exporting this)."""
    require(chromium_missing())
    chromium = _SharedChromium.acquire()
    try:
        yield chromium
    finally:
        _SharedChromium.release()


class PageProblems:
    """JavaScript errors and CSP refusals seen by one page."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    def watch(self, page: Any) -> None:
        """Listen to `page` for uncaught errors and refused resources."""
        page.on("pageerror", lambda error: self.messages.append(f"pageerror: {error}"))
        page.on("console", self._console)

    def _console(self, message: Any) -> None:
        text = message.text
        if message.type == "error" and "Content Security Policy" in text:
            self.messages.append(f"CSP: {text}")


@pytest.fixture
def new_page(browser: Any, live_server: str) -> Iterator[Callable[..., Any]]:
    """Factory: a page in a fresh browser context on the live server.

    `new_page(PHONE, java_script_enabled=False)`: the viewport (default DESKTOP) and any
    Playwright context option. Contexts close at teardown, and the test fails if a page
    saw a JavaScript error or a CSP refusal.
    """
    opened: list[tuple[Any, PageProblems]] = []

    def make(viewport: dict[str, int] = DESKTOP, **options: Any) -> Any:
        if viewport == PHONE:
            options = {"is_mobile": True, "has_touch": True, **options}
        context = browser.new_context(
            base_url=live_server,
            viewport=viewport,
            locale=options.pop("locale", "en-GB"),
            timezone_id=options.pop("timezone_id", "Asia/Samarkand"),
            **options,
        )
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        problems = PageProblems()
        problems.watch(page)
        opened.append((context, problems))
        return page

    yield make
    for context, _problems in opened:
        context.close()
    assert [m for _context, problems in opened for m in problems.messages] == []


@pytest.fixture
def page(new_page: Callable[..., Any]) -> Any:
    """A fresh desktop page (1280x800) whose relative URLs go to the live server."""
    return new_page(DESKTOP)


@pytest.fixture
def phone_page(new_page: Callable[..., Any]) -> Any:
    """A fresh phone-sized page (390x844, touch) on the live server."""
    return new_page(PHONE)


@pytest.fixture
def sign_in() -> Callable[[Any, Any], None]:
    """Sign `user` in on `page` through the real form (password: tests.conftest.PASSWORD)."""

    def do(page: Any, user: Any, password: str = PASSWORD) -> None:
        page.goto("/login")
        page.get_by_label("Email", exact=True).fill(user.email)
        page.get_by_label("Password", exact=True).fill(password)
        with page.expect_navigation():
            page.get_by_role("button", name="Sign in", exact=True).click()
        page.wait_for_url("**/manage/")

    return do


@pytest.fixture
def screenshot() -> Callable[[Any, str], Path]:
    """Save a full-page screenshot as test-artifacts/<name>.png and return its path."""

    def take(page: Any, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
