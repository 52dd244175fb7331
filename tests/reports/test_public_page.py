"""The public International cooperation page shows what is true and nothing private."""

from __future__ import annotations

from datetime import date, timedelta

from tests.fixtures.history import held_session
from tests.fixtures.markup import parse
from webinars.extensions import db
from webinars.models import (
    Agreement,
    AgreementKind,
    CooperationPageSettings,
    Role,
    Session,
    Visibility,
    utcnow,
)


def _page(client):
    return parse(client.get("/cooperation").get_data(as_text=True))


def _figures(page, year: int) -> dict[str, str]:
    [row] = [el for el in page.iter() if el.attrs.get("data-year") == str(year)]
    return {el.attrs["data-figure"]: el.text() for el in row.iter() if "data-figure" in el.attrs}


def _section(page, ident: str):
    [section] = [el for el in page.iter() if el.attrs.get("id") == ident]
    return section


def test_partners_with_a_public_agreement_are_grouped_by_country(app, client, report_world):
    with app.app_context():
        # Kazan's only agreement expired, Izhevsk's too; give Izhevsk a private one.
        db.session.add(
            Agreement(
                academy_id=report_world["izhevsk"],
                kind=AgreementKind.MOBILITY,
                signed_on=date(2025, 3, 1),
                is_public=False,
            )
        )
        db.session.commit()

    partners = _section(_page(client), "partners")

    assert [h.text() for h in partners.iter() if h.tag == "h3"] == ["Kazakhstan"]
    assert "Shymkent" in partners.text() and "Izhevsk" not in partners.text()


def test_yearly_figures_count_public_sessions_only_unless_allowed(app, client, report_world):
    with app.app_context():
        for name in ("s1", "s3"):
            session = db.session.get(Session, report_world[name])
            session.visibility = Visibility.PARTNERS
        db.session.add(CooperationPageSettings(id=1, years_shown=3))
        db.session.commit()

    page = _page(client)

    # 2025: S2, S5, S8 public (S1 and S3 partners-only); partners: Izhevsk, Shymkent.
    assert _figures(page, 2025) == {
        "sessions": "3",
        "partners": "2",
        "students": "4",
        "lecturers": "3",
    }
    assert _figures(page, 2024) == {
        "sessions": "1",
        "partners": "1",
        "students": "1",
        "lecturers": "1",
    }
    with app.app_context():
        db.session.get(CooperationPageSettings, 1).count_partners_only = True
        db.session.commit()
    assert _figures(_page(client), 2025)["sessions"] == "5"


def test_partners_only_sessions_are_never_listed(app, client, make_academy):
    academy = make_academy()
    with app.app_context():
        held_session(utcnow() - timedelta(days=3), academies=[academy.id], title="Open lecture")
        held_session(
            utcnow() - timedelta(days=2),
            academies=[academy.id],
            title="Closed case review",
            visibility=Visibility.PARTNERS,
        )
        held_session(
            utcnow() + timedelta(days=2),
            academies=[academy.id],
            title="Closed seminar",
            visibility=Visibility.PARTNERS,
        )
        held_session(utcnow() + timedelta(days=5), academies=[academy.id], title="Open webinar")
        db.session.add(CooperationPageSettings(id=1, count_partners_only=True))
        db.session.commit()

    response = client.get("/cooperation")
    html = response.get_data(as_text=True)

    assert response.status_code == 200
    assert "Open lecture" in html and "Open webinar" in html
    assert "Closed" not in html
    assert "meet.example.org" not in html


def test_hidden_figures_are_not_shown(app, client, report_world):
    with app.app_context():
        db.session.add(
            CooperationPageSettings(id=1, show_students=False, show_lecturers_abroad=False)
        )
        db.session.commit()

    page = _page(client)

    assert set(_figures(page, 2025)) == {"sessions", "partners"}


def test_admin_chooses_the_figures(app, client, login, make_user):
    login(make_user(Role.ADMIN))

    response = client.post("/admin/cooperation", data={"show_sessions": "y", "years_shown": "2"})

    assert response.status_code == 302
    with app.app_context():
        settings = db.session.get(CooperationPageSettings, 1)
        assert (settings.show_sessions, settings.show_students, settings.years_shown) == (
            True,
            False,
            2,
        )
    assert len([el for el in _page(client).iter() if "data-year" in el.attrs]) == 2
