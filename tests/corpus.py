"""A small corpus written by a test: one topic ("merger", about Acme) and the given articles."""

from __future__ import annotations

from pathlib import Path

MERGER_TOPIC = '[[topic]]\nslug = "merger"\ntitle = "Acme merger"\nkeywords = ["Acme", "merger"]\n'


def merger_corpus(root: Path, **articles: str) -> Path:
    """``root/corpus`` holding the merger topic and ``name=text`` articles (``name`` + ``.md``)."""
    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / "topics.toml").write_text(MERGER_TOPIC)
    for name, text in articles.items():
        (corpus / f"{name}.md").write_text(text)
    return corpus
