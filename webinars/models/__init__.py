"""Typed SQLAlchemy models, one module per aggregate. No business rules here."""

from webinars.models.academy import PartnerAcademy
from webinars.models.agreement import Agreement, AgreementKind
from webinars.models.attendance import AttendanceEntry, AttendanceSheet, Presence, ZoomNameMatch
from webinars.models.certificate import Certificate, CertificateKind, CertificateLayout
from webinars.models.closure import Closure
from webinars.models.cooperation import CooperationPageSettings
from webinars.models.feed_token import FeedScope, FeedToken
from webinars.models.feed_version import FeedVersion
from webinars.models.outbox import MailStatus, OutboxMessage
from webinars.models.partners import (
    CoordinatorInvitation,
    LectureRequest,
    LectureRequestEvent,
    LectureRequestStatus,
    LectureRequestWindow,
    Nomination,
    SeatQuota,
)
from webinars.models.registration import (
    ACTIVE_STATUSES,
    SEAT_STATUSES,
    Registration,
    RegistrationStatus,
)
from webinars.models.report_cache import ReportCache
from webinars.models.session import (
    AuditEntry,
    Conference,
    Direction,
    GuestSpeaker,
    Session,
    SessionKind,
    SessionStatus,
    Visibility,
    session_academies,
    session_lecturers,
)
from webinars.models.types import UTCDateTime, utcnow
from webinars.models.user import Role, User
from webinars.models.worker import WorkerHeartbeat
from webinars.models.zoom import (
    AutoRecording,
    LiveStatus,
    MeetingState,
    ZoomAttendance,
    ZoomDefaults,
    ZoomHostUsage,
    ZoomMeeting,
    ZoomRecording,
    ZoomRefusedTimeZone,
    ZoomWebhookEvent,
)

__all__ = [
    "CooperationPageSettings",
    "ReportCache",
    "Agreement",
    "AgreementKind",
    "AttendanceEntry",
    "AttendanceSheet",
    "Certificate",
    "CertificateKind",
    "CertificateLayout",
    "Presence",
    "ZoomNameMatch",
    "ACTIVE_STATUSES",
    "SEAT_STATUSES",
    "CoordinatorInvitation",
    "LectureRequest",
    "LectureRequestEvent",
    "LectureRequestStatus",
    "LectureRequestWindow",
    "Nomination",
    "SeatQuota",
    "MailStatus",
    "OutboxMessage",
    "Registration",
    "RegistrationStatus",
    "AuditEntry",
    "Closure",
    "FeedScope",
    "FeedToken",
    "FeedVersion",
    "Conference",
    "Direction",
    "GuestSpeaker",
    "PartnerAcademy",
    "Role",
    "Session",
    "SessionKind",
    "SessionStatus",
    "UTCDateTime",
    "User",
    "Visibility",
    "WorkerHeartbeat",
    "AutoRecording",
    "LiveStatus",
    "MeetingState",
    "ZoomAttendance",
    "ZoomDefaults",
    "ZoomHostUsage",
    "ZoomMeeting",
    "ZoomRecording",
    "ZoomRefusedTimeZone",
    "ZoomWebhookEvent",
    "session_academies",
    "session_lecturers",
    "utcnow",
]
