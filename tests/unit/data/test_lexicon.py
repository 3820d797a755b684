from __future__ import annotations

import subprocess
import sys
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest

from training.data.generate import INDICATORS
from training.data.generate import lexicon as lexicon_module
from training.data.generate.lexicon import Lexicon, load_lexicon


def test_indicator_catalogue_covers_four_levels_with_many_paraphrases() -> None:
    assert len(INDICATORS) >= 40
    assert {i.level for i in INDICATORS} == {1, 2, 3, 4}
    assert len({i.label for i in INDICATORS}) == len(INDICATORS)
    assert all(len(i.asserted) >= 16 and i.factor for i in INDICATORS)


def _known_slots() -> set[str]:
    import random
    from datetime import date

    from training.data.generate.people import make_family
    from training.data.generate.writer import Writer

    r = random.Random(0)
    received = date(2025, 1, 6)
    family = make_family(r, ethnicity="white", sex="female", age=8, received=received)
    writer = Writer(r, family, sex="female", age=8, received=received, lex=load_lexicon())
    return set(writer.slots)


def test_lexicon_phrasing_is_varied_and_well_formed() -> None:
    import re

    lex = load_lexicon()
    slot = re.compile(r"\{(\w+)\}")
    known = _known_slots()
    owner: dict[str, str] = {}
    for spec in INDICATORS:
        assert len(set(spec.asserted)) == len(spec.asserted) >= 16, spec.label
        assert len(set(spec.topics)) == len(spec.topics) >= 5, spec.label
        for template in spec.asserted:
            assert set(slot.findall(template)) <= known, (spec.label, template)
            if spec.ages[0] == 0:
                assert "{age}" not in template, (spec.label, template)
            # One wording belongs to one indicator, or the text could not tell them apart.
            assert owner.setdefault(template, spec.label) == spec.label, template
        assert not any("{" in t for t in spec.topics), spec.label
    minimum = {
        "negated_frames": ("topic", 32),
        "historical_frames": ("topic", 18),
        "hedged_frames": ("topic", 16),
        "negated_clause_frames": ("clause", 10),
        "historical_clause_frames": ("clause", 10),
        "hedged_clause_frames": ("clause", 10),
        "third_hand_frames": ("clause", 16),
    }
    for name, (inner, least) in minimum.items():
        frames = getattr(lex, name)
        assert len(set(frames)) == len(frames) >= least, name
        for frame in frames:
            assert frame.count("{" + inner + "}") == 1, (name, frame)
            assert set(slot.findall(frame)) <= known | {inner}, (name, frame)
    for name, least in {
        "hedges": 20,
        "protective": 25,
        "context": 45,
        "process": 35,
    }.items():
        templates = getattr(lex, name)
        assert len(set(templates)) == len(templates) >= least, name
        assert all(set(slot.findall(t)) <= known for t in templates), name
    # Boilerplate carries no label: each pool is varied enough that no one line marks a kind
    # of contact, and every slot it uses is known.
    for layout, pools in lex.boilerplate.items():
        for pool, templates in pools.items():
            assert len(set(templates)) == len(templates) >= 3, (layout, pool)
            assert all(set(slot.findall(str(t))) <= known for t in templates), (layout, pool)
    for voice in lex.voices:
        assert len(voice.openings) >= 3 or voice.weight < 0.35, voice.name
        assert all(set(slot.findall(t)) <= known for t in voice.openings), voice.name


def test_nothing_is_read_at_import_and_the_lexicon_is_read_once() -> None:
    code = (
        "import training.data.generate as g\n"
        "import training.data.generate.generator, training.data.generate.text\n"
        "from training.data.generate.lexicon import load_lexicon\n"
        "assert load_lexicon.cache_info().currsize == 0, 'read at import'\n"
        "assert g.INDICATORS is load_lexicon().indicators is load_lexicon().indicators\n"
    )
    root = Path(__file__).resolve().parents[3]
    subprocess.run([sys.executable, "-c", code], cwd=root, check=True)


def test_the_catalogue_names_are_the_lexicon_fields() -> None:
    lex = load_lexicon()
    assert lexicon_module.INDICATORS is lex.indicators
    assert lexicon_module.INDICATOR_BY_LABEL is lex.indicator_by_label
    assert lexicon_module.THIRD_HAND_FRAMES is lex.third_hand_frames
    assert lexicon_module.VOICES is lex.voices
    assert {i.label for i in lex.indicators} == set(lex.indicator_by_label)
    with pytest.raises(AttributeError):
        _ = lexicon_module.NO_SUCH_LIST


def test_a_misspelt_key_in_a_data_file_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    read = lexicon_module._read

    def misspelt(name: str) -> dict[str, Any]:
        data = read(name)
        if name == "indicators.toml":
            data["indicator"][3]["extra_wieght"] = 0.5
        return data

    monkeypatch.setattr(lexicon_module, "_read", misspelt)
    with pytest.raises(ValueError, match="extra_wieght"):
        load_lexicon.__wrapped__()


def test_the_lexicon_fields_are_all_filled() -> None:
    lex = load_lexicon()
    for field in fields(Lexicon):
        assert len(getattr(lex, field.name)) > 0, field.name
