"""Lecture requests as the staff and the academies see them: who may see which, the
staff's queue and its order, overdue requests, and a window's time in every city involved.
The steps of a request are in requests.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy.orm import selectinload

from webinars.domain.sessions.places import home_city
from webinars.domain.sessions.timezones import PlaceTime, times_in_places
from webinars.domain.sessions.zone_names import zone_city
from webinars.extensions import db
from webinars.models import LectureRequest, LectureRequestStatus, User, utcnow


def is_overdue(request: LectureRequest, now: datetime | None = None) -> bool:
    """Left on the staff's side longer than LECTURE_REQUEST_OVERDUE_DAYS."""
    days = current_app.config["LECTURE_REQUEST_OVERDUE_DAYS"]
    since = request.waiting_since
    return (
        request.status is LectureRequestStatus.OPEN
        and since is not None
        and (now or utcnow()) - since >= timedelta(days=days)
    )


def overdue_requests(now: datetime | None = None) -> list[LectureRequest]:
    """Open requests nobody answered for LECTURE_REQUEST_OVERDUE_DAYS, oldest first."""
    now = now or utcnow()
    limit = now - timedelta(days=current_app.config["LECTURE_REQUEST_OVERDUE_DAYS"])
    return list(
        db.session.execute(
            db.select(LectureRequest)
            .where(
                LectureRequest.status == LectureRequestStatus.OPEN,
                LectureRequest.waiting_since <= limit,
            )
            .options(selectinload(LectureRequest.academy))
            .order_by(LectureRequest.waiting_since)
        ).scalars()
    )


def visible_requests(user: User):
    """A query of the requests `user` may see: staff all, a coordinator their academy's."""
    query = db.select(LectureRequest).options(selectinload(LectureRequest.academy))
    if user.can_schedule:
        return query
    return query.where(LectureRequest.academy_id == (user.academy_id or -1))


def can_see_request(user: User, request: LectureRequest) -> bool:
    """Staff see every request; a coordinator only their own academy's."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.can_schedule or (
        user.is_coordinator
        and user.academy_id is not None
        and user.academy_id == request.academy_id
    )


def queue_order():
    """Staff's queue: their turn first (oldest waiting first), then the rest, newest first."""
    return (
        LectureRequest.status != LectureRequestStatus.OPEN,
        LectureRequest.waiting_since,
        LectureRequest.updated_at.desc(),
    )


def window_places(
    request: LectureRequest,
    moment: datetime,
    config: Any,
    viewer_zone: str | None,
    locale: str = "en",
) -> list[PlaceTime]:
    """A window's start in every involved city, named in `locale`: home, the academy, the
    zone it was entered in, then the viewer's own."""
    places = [
        (home_city(config, locale), config["HOME_TIME_ZONE"]),
        (request.academy.city_in(locale), request.academy.time_zone),
    ]
    if request.time_zone not in (zone for _label, zone in places):
        places.append((zone_city(request.time_zone, locale), request.time_zone))
    viewer_label = zone_city(viewer_zone, locale) if viewer_zone else None
    return times_in_places(moment, places, viewer_zone, viewer_label)
