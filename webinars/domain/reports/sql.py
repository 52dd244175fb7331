"""SQL the report needs that the two databases spell differently."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Integer
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class minutes_between(FunctionElement[int]):  # noqa: N801 - reads as a SQL function
    """Whole minutes from the first timestamp to the second, computed by the database."""

    type = Integer()
    inherit_cache = True
    name = "minutes_between"


@compiles(minutes_between, "postgresql")
def _pg(element: minutes_between, compiler: Any, **kw: Any) -> str:
    start, end = (compiler.process(arg, **kw) for arg in element.clauses)
    return f"CAST(ROUND(EXTRACT(EPOCH FROM ({end} - {start})) / 60) AS INTEGER)"


@compiles(minutes_between, "sqlite")
def _sqlite(element: minutes_between, compiler: Any, **kw: Any) -> str:
    start, end = (compiler.process(arg, **kw) for arg in element.clauses)
    return f"CAST(ROUND((julianday({end}) - julianday({start})) * 1440) AS INTEGER)"
