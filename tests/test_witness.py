"""Witness records and their replay (course.grading.witness, course.grading.recheck).

A graded check run with ``COURSE_WITNESS_DIR`` set records what it saw; the
re-check replays the instructor's test cell against those records with the
trusted checks. Here both ends run in this process: "the kernel" is a check call
with the variable set, "the clean process" a :class:`Replay`.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import numpy as np
import pytest

from course.checks import Exercise, FunctionExercise, Incorrect, NumberExercise
from course.grading import witness as _witness
from course.grading.witness import Opaque, Replay, decode, encode, fingerprint, replaying


def _square(x):
    return np.asarray(x) ** 2


def _exercise() -> FunctionExercise:
    return FunctionExercise(
        "ej1", _square, [np.array([1.0, -2.0])], graded=True, title="Ejercicio 1: cuadrado"
    )


def _record(monkeypatch, tmp_path: Path, exercise: Exercise, *answer, **hidden) -> list[Path]:
    """Run ``exercise.check`` as in a grading kernel; return the published records."""
    monkeypatch.setenv(_witness.ENV, str(tmp_path))
    try:
        exercise.check(*answer, **hidden)
    except Incorrect:
        pass
    finally:
        monkeypatch.delenv(_witness.ENV)
    return sorted(p for p in tmp_path.iterdir() if p.is_dir() and not p.name.startswith("."))


def _replay(exercise: Exercise, records: list[Path], **hidden) -> Replay:
    replay = Replay(records)
    with replaying(replay):
        exercise.check(None, **hidden)  # the arguments in trusted code are ignored
    return replay


# --------------------------------------------------------------------------- plain data
def test_fingerprints_are_type_strict():
    assert fingerprint(1) != fingerprint(1.0) != fingerprint(np.float64(1.0))
    assert fingerprint(True) != fingerprint(1)
    assert fingerprint((1, 2)) != fingerprint([1, 2])
    a = np.arange(6.0)
    assert fingerprint(a) == fingerprint(a.copy())
    assert fingerprint(a) != fingerprint(a.reshape(2, 3))
    assert fingerprint(a) != fingerprint(a.astype("float32"))
    assert fingerprint(np.tanh) == fingerprint(np.tanh) != fingerprint(np.exp)

    class Sneaky(float):
        def __eq__(self, other):
            return True

    assert fingerprint(Sneaky(0.0))[0] == "opaque"


def test_encode_decode_round_trip_keeps_exact_types(tmp_path):
    values = [
        None,
        True,
        3,
        -0.5,
        float("nan"),
        "relu",
        (1, [2.0, "a"]),
        {"k": np.int64(7)},
        np.float32(1.5),
        np.arange(12, dtype="int16").reshape(3, 4),
        np.array(["a", "bc"]),
    ]
    for value in values:
        back = decode(json.loads(json.dumps(encode(value, tmp_path))), tmp_path)
        assert json.dumps(fingerprint(back)) == json.dumps(fingerprint(value)), value


def test_unknown_objects_are_opaque_and_never_unpickled(tmp_path):
    class Mine:
        pass

    desc = encode(Mine(), tmp_path)
    assert desc["t"] == "opaque" and isinstance(decode(desc, tmp_path), Opaque)
    assert encode(np.array([object()]), tmp_path)["t"] == "opaque"
    # A record pointing at a pickled array or outside its folder is refused.
    np.save(tmp_path / "p.npy", np.array([{"a": 1}], dtype=object), allow_pickle=True)
    with pytest.raises(ValueError):
        decode({"t": "ndarray", "file": "p.npy"}, tmp_path)
    (tmp_path / "inner").mkdir()
    with pytest.raises(_witness.Unrecordable):
        decode({"t": "ndarray", "file": "../p.npy"}, tmp_path / "inner")


# --------------------------------------------------------------------------- record + replay
def test_no_record_outside_grading(tmp_path, monkeypatch):
    monkeypatch.delenv(_witness.ENV, raising=False)
    _exercise().check(_square)
    assert _witness.recorder("x") is None


def test_a_correct_function_is_confirmed(tmp_path, monkeypatch):
    records = _record(monkeypatch, tmp_path, _exercise(), _square, extra_inputs=[np.eye(2)])
    assert len(records) == 1
    record = json.loads((records[0] / "record.json").read_text())
    assert record["passed"] and record["answers"][0]["t"] == "function"
    replay = _replay(_exercise(), records, extra_inputs=[np.eye(2)])
    assert [o[1] for o in replay.outcomes] == [True] and not replay.records


def test_a_check_patched_in_the_kernel_is_refuted(tmp_path, monkeypatch):
    kernel_side = _exercise()
    vars(kernel_side.problem)["check"] = lambda *a, **k: None  # the student's run-time patch
    records = _record(monkeypatch, tmp_path, kernel_side, lambda x: np.zeros_like(x))
    assert json.loads((records[0] / "record.json").read_text())["passed"] is True
    replay = _replay(_exercise(), records)
    assert [o[1] for o in replay.outcomes] == [False]


def test_trusted_inputs_the_kernel_never_saw_are_a_mismatch(tmp_path, monkeypatch):
    records = _record(monkeypatch, tmp_path, _exercise(), _square)
    # The hidden test of the clean process asks for an input the kernel was not given.
    replay = _replay(_exercise(), records, extra_inputs=[np.array([5.0])])
    assert replay.outcomes[0][1] is False
    assert "no llegó a llamar a `_square`" in replay.outcomes[0][2]


def test_missing_forged_and_foreign_records_fail(tmp_path, monkeypatch):
    number = NumberExercise("ej2", graded=True, title="Ejercicio 2")
    assert _replay(number, [], key=4).outcomes[0][1] is False  # no record at all
    records = _record(monkeypatch, tmp_path / "a", number, 3)
    assert _replay(number, records, key=4).outcomes[0][1] is False  # the key says 4
    records = _record(monkeypatch, tmp_path / "b", number, 4)
    assert _replay(number, records, key=4).outcomes[0][1] is True
    other = NumberExercise("ej3", graded=True, title="Ejercicio 3")
    assert _replay(other, records, key=4).outcomes[0][1] is False  # another exercise's
    forged = records[0] / "record.json"
    forged.write_text(forged.read_text().replace('"t": "int"', '"t": "str"'))
    assert _replay(number, records, key=4).outcomes[0][1] is False


def test_exercises_that_cannot_be_replayed_are_kernel_only(tmp_path, monkeypatch):
    factory = Exercise("ej1", lambda f: None, graded=True, recheck=False, title="Fábrica")
    assert _record(monkeypatch, tmp_path, factory, lambda: 1) == []
    replay = _replay(factory, [])
    assert replay.kernel_only and not replay.outcomes


# --------------------------------------------------------------------------- recheck_notebook
def _toy_source(path: Path) -> Path:
    def code(source, **meta):
        return nbformat.v4.new_code_cell(source, metadata={"nbgrader": meta} if meta else {})

    setup = (
        "import numpy as np\n"
        "from course.checks import NumberExercise\n"
        "ej = NumberExercise('ej', graded=True, title='Ejercicio único')"
    )
    nb = nbformat.v4.new_notebook(
        cells=[
            code(setup, locked=True, grade=False, solution=False, grade_id="setup"),
            code("respuesta = 4", solution=True, grade=False, locked=False, grade_id="sol"),
            code(
                "ej.check(respuesta)\n### BEGIN HIDDEN TESTS\nej.check(respuesta, key=2 * 2)\n"
                "### END HIDDEN TESTS",
                grade=True,
                solution=False,
                locked=True,
                grade_id="test",
                points=1,
            ),
        ]
    )
    nbformat.write(nb, path)
    return path


def test_recheck_notebook_runs_the_trusted_cell(tmp_path, monkeypatch):
    from course.grading.recheck import recheck_notebook

    source = _toy_source(tmp_path / "toy.ipynb")
    exercise = NumberExercise("ej", graded=True, title="Ejercicio único")
    for answer, status in ((4, "confirmed"), (5, "refuted")):
        cells = tmp_path / f"cells{answer}"
        (cells / "test").mkdir(parents=True)
        witness = tmp_path / f"w{answer}"
        for hidden in ({}, {"key": 4}):
            for rec in _record(monkeypatch, witness, exercise, answer, **hidden):
                rec.rename(cells / "test" / rec.name)
        verdicts = recheck_notebook(source, cells, ["test"])
        assert verdicts["test"].status == status, verdicts
    # One record short (the hidden call left none): refuted.
    sorted((tmp_path / "cells4" / "test").iterdir())[-1].rename(tmp_path / "aside")
    assert recheck_notebook(source, tmp_path / "cells4", ["test"])["test"].status == "refuted"


def test_service_answers_over_its_pipe(tmp_path, monkeypatch):
    from course.grading.recheck import RecheckService

    source = _toy_source(tmp_path / "toy.ipynb")
    exercise = NumberExercise("ej", graded=True, title="Ejercicio único")
    (tmp_path / "cells" / "test").mkdir(parents=True)
    for hidden in ({}, {"key": 4}):
        for rec in _record(monkeypatch, tmp_path / "w", exercise, 4, **hidden):
            rec.rename(tmp_path / "cells" / "test" / rec.name)
    service = RecheckService(tmp_path / "log.txt", warm=[source])
    try:
        request = [
            {
                "name": "toy",
                "source": str(source),
                "cells": str(tmp_path / "cells"),
                "grade_ids": ["test"],
            }
        ]
        assert service.recheck(request)["toy"]["test"].status == "confirmed"
        service._process.kill()  # a crashed service is restarted for the next request
        service._process.wait()
        assert service.recheck(request)["toy"]["test"].status == "confirmed"
    finally:
        service.close()


def test_keras_models_travel_as_safe_keras_files(tmp_path):
    code = f"""
