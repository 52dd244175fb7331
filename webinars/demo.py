"""Demo data for a first look: the Samarkand department and its partners (idempotent)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from flask import current_app

from webinars.demo_history import seed_history
from webinars.domain.accounts.staff import create_user
from webinars.domain.sessions.rules import GuestInput, SessionInput
from webinars.domain.sessions.scheduling import cancel_session, create_session
from webinars.domain.sessions.timezones import local_to_utc, utc_to_local
from webinars.extensions import db
from webinars.models import (
    Conference,
    PartnerAcademy,
    Role,
    Session,
    SessionKind,
    SessionStatus,
    User,
    Visibility,
    utcnow,
)
from webinars.zoom.setup import zoom_setup

ACADEMIES = [
    dict(
        slug="izhevsk-state-medical-academy",
        name_en="Izhevsk State Medical Academy",
        name_ru="Ижевская государственная медицинская академия",
        name_uz="Ijevsk davlat tibbiyot akademiyasi",
        country="RU",
        city="Izhevsk",
        city_ru="Ижевск",
        city_uz="Ijevsk",
        time_zone="Europe/Samara",
        language="ru",
        website="https://igma.ru",
        contact_name="Ольга Петрова",
        contact_email="olga.petrova@demo.example.org",
    ),
    dict(
        slug="south-kazakhstan-medical-academy",
        name_en="South Kazakhstan Medical Academy",
        name_ru="Южно-Казахстанская медицинская академия",
        name_uz="Janubiy Qozogʻiston tibbiyot akademiyasi",
        country="KZ",
        city="Shymkent",
        city_ru="Шымкент",
        city_uz="Chimkent",
        time_zone="Asia/Almaty",
        language="ru",
        website="https://ukma.kz",
        contact_name="Айгерим Садыкова",
        contact_email="aigerim.s@demo.example.org",
    ),
    dict(
        slug="kazan-state-medical-university",
        name_en="Kazan State Medical University",
        name_ru="Казанский государственный медицинский университет",
        name_uz="Qozon davlat tibbiyot universiteti",
        country="RU",
        city="Kazan",
        city_ru="Казань",
        city_uz="Qozon",
        time_zone="Europe/Moscow",
        language="ru",
        website="https://kazangmu.ru",
        contact_name="Ринат Хасанов",
        contact_email="rinat.k@demo.example.org",
    ),
    dict(
        slug="tashkent-pediatric-medical-institute",
        name_en="Tashkent Pediatric Medical Institute",
        name_ru="Ташкентский педиатрический медицинский институт",
        name_uz="Toshkent pediatriya tibbiyot instituti",
        country="UZ",
        city="Tashkent",
        city_ru="Ташкент",
        city_uz="Toshkent",
        time_zone="Asia/Tashkent",
        language="uz",
        website="https://tashpmi.uz",
        contact_name="Shahlo Nazarova",
        contact_email="shahlo.n@demo.example.org",
    ),
]

PEOPLE = [
    ("admin@demo.example.org", "Bahrom Aliev", Role.ADMIN, None, "demo-admin-2026"),
    ("dilnoza@demo.example.org", "Dilnoza Rashidova", Role.LECTURER, None, "demo-lecturer-2026"),
    ("akmal@demo.example.org", "Akmal Yusupov", Role.LECTURER, None, "demo-lecturer-2026"),
    ("nodira@demo.example.org", "Nodira Karimova", Role.LECTURER, None, "demo-lecturer-2026"),
    (
        "izhevsk@demo.example.org",
        "Ольга Петрова",
        Role.COORDINATOR,
        "izhevsk-state-medical-academy",
        "demo-partner-2026",
    ),
    (
        "shymkent@demo.example.org",
        "Айгерим Садыкова",
        Role.COORDINATOR,
        "south-kazakhstan-medical-academy",
        "demo-partner-2026",
    ),
]

# (days from today, hour in Samarkand, kind, title, language, lecturers, academies, extra)
SESSIONS = [
    (
        -20,
        14,
        SessionKind.GUEST_LECTURE,
        "Бронхиальная астма у детей: новое в GINA 2026",
        "ru",
        ["dilnoza"],
        ["izhevsk-state-medical-academy"],
        {},
    ),
    (
        -13,
        15,
        SessionKind.WEBINAR,
        "Bolalarda pnevmoniya: antibiotik tanlash",
        "uz",
        ["nodira"],
        ["tashkent-pediatric-medical-institute"],
        {},
    ),
    (
        -6,
        10,
        SessionKind.MASTER_CLASS,
        "Neonatal resuscitation: hands-on skills",
        "en",
        ["akmal"],
        ["south-kazakhstan-medical-academy"],
        {"capacity": 30},
    ),
    (
        3,
        14,
        SessionKind.WEBINAR,
        "Bolalarda temir tanqisligi kamqonligi",
        "uz",
        ["nodira"],
        ["tashkent-pediatric-medical-institute", "south-kazakhstan-medical-academy"],
        {},
    ),
    (
        5,
        15,
        SessionKind.MASTER_CLASS,
        "Ультразвуковая диагностика в педиатрии",
        "ru",
        ["dilnoza", "akmal"],
        ["izhevsk-state-medical-academy"],
        {"capacity": 25},
    ),
    (
        9,
        11,
        SessionKind.GUEST_LECTURE,
        "Kawasaki disease after COVID-19: what changed",
        "en",
        ["akmal"],
        ["kazan-state-medical-university"],
        {"guests": [GuestInput("Ринат Хасанов", "Kazan State Medical University")]},
    ),
    (
        12,
        14,
        SessionKind.WEBINAR,
        "Вакцинация детей: вопросы и ответы",
        "ru",
        ["nodira"],
        ["south-kazakhstan-medical-academy", "izhevsk-state-medical-academy"],
        {"visibility": Visibility.PARTNERS},
    ),
    (
        16,
        9,
        SessionKind.MASTER_CLASS,
        "Pediatric ECG interpretation",
        "en",
        ["dilnoza"],
        ["south-kazakhstan-medical-academy"],
        {"capacity": 40},
    ),
    (
        20,
        14,
        SessionKind.GUEST_LECTURE,
        "Муковисцидоз: ранняя диагностика",
        "ru",
        ["nodira"],
        ["izhevsk-state-medical-academy"],
        {
            "guests": [GuestInput("Ольга Петрова", "Izhevsk State Medical Academy")],
            "cancel": "The guest lecturer is ill; a new date will follow.",
        },
    ),
]


def _academies() -> dict[str, PartnerAcademy]:
    found = {}
    for data in ACADEMIES:
        academy = db.session.execute(
            db.select(PartnerAcademy).filter_by(slug=data["slug"])
        ).scalar_one_or_none()
        if academy is None:
            academy = PartnerAcademy(**data)
            db.session.add(academy)
        found[data["slug"]] = academy
    db.session.flush()
    return found


def _people(academies: dict[str, PartnerAcademy]) -> dict[str, User]:
    found = {}
    for email, name, role, slug, password in PEOPLE:
        user = db.session.execute(db.select(User).filter_by(email=email)).scalar_one_or_none()
        if user is None:
            user = create_user(
                email, name, password, role, None, academies[slug].id if slug else None
            )
        found[email.split("@")[0]] = user
    return found


def _sessions(people: dict[str, User], academies: dict[str, PartnerAcademy]) -> int:
    made = 0
    today = utc_to_local(utcnow(), "Asia/Samarkand").date()
    zoom = zoom_setup(current_app.config).configured  # online sessions then get Zoom meetings
    for days, hour, kind, title, lang, lecturers, slugs, extra in SESSIONS:
        if db.session.execute(db.select(Session.id).filter_by(title=title)).first():
            continue
        starts_local = datetime.combine(today + timedelta(days=days), time(hour))
        data = SessionInput(
            kind=kind,
            title=title,
            language=lang,
            starts_local=starts_local,
            time_zone="Asia/Samarkand",
            duration_minutes=90,
            lecturer_ids=[people[name].id for name in lecturers],
            academy_ids=[academies[s].id for s in slugs],
            description="Demo session for the partner academies.",
            guests=extra.get("guests", []),
            capacity=extra.get("capacity"),
            visibility=extra.get("visibility", Visibility.PUBLIC),
            conference=Conference.ZOOM if zoom else Conference.LINK,
            join_url=None if zoom else f"https://meet.example.org/demo-{made + 1}",
            status=SessionStatus.SCHEDULED,
        )
        # Past demo sessions are created "back then", so the start-in-the-past rule holds.
        created = local_to_utc(starts_local, "Asia/Samarkand") - timedelta(days=14)
        session = create_session(data, people[lecturers[0]], now=min(created, utcnow()))
        if "cancel" in extra:
            cancel_session(session, extra["cancel"], people[lecturers[0]])
        made += 1
    return made


def seed_demo() -> list[str]:
    """Create what is missing; return lines to print, the demo sign-ins among them."""
    academies = _academies()
    people = _people(academies)
    made = _sessions(people, academies)
    lecturers = [user for user in people.values() if user.role is Role.LECTURER]
    history = seed_history(lecturers, academies)
    db.session.commit()
    lines = [f"Demo data ready ({made} new sessions). Sign in at /login with:"]
    lines += [
        f"  {role.value:<12} {email:<28} {password}"
        for email, _name, role, _slug, password in PEOPLE
    ]
    lines.append(f"History for the cooperation report: {history} sessions since 2023 added.")
    return lines
