"""Benchmark: ``course.datasets.load_fashion_mnist()`` vs Keras' ``load_data()``.

Both loaders read the same four official files from one temporary Keras cache
(``$KERAS_HOME/datasets/fashion-mnist/``; HOME points to the same temporary
folder), so neither downloads anything. Each is timed best-of-N in one run, and
the time of ``import keras`` (which imports TensorFlow, and which our loader
does not need) is measured separately.

Usage::

    COURSE_DATA_DIR=/path/to/data python benchmarks/bench_fashion_mnist.py [--repeat 3]

The source files are taken from ``$COURSE_DATA_DIR`` (or its ``fashion-mnist/``
subfolder), or from ``--source``. Target: ours <= 1.2x Keras' time.
Exit status 1 when the target is missed or the two loaders disagree.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

FILES = (
    "train-images-idx3-ubyte.gz",
    "train-labels-idx1-ubyte.gz",
    "t10k-images-idx3-ubyte.gz",
    "t10k-labels-idx1-ubyte.gz",
)
TARGET_RATIO = 1.2


def find_source(explicit: str | None) -> Path:
    bases = [Path(explicit)] if explicit else []
    if os.environ.get("COURSE_DATA_DIR"):
        bases.append(Path(os.environ["COURSE_DATA_DIR"]))
    for base in bases:
        for folder in (base, base / "fashion-mnist"):
            if all((folder / name).is_file() for name in FILES):
                return folder
    sys.exit(
        "No se encontraron los cuatro archivos de Fashion-MNIST: usa --source CARPETA "
        "o define COURSE_DATA_DIR (véase datasets/README.md)."
    )


def timed(function) -> tuple[float, object]:
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", help="folder with the four .gz files")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per loader (best kept)")
    args = parser.parse_args()
    source = find_source(args.source)

    with tempfile.TemporaryDirectory(prefix="bench_fmnist_") as tmp:
        keras_home = Path(tmp) / ".keras"
        cache = keras_home / "datasets" / "fashion-mnist"
        cache.mkdir(parents=True)
        for name in FILES:
            shutil.copyfile(source / name, cache / name)
        # Both loaders must see only the temporary cache (set before importing keras).
        os.environ["HOME"] = tmp
        os.environ["KERAS_HOME"] = str(keras_home)
        os.environ.pop("COURSE_DATA_DIR", None)
        os.chdir(tmp)  # no ./datasets here

        start = time.perf_counter()
        from course import datasets

        import_ours = time.perf_counter() - start
        located = datasets.fashion_mnist.locate(None)[0]
        if located != cache:  # e.g. files placed in the project's datasets/ folder
            sys.exit(f"our loader would read {located}, not the temporary Keras cache {cache}")

        import course

        course.quiet_tensorflow()
        start = time.perf_counter()
        import keras

        import_keras = time.perf_counter() - start

        ours_times, keras_times = [], []
        ours = theirs = None
        for _ in range(args.repeat):  # interleaved, so both see the same machine load
            t, ours = timed(lambda: datasets.load_fashion_mnist(download=False))
            ours_times.append(t)
            t, theirs = timed(keras.datasets.fashion_mnist.load_data)
            keras_times.append(t)
        leftovers = sorted(p.name for p in cache.iterdir())

    import numpy as np

    same = all(
        np.array_equal(a, b) and a.dtype == b.dtype
        for pair_ours, pair_keras in zip(ours, theirs, strict=True)
        for a, b in zip(pair_ours, pair_keras, strict=True)
    )
    t_ours, t_keras = min(ours_times), min(keras_times)
    ratio = t_ours / t_keras
    print(f"source files:                       {source}")
    print(f"runs per loader:                    {args.repeat} (best kept), interleaved")
    print(
        f"course.datasets.load_fashion_mnist: {t_ours * 1000:8.1f} ms  (all runs: "
        + ", ".join(f"{t * 1000:.0f}" for t in ours_times)
        + " ms)"
    )
    print(
        f"keras fashion_mnist.load_data:      {t_keras * 1000:8.1f} ms  (all runs: "
        + ", ".join(f"{t * 1000:.0f}" for t in keras_times)
        + " ms)"
    )
    print(f"ratio ours / keras:                 {ratio:8.2f}x  (target <= {TARGET_RATIO}x)")
    print(f"import course.datasets:             {import_ours * 1000:8.1f} ms")
    print(f"import keras (TensorFlow), avoided: {import_keras * 1000:8.1f} ms")
    print(
        f"first use, import + load:           ours {(import_ours + t_ours):.2f} s, "
        f"keras {(import_keras + t_keras):.2f} s"
    )
    print(f"identical arrays and dtypes:        {same}")
    print(f"cache folder after the runs:        {', '.join(leftovers)}")
    return 0 if same and ratio <= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
