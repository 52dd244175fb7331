"""Countries by their ISO code, named in the reader's language (Babel's CLDR data)."""

from __future__ import annotations

from babel import Locale
from flask_babel import get_locale


def country_name(code: str) -> str:
    """'KZ' -> 'Kazakhstan', 'Казахстан' or 'Qozogʻiston'; the code itself if unknown."""
    return Locale.parse(str(get_locale())).territories.get(code.upper(), code)
