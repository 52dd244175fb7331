"""Secrets that travel in URL paths (feed tokens, manage links), kept out of logs.

Servers log the request line as the client sent it, and a path reaches its view in more
than one spelling: doubled slashes (redirected, the redirect logged), `%2F` for a slash,
percent-escaped letters. `secret_after()` finds the secret in every such spelling (and in
any letter case), so no log line holds one in full; `SecretPathFilter` masks log records
and `install()` puts a filter on the loggers that print paths.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from flask import Flask

# Characters of a secret a log keeps: enough to tell two apart, far too few to use one.
KEEP = 6
# Besides the app's own logger, the loggers that print request paths: the development
# server's and gunicorn's.
SERVER_LOGGERS = ("werkzeug", "gunicorn.access", "gunicorn.error")

# No possessive quantifiers or atomic groups here: Debian 12's Python (3.11.2) matches
# some of them wrongly (a possessive group holding a lookahead never matches), which left
# %2F spellings unmasked there. Each greedy run below is followed by something it cannot
# match, so giving characters back fails at once and the search stays linear.
_SLASHES = r"(?:/|%2f)+"
_SEGMENT = r"(?:(?!%2f)[^/\s?#\"'])+"  # one path segment, a slug say
# A match starts only where a run of slashes starts: tried from inside a long run as well,
# the search would take time growing with the square of the run (a cheap attack on logs).
_RUN_START = r"(?<!/)(?<!%2f)"
_SECRET_CHAR = r"(?:[a-z0-9_-]|%[0-9a-f]{2})"  # base64url, maybe percent-escaped


# Any run of secret characters this long, wherever it stands in a server's request line:
# tokens are 43 characters, and a client may send one inside a path no pattern above
# knows (a dot segment, a typo: answered 404, but the token in the line is still good).
# Only server loggers get this: the app's own messages may carry long ids worth reading.
_RUN_CHAR = r"(?:[a-z0-9_-]|%(?!2f)[0-9a-f]{2})"  # a secret's character; %2F is a slash
LONG_RUN = re.compile(
    rf"(?:(?<![a-z0-9_%-])|(?<=%2f))({_RUN_CHAR}{{{KEEP}}}){_RUN_CHAR}{{{32 - KEEP},}}",
    re.IGNORECASE,
)


def _spelled(word: str) -> str:
    """A pattern for `word` with any of its characters percent-escaped."""
    return "".join(f"(?:{re.escape(char)}|%{ord(char):02x})" for char in word)


# Where a path starts in a log line: the line's start, after a space or a quote.
_PATH_START = r"(?<![^\s\"'])"


def secret_after(*segments: str | None, path_start: bool = False) -> re.Pattern[str]:
    """The secret path segment that follows `segments` (None: any one segment, a slug);
    with `path_start`, only where they open the path (not /manage/.../certificates/...).

    Group 1 is everything before the secret, group 2 the characters a log keeps. A secret
    already masked ("…" after the kept characters) is left alone: several filters may see
    one record, and a line masked twice reads the same as once.
    """
    parts = [_SEGMENT if segment is None else _spelled(segment) for segment in segments]
    start = _PATH_START if path_start else _RUN_START
    prefix = start + "".join(_SLASHES + part for part in parts) + _SLASHES
    secret = rf"({_SECRET_CHAR}{{{KEEP}}}){_SECRET_CHAR}*(?!{_SECRET_CHAR}|…)"
    return re.compile(rf"({prefix}){secret}", re.IGNORECASE)


def mask_secrets(text: str, *patterns: re.Pattern[str]) -> str:
    """`text` with every secret the patterns find cut to its first characters and "…"."""
    for pattern in patterns:
        text = pattern.sub(r"\1\2…", text)
    return text


# Codes too short for LONG_RUN (which would also cut ordinary words if it were shorter),
# masked in the paths that carry them: a check-in QR's code (26 characters), which opens
# the check-in to its session's lecturers, and a certificate's verification code (22),
# which shows its holder's name to anyone.
CODE_PATHS = (
    secret_after("manage", "sessions", None, "check-in", None),
    secret_after("certificates", path_start=True),
)


def mask_codes(text: str) -> str:
    """`text` with every check-in and certificate code in a path masked."""
    return mask_secrets(text, *CODE_PATHS)


def mask_server_line(text: str) -> str:
    """A server's line as the logs keep it: the codes above and any long run cut."""
    return LONG_RUN.sub(r"\1…", mask_codes(text))


class SecretPathFilter(logging.Filter):
    """Masks secrets in a log record's message and arguments; never drops a record."""

    def mask(self, text: str) -> str:
        """`text` with the secrets this filter knows masked."""
        raise NotImplementedError

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the message and its arguments in place."""
        server = record.name in SERVER_LOGGERS
        if isinstance(record.msg, str):
            record.msg = self._masked(record.msg, server)
        if isinstance(record.args, dict):  # gunicorn's atoms: a dict subclass, kept as it is
            for key, value in list(record.args.items()):
                record.args[key] = self._masked(value, server)
        elif isinstance(record.args, tuple):
            record.args = tuple(self._masked(value, server) for value in record.args)
        return True

    def _masked(self, value: Any, server: bool) -> Any:
        if not isinstance(value, str):
            return value
        value = mask_codes(self.mask(value))
        return LONG_RUN.sub(r"\1…", value) if server else value


def install(app: Flask, log_filter: SecretPathFilter) -> None:
    """Put `log_filter` on the app's logger and the servers' loggers, once per kind.

    Logger filters see only records logged on that very logger, which is how werkzeug,
    gunicorn and Flask log requests and unhandled errors.
    """
    for logger in (app.logger, *(logging.getLogger(name) for name in SERVER_LOGGERS)):
        if not any(isinstance(f, type(log_filter)) for f in logger.filters):
            logger.addFilter(log_filter)
