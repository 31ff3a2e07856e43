"""The languages reports can be written in, and the words of each."""

from __future__ import annotations

from ..errors import UsageError
from ..model.edition import DEFAULT_LANGUAGE
from .french.maps import FrenchMapWords
from .french.words import FrenchWords
from .maps import MapWords
from .words import Words

LANGUAGES: dict[str, type[Words]] = {"en": Words, "fr": FrenchWords}
"""The languages with words, by code (docs/languages.md: how to add one)."""
MAP_WORDS: dict[str, type[MapWords]] = {"en": MapWords, "fr": FrenchMapWords}
"""The words of the incident map, by language."""


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


def map_words(language: str = DEFAULT_LANGUAGE) -> MapWords:
    """The words of the incident map in a language (English for one without its own)."""
    words = words_for(language)
    return MAP_WORDS.get(words.language, MapWords)(words)
