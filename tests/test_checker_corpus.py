"""The checker corpus (tests/corpus): verdicts, causes and messages over every exercise.

Targets of issue 14: no false rejection, no false acceptance, generic
"compara tu fórmula" messages on at most 5 % of the wrong answers, no message
naming a cause the answer does not have, no raw English exception text as the
explanation, and the checker itself never crashes.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import cases as corpus  # noqa: E402


@pytest.fixture(
    scope="module",
    params=[
        pytest.param(False, id="fast"),
        # answers that train Keras models (a03 ej3-ej4, a04 ej2-ej5, a05 ej4-ej5)
        pytest.param(True, id="training", marks=pytest.mark.slow),
    ],
)
def outcomes(request):
    return corpus.run_all(slow=request.param)


def _ids(outcomes, flag):
    return [f"{o.case.id}: {(o.crash or o.message)[:300]}" for o in outcomes if getattr(o, flag)]


def test_corpus_is_large_and_covers_the_three_groups(outcomes):
    numbers = corpus.table(outcomes)
    if outcomes[0].case.slow:
        assert numbers["answers"] >= 130
        assert numbers["must_pass"] >= 40 and numbers["must_fail"] >= 60
        assert numbers["hostile"] >= 25
        covered = {o.case.exercise for o in outcomes}
        assert covered >= {"a03.ej3", "a03.ej4", "a04.ej2", "a04.ej3", "a04.ej4", "a04.ej5"}
        assert covered >= {"a05.ej4", "a05.ej5"}
        return
    assert numbers["answers"] >= 300
    assert numbers["must_pass"] >= 80 and numbers["must_fail"] >= 100 and numbers["hostile"] >= 100


def test_no_false_rejection(outcomes):
    assert _ids(outcomes, "false_rejection") == []


def test_no_false_acceptance(outcomes):
    assert _ids(outcomes, "false_acceptance") == []


def test_checker_never_crashes(outcomes):
    assert [f"{o.case.id}: {o.crash}" for o in outcomes if o.kind == "crash"] == []


def test_generic_messages_at_most_five_percent(outcomes):
    numbers = corpus.table(outcomes)
    assert numbers["generic"] <= 0.05 * numbers["must_fail"], _ids(outcomes, "generic")


def test_every_message_names_the_real_cause(outcomes):
    assert _ids(outcomes, "wrong_cause") == []


def test_no_raw_english_exception_as_explanation(outcomes):
    assert _ids(outcomes, "raw_english") == []


def test_result_kind(outcomes):
    """Only the untouched placeholder is "Sin responder"; real code that fails is Incorrecto."""
    assert _ids(outcomes, "wrong_kind") == []
