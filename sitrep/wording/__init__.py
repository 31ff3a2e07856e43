"""Everything a reader reads: figures, totals, dates, labels, flags and sentences.

The report model (:mod:`sitrep.model.report`) holds numbers, codes and references;
:class:`Words` turns them into the words of one language, and :data:`WORDED` says which
worded fields the JSON output and the templates see on which part of the model.
"""

from __future__ import annotations

from ..model.edition import DEFAULT_LANGUAGE
from .fields import WORDED, WordedField, worded
from .languages import LANGUAGES, has_words, words_for
from .words import Words

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "WORDED",
    "WordedField",
    "Words",
    "has_words",
    "worded",
    "words_for",
]
