"""The referrer self-check: what the MASH will ask about a concern that a draft does not
say yet, found by the text pipeline.

Public API::

    check_draft(text) -> SelfCheck             # each question answered or missing, evidence
                                               # spans, and always the safety line
    check_analysis(text, analysis) -> SelfCheck  # when the draft is already analysed
    load_checklist(path=None) -> Checklist     # the council-editable file, checked whole
    ChecklistDetector(checklist)               # a checklist compiled for detection
    SAFETY_LINE                                # shown with every self-check

The checklist is ``training/configs/checklist.toml`` (versioned; its header describes the
phrase language). Measured on hand-marked drafts by ``bench/bench_checklist.py``
(``training.text.checklist.measure``). Nothing here stores or logs a draft.
"""

from training.text.checklist.detect import (
    SAFETY_LINE,
    ChecklistDetector,
    QuestionResult,
    SelfCheck,
    check_analysis,
    check_draft,
    get_detector,
)
from training.text.checklist.questions import (
    Checklist,
    ChecklistError,
    Question,
    default_checklist,
    load_checklist,
)

__all__ = [
    "SAFETY_LINE",
    "Checklist",
    "ChecklistDetector",
    "ChecklistError",
    "Question",
    "QuestionResult",
    "SelfCheck",
    "check_analysis",
    "check_draft",
    "default_checklist",
    "get_detector",
    "load_checklist",
]
