"""concern-screener's training side, in layers that import only those below them:
``lifecycle`` (train, registry, CLI) > ``audit`` (evaluation, fairness, gate, model card) >
``model`` (features, candidates, the served model) > ``text`` (the spaCy pipeline) >
``data`` (contract, validation, generator) > ``config`` and ``settings``."""

from training.model.legacy import install as _install_legacy_names

# Models pickled before the layered packages name old module paths; the finder maps them
# to today's (no I/O: it only answers imports of those exact names).
_install_legacy_names()
