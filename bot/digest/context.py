"""A sentence that points back ("He added …", "The union denied that.") shown with what it needs.

A statement is read alone, far from its article. When its sentence opens by pointing back, the
sentence before it in the same article (two at most, when that one points back too) is joined to
it as its ``context``, so the reader learns who "he" is. Matching, dating and ranking still read
the sentence alone; what is shown (``Sentence.shown``) is still a verbatim quote: consecutive
sentences of one cleaned text, whitespace aside.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from bot.digest.features import needs_antecedent
from bot.models import Sentence

MAX_BACK = 2  # sentences joined before one that points back
MAX_CHARS = 600  # a joined quote stays a quote, not a paragraph
_ENDS = (".", "!", "?", "”", '"', "’", "'", ")")


def in_context(sentence: Sentence, article: Sequence[Sentence]) -> Sentence:
    """``sentence`` with the sentences before it that it leans on as context; itself otherwise.

    ``article`` holds the sentences of the sentence's source (any order).
    """
    if not needs_antecedent(sentence.text):
        return sentence
    by_index = {s.index: s for s in article if s.source_id == sentence.source_id}
    first, parts, current = sentence, [sentence.text.strip()], sentence
    for _ in range(MAX_BACK):
        before = by_index.get(current.index - 1)
        if before is None or not before.text.rstrip().endswith(_ENDS):
            break  # a heading or a cut-off line explains nothing
        if sum(map(len, parts)) + len(before.text) > MAX_CHARS:
            break
        parts.insert(0, before.text.strip())
        first = current = before
        if not needs_antecedent(before.text):
            break
    if first is sentence:
        return sentence
    return replace(sentence, context=" ".join(parts[:-1]))


def in_its_page(sentence: Sentence, sentences: Mapping[str, list[Sentence]]) -> Sentence:
    """``in_context``, reading the sentence's page from ``sentences`` only if it needs context
    (a recompute reads pages from the store)."""
    if not needs_antecedent(sentence.text):
        return sentence
    return in_context(sentence, sentences.get(sentence.source_id, []))