import json, numpy as np, keras
from pathlib import Path
from course.grading.witness import encode, decode
folder = Path({str(tmp_path)!r})
m = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(1, activation="sigmoid")])
m.compile(optimizer="adam", loss="binary_crossentropy")
m.fit(np.zeros((4, 2)), np.zeros(4), epochs=1, verbose=0)
back = decode(encode(m, folder), folder)
print(json.dumps([back.loss, int(back.optimizer.iterations.numpy()), back.count_params()]))
stop = keras.callbacks.EarlyStopping(monitor="val_loss", patience=3, restore_best_weights=True)
point = keras.callbacks.ModelCheckpoint("m.weights.h5", save_best_only=True, save_weights_only=True)
b_stop, b_point = decode(json.loads(json.dumps(encode([stop, point], folder))), folder)
print(json.dumps([type(b_stop).__name__, b_stop.patience, b_stop.restore_best_weights,
                  type(b_point).__name__, b_point.filepath, b_point.save_weights_only]))
lam = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Lambda(lambda z: z * 2)])
try:
    decode(encode(lam, folder), folder)
    print("lambda-loaded")
except Exception as exc:
    print("lambda-refused", type(exc).__name__)
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    lines = done.stdout.strip().splitlines()
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(lines[0]) == ["binary_crossentropy", 1, 3]
    assert json.loads(lines[1]) == [
        "EarlyStopping",
        3,
        True,
        "ModelCheckpoint",
        "m.weights.h5",
        True,
    ]
    assert lines[2].startswith("lambda-refused")


