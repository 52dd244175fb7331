"""Sign-in does not tell, by its timing, whether an account exists (issue 11, point 5).

Two tests: the work itself (exactly one password hash of the configured method is checked
whatever the outcome), and the time a person would measure, compared by medians of
interleaved samples with a wide margin: a hash that costs tens of milliseconds makes the
gap between "wrong password" and "unknown email" several times the request's own cost
when the work differs, and ~1 when it does not, so a margin of 1.6x never flakes on a busy
machine and never passes a leak.
"""

from __future__ import annotations

import statistics
import time

import pytest
from werkzeug import security

from tests.fixtures.app import PASSWORD
from webinars.domain.accounts import sign_in
from webinars.models import Role

SLOW_HASH = "pbkdf2:sha256:120000"  # ~tens of ms: the hash, not the request, dominates


@pytest.fixture
def hashed_checks(monkeypatch) -> list[str]:
    """The method of every password hash checked (parsed from the stored hash)."""
    checks: list[str] = []
    real = security.check_password_hash

    def counting(pwhash: str, password: str) -> bool:
        checks.append(pwhash.split("$", 1)[0])
        return real(pwhash, password)

    monkeypatch.setattr(sign_in, "check_password_hash", counting)
    return checks


@pytest.mark.parametrize(
    ("email", "password"),
    [
        ("nobody@example.org", PASSWORD),  # unknown email
        ("known@example.org", "wrong password"),  # wrong password
        ("inactive@example.org", PASSWORD),  # right password, deactivated account
        ("known@example.org", PASSWORD),  # right password
    ],
)
def test_every_sign_in_checks_one_hash_of_the_same_cost(
    app, client, make_user, hashed_checks, email, password
):
    make_user(Role.LECTURER, email="known@example.org")
    make_user(Role.LECTURER, email="inactive@example.org", is_active_account=False)

    client.post("/login", data={"email": email, "password": password})

    assert hashed_checks == [app.config["PASSWORD_HASH_METHOD"]]


def _median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def test_unknown_email_and_wrong_password_take_the_same_time(app, make_user):
    app.config["PASSWORD_HASH_METHOD"] = SLOW_HASH
    make_user(Role.LECTURER, email="known@example.org")
    client = app.test_client()
    attempts = {
        "wrong password": {"email": "known@example.org", "password": "not it"},
        "unknown email": {"email": "nobody@example.org", "password": "not it"},
    }
    for data in attempts.values():  # warm up: the dummy hash is made on first use
        client.post("/login", data=data)
    samples: dict[str, list[float]] = {name: [] for name in attempts}

    for _ in range(15):  # interleaved, so the machine's load falls on both alike
        for name, data in attempts.items():
            started = time.perf_counter()
            response = client.post("/login", data=data)
            samples[name].append(time.perf_counter() - started)
            assert response.status_code == 200

    wrong, unknown = (_median_ms(samples[name]) for name in attempts)
    ratio = max(wrong, unknown) / min(wrong, unknown)
    assert ratio < 1.6, f"wrong password {wrong:.1f} ms, unknown email {unknown:.1f} ms"
