"""Full text search over title and description: one condition, compiled per dialect.

PostgreSQL matches the generated `tickets.search_vector` (GIN index); SQLite matches the FTS5
table `tickets_fts` kept in step by triggers. Both get the same words, ANDed, stemmed.
"""

import re
from typing import Any

from sqlalchemy import BindParameter, Boolean, ColumnElement, bindparam
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.visitors import InternalTraversal

_WORD = re.compile(r"\w+")


def search_words(query: str) -> list[str]:
    """Split a free-text query into the words both engines match (punctuation is dropped)."""
    return _WORD.findall(query.lower())


class _TicketTextMatch(ColumnElement[bool]):
    """True for tickets whose title or description contains every word of the query."""

    inherit_cache = True
    # Both parameters are part of the statement, so a cached compiled form gets fresh values.
    _traverse_internals = [
        ("words", InternalTraversal.dp_clauseelement),
        ("fts_query", InternalTraversal.dp_clauseelement),
    ]
    type = Boolean()

    def __init__(self, words: list[str]):
        # Written into the SQL (they are \w+ words only, nothing to escape): PostgreSQL can
        # plan a tsquery only for known words, so a parameter meant a fresh plan every request
        # (a one-plan-for-all-words plan walks the whole updated_at index: 680 ms on 1M).
        self.words: BindParameter[str] = bindparam(
            "search_words", " ".join(words), unique=True, literal_execute=True
        )
        # FTS5 query syntax: each word quoted (so none is read as an operator), ANDed by spaces.
        self.fts_query: BindParameter[str] = bindparam(
            "search_fts", " ".join(f'"{word}"' for word in words), unique=True
        )


def ticket_text_match(query: str) -> ColumnElement[bool] | None:
    """Return the full text condition for `query`, or None when it holds no words."""
    words = search_words(query)
    return _TicketTextMatch(words) if words else None


@compiles(_TicketTextMatch, "postgresql")
def _postgresql(element: _TicketTextMatch, compiler: SQLCompiler, **kw: Any) -> str:
    words = compiler.process(element.words, **kw)
    return f"tickets.search_vector @@ plainto_tsquery('english', {words})"


@compiles(_TicketTextMatch, "sqlite")
def _sqlite(element: _TicketTextMatch, compiler: SQLCompiler, **kw: Any) -> str:
    words = compiler.process(element.fts_query, **kw)
    return f"tickets.id IN (SELECT rowid FROM tickets_fts WHERE tickets_fts MATCH {words})"
