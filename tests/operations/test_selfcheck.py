"""The production self-check: every misconfiguration named, all at once, with its fix."""

from __future__ import annotations

import pytest
from flask import Flask

from config import ProductionConfig
from webinars import create_app
from webinars.extensions import db
from webinars.selfcheck import Problem, settings_problems

GOOD = {
    "SECRET_KEY": "9f1c0b7e5d3a48c2b6e1f0a9d8c7b6a5f4e3d2c1b0a9f8e7",
    "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://webinars@db:5432/webinars",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "BASE_URL": "https://webinars.sammi.uz",
    "MAIL_DEFAULT_SENDER": "Department of Children's Diseases <webinars@sammi.uz>",
}


def settings(problems: list[Problem]) -> list[str]:
    return [problem.setting for problem in problems]


def test_a_sound_configuration_has_no_problem():
    assert settings_problems(GOOD) == []


@pytest.mark.parametrize(
    ("change", "setting"),
    [
        ({"SECRET_KEY": None}, "SECRET_KEY"),
        ({"SECRET_KEY": "changeme"}, "SECRET_KEY"),
        ({"SECRET_KEY": "a" * 64}, "SECRET_KEY"),  # long, but eight distinct characters short
        ({"SQLALCHEMY_DATABASE_URI": "sqlite:////srv/webinars.sqlite3"}, "DATABASE_URL"),
        ({"REDIS_URL": None}, "REDIS_URL"),
        ({"RATELIMIT_STORAGE_URI": "memory://"}, "RATELIMIT_STORAGE_URI"),
        (
            {
                "HOME_NAME": "Samarkand",
                "HOME_CITY": "Samarkand",
                "HOME_TIME_ZONE": "Asia/Samarkand",
                "HOME_COUNTRY": "UZ",
                "HOME_WORK_DAYS": "Mon-Fri",
                "HOME_WORK_HOURS": "09:00-18:00",
                "HOME_LUNCH_BREAK": "",
            },
            "HOME_WORK_DAYS, HOME_WORK_HOURS, HOME_LUNCH_BREAK",
        ),
        ({"BASE_URL": "http://webinars.sammi.uz"}, "BASE_URL"),
        ({"MAIL_DEFAULT_SENDER": "webinars@localhost"}, "MAIL_DEFAULT_SENDER"),
        ({"MAIL_DEFAULT_SENDER": "Dept <noreply@example.org>"}, "MAIL_DEFAULT_SENDER"),
        ({"MAIL_DEFAULT_SENDER": "noreply@mail.example.com"}, "MAIL_DEFAULT_SENDER"),
        ({"MAIL_DEFAULT_SENDER": "webinars@host.test"}, "MAIL_DEFAULT_SENDER"),
        ({"MAIL_DEFAULT_SENDER": "no address at all"}, "MAIL_DEFAULT_SENDER"),
        ({"ZOOM_ACCOUNT_ID": "acc", "ZOOM_HOSTS": "h@sammi.uz"}, "ZOOM_*"),
    ],
)
def test_each_misconfiguration_is_named_with_a_fix(change, setting):
    (problem,) = settings_problems({**GOOD, **change})

    assert problem.setting == setting
    assert problem.fix.startswith(("set ", "run "))


def test_zoom_fully_configured_is_no_problem():
    zoom = {"ZOOM_ACCOUNT_ID": "a", "ZOOM_CLIENT_ID": "b", "ZOOM_CLIENT_SECRET": "c"}

    assert settings_problems({**GOOD, **zoom, "ZOOM_HOSTS": "h@sammi.uz"}) == []


def test_every_problem_is_listed_at_once():
    wrong = {
        "SECRET_KEY": "dev",
        "SQLALCHEMY_DATABASE_URI": "sqlite://",
        "REDIS_URL": "",
        "BASE_URL": "http://127.0.0.1:5000",
        "MAIL_DEFAULT_SENDER": "webinars@localhost",
        "ZOOM_CLIENT_SECRET": "s",
    }

    assert settings(settings_problems(wrong)) == [
        "SECRET_KEY",
        "DATABASE_URL",
        "REDIS_URL",
        "BASE_URL",
        "MAIL_DEFAULT_SENDER",
        "ZOOM_*",
    ]


def test_production_refuses_to_start_listing_every_problem():
    config = type("Wrong", (ProductionConfig,), {**GOOD, "REDIS_URL": None, "BASE_URL": "http://x"})

    with pytest.raises(RuntimeError) as refused:
        create_app(config)

    message = str(refused.value)
    assert message.startswith("The production configuration has 2 problem(s):")
    assert "REDIS_URL: is not set" in message
    assert "BASE_URL: is 'http://x'" in message


def test_self_check_warn_starts_and_logs(caplog):
    config = type("Trial", (ProductionConfig,), {**GOOD, "REDIS_URL": None, "SELF_CHECK": "warn"})

    app = create_app(config)

    assert isinstance(app, Flask)
    assert "Starting despite 1 problem(s)" in caplog.text


def test_check_command_names_pending_migrations(app, runner):
    result = runner.invoke(args=["check"])

    assert result.exit_code == 1
    assert "✗ migrations: the database is at" in result.output
    assert "Error: 1 problem(s) found." in result.output


def test_check_command_passes_on_a_migrated_database(app, runner):
    with app.app_context():  # the fixture made the tables from the models: migrate instead
        db.drop_all()
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0

    result = runner.invoke(args=["check"])

    assert (result.exit_code, result.output.splitlines()[-1]) == (
        0,
        "✓ No problem found (development (settings not checked)).",
    )


def test_health_and_metrics_answer_plain_http_in_production():
    config = type("Sound", (ProductionConfig,), {**GOOD, "SELF_CHECK": "warn"})
    client = create_app(config).test_client()

    answers = [client.get(path).status_code for path in ("/livez", "/metrics", "/catalog/")]

    # Health checks and the scraper talk to gunicorn's port over http on the machine;
    # every page still goes to https. (The database here cannot be reached: /metrics
    # still answers, with webinars_database_up 0.)
    assert answers == [200, 200, 302]
    assert "webinars_database_up 0.0" in client.get("/metrics").get_data(as_text=True)
