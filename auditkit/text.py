"""Chinese word segmentation shared by the core and the plugins (jieba).

jieba's dictionary costs about a second to load, so it is loaded once per process
and every :class:`Segmenter` starts from a copy of it. Each segmenter keeps the
words its owner adds to itself: the wrong forms ``ops.serious_errors`` adds never
change how column names are cut, and the other way round.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable

import jieba

# Far above any dictionary word, so an added word is always kept as one token.
USER_WORD_FREQ = 10**7

_base_lock = threading.Lock()
_base: jieba.Tokenizer | None = None


def _base_tokenizer() -> jieba.Tokenizer:
    global _base
    with _base_lock:
        if _base is None:
            jieba.setLogLevel(logging.WARNING)
            tokenizer = jieba.Tokenizer()
            tokenizer.initialize()
            _base = tokenizer
        return _base


class Segmenter:
    """A private jieba tokenizer: the shared dictionary plus this owner's own words."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._tokenizer: jieba.Tokenizer | None = None
        self._added: set[str] = set()

    def _ready(self) -> jieba.Tokenizer:
        if self._tokenizer is None:
            base = _base_tokenizer()
            tokenizer = jieba.Tokenizer()
            # A copy of the loaded frequency table instead of a second load from disk.
            tokenizer.FREQ, tokenizer.total, tokenizer.initialized = dict(base.FREQ), base.total, True
            self._tokenizer = tokenizer
        return self._tokenizer

    def add_words(self, words: Iterable[str], freq: int = USER_WORD_FREQ) -> None:
        """Keep each of ``words`` as one token from now on (cheap for words already added)."""
        with self._lock:
            tokenizer = self._ready()
            for word in words:
                if word and word not in self._added:
                    tokenizer.add_word(word, freq=freq)
                    self._added.add(word)

    def is_word(self, word: str) -> bool:
        """Whether ``word`` is in the dictionary (or was added)."""
        with self._lock:
            return bool(self._ready().FREQ.get(word))

    def cut(self, text: str) -> list[str]:
        """The tokens of ``text``, dictionary words only (no HMM guessing of unknown words)."""
        with self._lock:
            tokenizer = self._ready()
        return list(tokenizer.cut(text, HMM=False))
