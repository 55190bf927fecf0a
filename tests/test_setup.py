"""``notebook_setup``: TensorFlow only when the notebook uses it, the same numbers either way."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def _run(code: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_numpy_only_notebook_never_imports_tensorflow():
    """a01's first cell (set-up, NumPy, the assignment's checks, the XOR data) and a check."""
    report = _run(
        "import json, sys\n"
        "from course.notebook_setup import notebook_setup\n"
        "notebook_setup(seed=42)\n"
        "import numpy as np\n"
        "from course.assignments import a01\n"
        "from course.datasets import load_xor\n"
        "X, y = load_xor()\n"
        "print(json.dumps({'tf': 'tensorflow' in sys.modules, 'keras': 'keras' in sys.modules,\n"
        "                  'x': float(np.random.rand())}))\n"
    )
    assert report == {"tf": False, "keras": False, "x": pytest.approx(0.3745401188473625)}


# What a notebook draws after set-up: Python, NumPy, Keras' own random, TF, and the
# initial weights of a layer (Keras' default seeds come from Python's random).
DRAWS = (
    "import json, random\n"
    "import numpy as np\n"
    "import tensorflow as tf\n"
    "layer = keras.layers.Dense(3)\n"
    "layer.build((None, 2))\n"
    "print(json.dumps({\n"
    "    'py': random.random(), 'np': float(np.random.rand()),\n"
    "    'keras': keras.random.uniform((2,)).numpy().tolist(),\n"
    "    'tf': tf.random.uniform((2,)).numpy().tolist(),\n"
    "    'dense': layer.kernel.numpy().ravel().tolist(),\n"
    "}))\n"
)


@pytest.mark.slow
def test_seeding_keras_on_its_import_gives_the_numbers_of_an_eager_seed():
    eager = _run(
        "from course._env import import_keras_quietly\n"
        "keras = import_keras_quietly()\n"
        "keras.utils.set_random_seed(42)\n" + DRAWS
    )
    lazy = _run(
        "from course.notebook_setup import notebook_setup\n"
        "notebook_setup(seed=42)\n"
        "import sys\n"
        "assert 'tensorflow' not in sys.modules\n"
        "import keras\n" + DRAWS
    )
    assert lazy == eager


@pytest.mark.slow
def test_keras_already_loaded_is_seeded_at_once():
    again = _run(
        "import keras\nfrom course.notebook_setup import notebook_setup\nnotebook_setup(seed=42)\n"
        + DRAWS
    )
    eager = _run("import keras\nkeras.utils.set_random_seed(42)\n" + DRAWS)
    assert again == eager
