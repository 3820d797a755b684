"""Module paths of models pickled before the layered packages, mapped to where they live now.

A registered model is a joblib pickle (and MLflow's pickled pyfunc wrapper) that names
classes by module path: ``training.pipeline.ScreenerModel``, ``training.features.
ContactFeatures``... Those modules moved into ``training.model``; :class:`LegacyFinder`
(installed by ``training/__init__.py``) answers an import of an old path with a module
whose attributes are the same objects at their new homes, so an old artifact unpickles to
today's classes and scores as it did (``tests/unit/model/test_legacy_artifacts.py``).
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import sys
import types
from typing import Any

__all__ = ["LEGACY_NAMES", "LegacyFinder", "install"]

#: old module -> {name -> module that holds it now}
LEGACY_NAMES: dict[str, dict[str, str]] = {
    "training.pipeline": {
        "ScreenerModel": "training.model.screener",
        "LinearExplainer": "training.model.explain",
        "OrdinalLogisticRegression": "training.model.ordinal",
        "TextReducer": "training.model.candidates",
        "SparseRow": "training.model.features",
    },
    "training.features": {
        "ContactAnalyser": "training.model.analyser",
        "AnalysedContacts": "training.model.analyser",
        "ContactFeatures": "training.model.features",
        "SparseRow": "training.model.features",
        "_split": "training.model.features",
    },
    "training.pyfunc": {"ConcernScreenerPyfunc": "training.model.pyfunc"},
    "training.outputs": {
        "ScoreRecord": "training.model.outputs",
        "ExplanationPhrase": "training.model.outputs",
        "IndicatorOut": "training.model.outputs",
    },
}


class _LegacyModule(types.ModuleType):
    """An old module path: each known name is looked up at its new home on first use."""

    def __getattr__(self, name: str) -> Any:
        home = LEGACY_NAMES[self.__name__].get(name)
        if home is None:
            raise AttributeError(f"{self.__name__} has no legacy name {name!r}")
        return getattr(importlib.import_module(home), name)


class _LegacyLoader(importlib.abc.Loader):
    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        return _LegacyModule(spec.name)

    def exec_module(self, module: types.ModuleType) -> None:
        return None


class LegacyFinder(importlib.abc.MetaPathFinder):
    """Finds the old module paths of :data:`LEGACY_NAMES`, and nothing else."""

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Any:
        if fullname not in LEGACY_NAMES:
            return None
        return importlib.machinery.ModuleSpec(fullname, _LegacyLoader())


def install() -> None:
    """Put the finder on ``sys.meta_path`` once; old paths resolve only when imported."""
    if not any(isinstance(f, LegacyFinder) for f in sys.meta_path):
        sys.meta_path.append(LegacyFinder())
