"""One-call set-up for the first cell of every lecture notebook and assignment."""

from __future__ import annotations


def notebook_setup(seed: int = 42, *, explain: bool = True) -> None:
    """Prepare a fresh kernel for a course notebook.

    Quiets TensorFlow's logs (they must never reach stderr in a graded cell),
    seeds Python, NumPy and TensorFlow through ``keras.utils.set_random_seed``,
    selects matplotlib's inline-friendly defaults and, in IPython, installs the
    :mod:`course.explain` handler so that Keras-2 idioms get a Spanish explanation.
    """
    from course._env import import_keras_quietly

    keras = import_keras_quietly()  # the notebook needs Keras anyway; no stderr noise
    keras.utils.set_random_seed(seed)
    try:
        import matplotlib

        matplotlib.rcParams.update({"figure.dpi": 90, "savefig.dpi": 90, "figure.figsize": (6, 4)})
    except ImportError:  # pragma: no cover - matplotlib is a dependency
        pass
    if explain:
        try:
            from course import explain as _explain

            _explain.enable()
        except ImportError:  # pragma: no cover
            pass
