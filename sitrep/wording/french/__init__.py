"""French: the words of a report in French (grammar, labels, sentences), as
:class:`FrenchWords`, registered as 'fr' in :data:`sitrep.wording.words.LANGUAGES`."""
