"""SMTP delivery of outbox messages (stdlib smtplib and email.message).

The mail's counterpart of webinars.zoom: knows the mail server, not the business. Only
the worker sends (webinars.jobs.mail); views never talk to a mail server. A sender
raises TemporaryMailError or PermanentMailError, which the outbox's delivery tells apart.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Mapping
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from types import TracebackType
from typing import Any

from webinars.models import OutboxMessage

TIMEOUT_SECONDS = 20


class TemporaryMailError(Exception):
    """The server could not take the message now; try again later."""


class PermanentMailError(Exception):
    """The server refused the message for good (e.g. the address does not exist)."""


def build_mime(message: OutboxMessage, sender: str) -> EmailMessage:
    """The MIME message: plain text, HTML alternative, and the attachment if any."""
    mime = EmailMessage()
    mime["From"] = sender
    mime["To"] = message.to_address
    mime["Subject"] = message.subject
    mime["Message-ID"] = message.message_id
    mime["Date"] = format_datetime(message.created_at)
    mime["Auto-Submitted"] = "auto-generated"
    mime.set_content(message.text_body)
    if message.html_body:
        mime.add_alternative(message.html_body, subtype="html")
    if message.attachment is not None and message.attachment_type:
        maintype, subtype, params = _content_type(message.attachment_type)
        mime.add_attachment(
            message.attachment,
            maintype=maintype,
            subtype=subtype,
            filename=message.attachment_name or "attachment",
            params=params,
        )
    return mime


def _content_type(value: str) -> tuple[str, str, dict[str, str]]:
    """'text/calendar; method=REQUEST' -> ('text', 'calendar', {'method': 'REQUEST'})."""
    main, *rest = [part.strip() for part in value.split(";")]
    maintype, _, subtype = main.partition("/")
    params = {}
    for part in rest:
        key, _, val = part.partition("=")
        if key and key.lower() != "charset":
            params[key.strip()] = val.strip().strip('"')
    return maintype, subtype, params


class SmtpSender:
    """Sends messages over one SMTP connection, opened on first use and closed on exit."""

    def __init__(self, config: Mapping[str, Any]) -> None:
        self.host: str = config["MAIL_SERVER"]
        self.port = int(config.get("MAIL_PORT") or 25)
        self.username = config.get("MAIL_USERNAME")
        self.password = config.get("MAIL_PASSWORD")
        self.use_tls = bool(config.get("MAIL_USE_TLS"))
        self.sender: str = config["MAIL_DEFAULT_SENDER"]
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> SmtpSender:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Say goodbye to the server, if connected."""
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (smtplib.SMTPException, OSError):
                pass
            self._smtp = None

    def _connect(self) -> smtplib.SMTP:
        if self._smtp is None:
            smtp = smtplib.SMTP(self.host, self.port, timeout=TIMEOUT_SECONDS)
            if self.use_tls:
                smtp.starttls(context=ssl.create_default_context())
            if self.username:
                smtp.login(self.username, self.password or "")
            self._smtp = smtp
        return self._smtp

    def __call__(self, message: OutboxMessage) -> None:
        """Send one message; raise TemporaryMailError or PermanentMailError on failure."""
        mime = build_mime(message, self.sender)
        envelope_from = parseaddr(self.sender)[1] or self.sender
        try:
            self._connect().send_message(mime, from_addr=envelope_from)
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            self._after_error()
            if codes and all(500 <= code < 600 for code in codes):
                raise PermanentMailError(str(exc)) from exc
            raise TemporaryMailError(str(exc)) from exc
        except smtplib.SMTPDataError as exc:
            self._after_error()
            if 500 <= exc.smtp_code < 600:
                raise PermanentMailError(str(exc)) from exc
            raise TemporaryMailError(str(exc)) from exc
        except (smtplib.SMTPException, OSError) as exc:
            # Unreachable, disconnected, refused sender or login: the server's side; retry.
            self._drop_connection()
            raise TemporaryMailError(str(exc) or type(exc).__name__) from exc

    def _after_error(self) -> None:
        try:
            if self._smtp is not None:
                self._smtp.rset()
        except (smtplib.SMTPException, OSError):
            self._drop_connection()

    def _drop_connection(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.close()
            except OSError:
                pass
        self._smtp = None
