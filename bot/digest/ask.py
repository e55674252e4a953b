"""Retrieval for ``ask``: full-text search over stored sentences (SQLite FTS5, BM25)."""

from __future__ import annotations

import re

from bot.models import Sentence
from bot.store import Store
from bot.topics.text import STOPWORDS, normalize

_WORD = re.compile(r"[^\W_]+")  # letters and digits of any script, as FTS5's unicode61 sees them


def fts_query(question: str) -> str:
    """An FTS5 OR-query of the question's content words (safe against FTS syntax)."""
    words = [w for w in _WORD.findall(normalize(question)) if w not in STOPWORDS and len(w) > 1]
    return " OR ".join(f'"{w}"' for w in dict.fromkeys(words))


def retrieve(store: Store, question: str, limit: int = 200) -> list[tuple[Sentence, float]]:
    """Sentences sharing words with the question, best BM25 first."""
    query = fts_query(question)
    return store.sources.search(query, limit) if query else []