def test_tables_and_fitted_scalers_travel_as_plain_data(tmp_path):
    import pandas as pd
    from sklearn.preprocessing import StandardScaler

    frame = pd.DataFrame({"a": [1.0, 2.0, 4.0], "b": ["x", "y", "z"], "c": [True, False, True]})
    back = decode(json.loads(json.dumps(encode(frame, tmp_path))), tmp_path)
    pd.testing.assert_frame_equal(back, frame, check_index_type=False)
    assert fingerprint(back) == fingerprint(frame) != fingerprint(frame.iloc[::-1])
    series = frame["a"]
    pd.testing.assert_series_equal(
        decode(encode(series, tmp_path), tmp_path), series, check_index_type=False
    )
    # Mixed objects in a column cannot be recorded faithfully: opaque.
    assert encode(pd.DataFrame({"m": [1, "a"]}), tmp_path)["t"] == "opaque"

    scaler = StandardScaler().fit(np.array([[1.0, 10.0], [3.0, 30.0]]))
    rebuilt = decode(json.loads(json.dumps(encode(scaler, tmp_path))), tmp_path)
    assert type(rebuilt) is StandardScaler
    x = np.array([[2.0, 20.0], [0.0, 0.0]])
    np.testing.assert_array_equal(rebuilt.transform(x), scaler.transform(x))
    assert rebuilt.n_samples_seen_ == scaler.n_samples_seen_
