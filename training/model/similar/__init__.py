"""Similar cases: the nearest examples beside a score, from an index built at training time.

A score alone does not say "compared with what?". The index holds the guidance corpus
(contacts written by hand and graded by the published levels of need) and, where a
deployment allows it (``similar.past_contacts``), recent past contacts of the training
export as redacted text with their outcome and a date band. It is built by
``training.lifecycle.train`` and kept inside the ``ScreenerModel``, so it is part of the
verified artifact and a version always shows the examples it was built with.

Vectors are the model's own: its word n-gram TF-IDF block by default (``similar.method``),
or the sentence-embedding block of its feature rows (the static table of
``training.model.embedding``; TF-IDF for a model without one). Both are read from the
feature row the score is computed from, so a search costs one matrix product over a few
thousand unit vectors and the reasons an intersection of sparse rows. On the hand-written
sets the TF-IDF neighbours share the contact's level of need more often (decision 0028).

What is never indexed: texts of the behavioural suite and the hand-written evaluation sets
(the caller passes them; exact copies and near-duplicates are dropped, see
:class:`TextScreen`), ids listed in the removal file (``similar.removals``: guidance ids,
export contact ids, or the ``past-...`` ids of past contacts as shown), and past contacts
received more than ``similar.retention_months`` before the build.
"""

from training.model.similar.build import build_similar_index
from training.model.similar.index import Method, SimilarIndex, _Examples, _similarities
from training.model.similar.screen import TextScreen, text_screen
from training.model.similar.shown import (
    date_band,
    past_contacts_shown,
    past_id,
    read_removals,
    shown_text,
)

# ``SimilarIndex`` and ``_Examples`` are also named here: models pickled when this package
# was one module name them by this path.
__all__ = [
    "Method",
    "SimilarIndex",
    "TextScreen",
    "_Examples",
    "_similarities",
    "build_similar_index",
    "date_band",
    "past_contacts_shown",
    "past_id",
    "read_removals",
    "shown_text",
    "text_screen",
]
