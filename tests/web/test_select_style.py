"""Every drop-down looks like one: Bootstrap's form-select (with its arrow), never the
text-box style form-control, which hid that the academy and lecturer pickers open a list."""

from __future__ import annotations

import pytest

from tests.fixtures.app import client_as
from tests.fixtures.markup import parse
from webinars.models import Role


def _select_classes(response) -> dict[str, set[str]]:
    page = parse(response.get_data(as_text=True))
    return {e.attrs.get("id", "?"): e.classes for e in page.iter() if e.tag == "select"}


@pytest.mark.parametrize(
    ("path", "picker"),
    [
        ("/manage/schedule", "academy"),
        ("/manage/schedule", "lecturer"),
        ("/manage/sessions/{id}/registrants", "academy"),
        ("/partners/sessions/{id}/quotas", "academy_id"),
        ("/manage/feeds/", "academy_id"),
        ("/admin/closures", "academy_id"),
        ("/admin/users/new", "academy_id"),
        ("/admin/invitations", "academy_id"),
    ],
)
def test_every_select_on_the_page_is_styled_as_a_select(app, make_session, make_user, path, picker):
    admin = make_user(Role.ADMIN)
    session = make_session(actor=admin, capacity=10)

    response = client_as(app, admin).get(path.format(id=session.id))

    assert response.status_code == 200
    classes = _select_classes(response)
    assert picker in classes
    assert {name for name, c in classes.items() if "form-select" not in c} == set()
    assert {name for name, c in classes.items() if "form-control" in c} == set()
