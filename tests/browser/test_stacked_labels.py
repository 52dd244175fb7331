"""Tables that turn into one card per row on a phone: each row's label fits its column in
every language. "Преподаватели" and "Академия-партнёр" ran into the value beside them."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from flask import Flask

from tests.fixtures.browser import PHONE
from webinars.domain.partners.requests import RequestInput, submit_request
from webinars.extensions import db
from webinars.models import Role, SessionKind, User

# Each word of a stacked cell's label (the ::before of <td data-label>; a line may break
# after a hyphen too) measured in the label's own font against the label column's width.
LABEL_OVERFLOWS = """() => {
  const problems = [];
  const probe = document.createElement("span");
  probe.style.position = "absolute";
  probe.style.visibility = "hidden";
  probe.style.whiteSpace = "nowrap";
  document.body.appendChild(probe);
  for (const td of document.querySelectorAll(".table-stack td[data-label]")) {
    const style = getComputedStyle(td);
    const before = getComputedStyle(td, "::before");
    if (style.display !== "grid" || before.content === "none" || td.offsetParent === null) continue;
    const column = parseFloat(style.gridTemplateColumns.split(" ")[0]);
    probe.style.font = before.font;
    for (const word of td.dataset.label.split(/\\s+|(?<=-)/)) {
      probe.textContent = word;
      const width = probe.getBoundingClientRect().width;
      if (width > column + 0.5) {
        problems.push(`${word}: ${Math.round(width)}px in ${Math.round(column)}px`);
      }
    }
  }
  probe.remove();
  return [...new Set(problems)];
}"""


@pytest.mark.parametrize("locale", ["ru", "uz"])
def test_stacked_table_labels_fit_their_column_on_a_phone(
    app: Flask, new_page, sign_in, make_user, make_academy, make_session, locale: str
) -> None:
    izhevsk = make_academy(name_en="Izhevsk", time_zone="Europe/Samara")
    admin = make_user(Role.ADMIN, locale=locale)
    coordinator = make_user(Role.COORDINATOR, academy_id=izhevsk.id, time_zone="Europe/Samara")
    make_session(actor=admin, academy_ids=[izhevsk.id])
    with app.app_context():
        soon = datetime.now().replace(microsecond=0, second=0, minute=0) + timedelta(days=20)
        submit_request(
            db.session.get(User, coordinator.id),
            RequestInput(
                topic="Neonatal sepsis",
                kind=SessionKind.GUEST_LECTURE,
                language="ru",
                time_zone="Europe/Samara",
                duration_minutes=60,
                windows_local=[soon, soon + timedelta(days=1)],
            ),
        )
        db.session.commit()
    page: Any = new_page(PHONE)
    sign_in(page, admin)

    found = {}
    for path in ("/manage/schedule", "/partners/requests", "/admin/users", "/admin/academies"):
        page.goto(path)
        found[path] = page.evaluate(LABEL_OVERFLOWS)

    assert found == {path: [] for path in found}


def test_a_coordinators_student_list_keeps_each_address_on_one_line_on_a_phone(
    app: Flask, new_page, sign_in, make_user, make_academy, make_session
) -> None:
    # The state badge ("Held, unconfirmed") sat beside the name and squeezed the address
    # into three broken lines ("student1 / 60@exa / mple.org").
    from tests.fixtures.registration import person
    from webinars.domain.registration.register import register

    izhevsk = make_academy(name_en="Izhevsk", time_zone="Europe/Samara")
    olga = make_user(Role.COORDINATOR, academy_id=izhevsk.id, locale="ru")
    session = make_session(capacity=5, kind=SessionKind.MASTER_CLASS, academy_ids=[izhevsk.id])
    with app.app_context():
        register(session.id, person(160, full_name="Студентка Иванова", academy_id=izhevsk.id))
        db.session.commit()
    page: Any = new_page(PHONE)
    sign_in(page, olga)

    page.goto(f"/manage/sessions/{session.id}")
    email = page.locator("#academy-students .text-muted").first
    line = float(email.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)"))

    assert email.inner_text() == "student160@example.org"
    assert email.bounding_box()["height"] < 1.5 * line
