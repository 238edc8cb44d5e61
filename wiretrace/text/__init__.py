"""Text, before any model: bytes → :class:`~.documents.Document` (:mod:`.documents`; corpora of
them in :mod:`.corpus`) → units with offsets (:mod:`.segment`) → word tokens (:mod:`.tokens`)."""
