"""The gettext catalogs of the template strings: ``sitrep/locale/<lang>/LC_MESSAGES/
sitrep.mo`` (built by ``make i18n``), or a user's ``locale/`` folder beside their templates."""

from __future__ import annotations

import gettext
import logging
from importlib import resources
from pathlib import Path

from babel.support import NullTranslations, Translations

logger = logging.getLogger(__name__)

DOMAIN = "sitrep"


def locale_dir() -> Path:
    """The folder of the shipped catalogs."""
    return Path(str(resources.files("sitrep").joinpath("locale")))


def catalog_language(language: str, templates: Path | None = None) -> str | None:
    """The language whose catalog translates ``language`` ('fr-CA' -> 'fr' when only 'fr'
    has one), shipped or in ``<templates>/locale``; 'en' for English (the strings as
    written); None when there is none."""
    if language.split("-")[0] == "en":
        return "en"
    for code in (language, language.split("-")[0]):
        for folder in (templates / "locale" if templates else None, locale_dir()):
            mo = Path(code.replace("-", "_"), "LC_MESSAGES", f"{DOMAIN}.mo")
            if folder is not None and (folder / mo).is_file():
                return code
    return None


def translations(language: str, templates: Path | None = None) -> gettext.NullTranslations:
    """The template strings' translations into ``language`` ('fr-CA' falls back to 'fr');
    a catalog in ``<templates>/locale`` comes before the shipped one. English, and a
    language with no catalog, give the strings as written."""
    if language.split("-")[0] == "en":
        return NullTranslations()
    locales = [language.replace("-", "_"), language.split("-")[0]]
    found: gettext.NullTranslations = NullTranslations()
    for folder in (locale_dir(), templates / "locale" if templates else None):
        if folder is None or not folder.is_dir():
            continue
        catalog = Translations.load(str(folder), locales, DOMAIN)
        if isinstance(catalog, Translations):
            catalog.add_fallback(found)
            found = catalog
    if type(found) is NullTranslations:
        logger.warning("no %s catalog of template strings: they stay in English", language)
    return found
