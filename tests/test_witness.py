"""The plain-data codec of the answers that leave the kernel (course.grading.witness).

What the student's kernel hands to the trusted process is described by
:func:`encode` and rebuilt by :func:`decode`, which never unpickles and never
runs the student's code.
"""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from course.grading import witness as _witness
from course.grading.witness import Opaque, decode, encode, fingerprint


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
