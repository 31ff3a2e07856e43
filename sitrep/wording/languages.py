"""The languages reports can be written in, and the words of each."""

from __future__ import annotations

from ..errors import UsageError
from ..model.edition import DEFAULT_LANGUAGE
from .french.words import FrenchWords
from .words import Words

LANGUAGES: dict[str, type[Words]] = {"en": Words, "fr": FrenchWords}
"""The languages with words, by code (docs/languages.md: how to add one)."""


def words_for(language: str = DEFAULT_LANGUAGE) -> Words:
    """The words of a language ('en', 'fr-CA' -> 'fr' if only 'fr' exists)."""
    for code in (language, language.split("-")[0]):
        if code in LANGUAGES:
            return LANGUAGES[code]()
    known = ", ".join(sorted(LANGUAGES))
    raise UsageError(f"no words for the language {language!r} (available: {known})")


def has_words(language: str) -> bool:
    """Whether reports can be written in ``language``."""
    return language in LANGUAGES or language.split("-")[0] in LANGUAGES
