"""LexRank baseline: pick N sentences from pre-split sentences with sumy, fully offline.

Runs in its own venv (``bench/quality/.venv-baseline``, with ``sumy`` and ``numpy``), never in the
bot's. Usage: ``python lexrank_baseline.py IN.json OUT.json`` where IN is
``{"count": 30, "pages": [["sentence", ...], ...]}`` and OUT becomes
``{"selected": [flat sentence index, ...]}`` (indices into the pages' sentences, concatenated).

sumy's default tokenizer needs NLTK's punkt data (a download): the document is built here from
the given sentences instead (``sumy.models.dom``), and words come from NLTK's punkt-free word
tokenizer, the one ``nltk.word_tokenize`` applies to each sentence. Sockets are disabled first, so
any attempt to download fails loudly instead of reaching the network.
"""

from __future__ import annotations

import json
import socket
import sys


def _no_network(*_args: object, **_kwargs: object) -> None:
    raise OSError("lexrank baseline: network access is disabled")


socket.socket.connect = _no_network  # type: ignore[method-assign,assignment]
socket.create_connection = _no_network  # type: ignore[assignment]


class _Words:
    """The tokenizer object sumy's ``Sentence`` asks for words (``to_words``)."""

    def __init__(self) -> None:
        from nltk.tokenize.destructive import NLTKWordTokenizer
        from sumy.nlp.tokenizers import Tokenizer

        self._split = NLTKWordTokenizer().tokenize
        self._is_word = Tokenizer._is_word  # sumy's own filter (letters, ' and -)

    def to_words(self, sentence: str) -> tuple[str, ...]:
        return tuple(w for w in self._split(sentence) if self._is_word(w))


def select(pages: list[list[str]], count: int) -> list[int]:
    """Indices (into the concatenated sentences) of the LexRank summary, in document order."""
    from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
    from sumy.nlp.stemmers import Stemmer
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.utils import get_stop_words

    words = _Words()
    made: list[Sentence] = []
    paragraphs = []
    for page in pages:
        sentences = [Sentence(text, words) for text in page]
        made.extend(sentences)
        paragraphs.append(Paragraph(sentences))
    document = ObjectDocumentModel(paragraphs)
    summarizer = LexRankSummarizer(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    chosen = summarizer(document, count)
    # sumy keys ratings by sentence text, so equal sentences share a rating; map back by object.
    index = {id(s): i for i, s in enumerate(made)}
    return [index[id(s)] for s in chosen]


def main() -> int:
    source, target = sys.argv[1], sys.argv[2]
    with open(source, encoding="utf-8") as handle:
        job = json.load(handle)
    selected = select(job["pages"], int(job["count"]))
    with open(target, "w", encoding="utf-8") as handle:
        json.dump({"selected": selected}, handle)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
