"""Neural-network playground: train small networks on 2-D data, in Spanish.

Two ways in, both driving the same :class:`~course.playground.session.Session`:

* :func:`playground` shows the interactive app (ipywidgets, JupyterLab 4);
  without a browser (``COURSE_PLAYGROUND_STATIC=1``, which the tests and the
  notebook build set, or ``estatico=True``) it shows a static PNG of the same
  state instead, so committed notebooks hold no widget state.
* :func:`entrenar_en_playground` trains without widgets and returns the
  history as a Keras-like dict (``loss``, ``val_loss``, ``accuracy``,
  ``val_accuracy``; the loss is the cross-entropy without the regularisation
  term, measured on the whole train / test set after each epoch).

The engine is NumPy only (:mod:`course.playground.engine`); nothing here imports
TensorFlow or Keras. The keyword arguments are Spanish on purpose: students type
them in the notebooks (``datos=``, ``capas_ocultas=``, ``epocas=``...), as they
read them in the app.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from course.playground.data import DATASETS, EXTENT, FEATURES, Split, make_dataset, make_features
from course.playground.engine import Network, PlaygroundError
from course.playground.session import Session, Settings, settings_from

__all__ = [
    "DATASETS",
    "EXTENT",
    "FEATURES",
    "STATIC_ENV",
    "Network",
    "PlaygroundError",
    "Session",
    "Settings",
    "Split",
    "entrenar_en_playground",
    "make_dataset",
    "make_features",
    "playground",
    "sesion_playground",
]

#: Environment variable that asks for static pictures instead of widgets.
STATIC_ENV = "COURSE_PLAYGROUND_STATIC"


def sesion_playground(
    datos: str = "nube_xor",
    *,
    capas_ocultas: Sequence[int] | int = (4,),
    caracteristicas: Sequence[str] = ("x1", "x2"),
    epocas: int = 0,
    **ajustes: Any,
) -> Session:
    """A :class:`Session` with the given settings, trained for ``epocas`` epochs."""
    epochs = _epochs(epocas)
    session = Session(
        settings_from(
            datos, capas_ocultas=capas_ocultas, caracteristicas=caracteristicas, **ajustes
        )
    )
    session.train(epochs)
    return session


def entrenar_en_playground(
    datos: str = "nube_xor",
    *,
    capas_ocultas: Sequence[int] | int = (4,),
    caracteristicas: Sequence[str] = ("x1", "x2"),
    epocas: int = 100,
    **ajustes: Any,
) -> dict[str, list[float]]:
    """Train a playground network without widgets and return its history.

    Args:
        datos: ``"xor"``, ``"nube_xor"``, ``"circulos"``, ``"espirales"`` or ``"manchas"``.
        capas_ocultas: neurons per hidden layer, e.g. ``[4, 2]``; ``[]`` for none.
        caracteristicas: input features among ``x1, x2, x1^2, x2^2, x1*x2, sin(x1), sin(x2)``.
        epocas: epochs to train.
        **ajustes: ``ruido``, ``proporcion_test``, ``n_puntos``, ``semilla``, ``activacion``
            (``relu``, ``tanh``, ``sigmoide``, ``lineal``), ``tasa_aprendizaje``,
            ``regularizacion`` (``ninguna``, ``L1``, ``L2``), ``tasa_regularizacion``,
            ``tamano_lote``.

    Returns:
        ``{"loss": [...], "val_loss": [...], "accuracy": [...], "val_accuracy": [...]}`` with
        ``epocas + 1`` values each (index 0 is before training), plain Python floats.
        It can be drawn with :func:`course.plots.plot_history`.
    """
    session = sesion_playground(
        datos,
        capas_ocultas=capas_ocultas,
        caracteristicas=caracteristicas,
        epocas=epocas,
        **ajustes,
    )
    return {key: [float(v) for v in values] for key, values in session.history.items()}


def _epochs(value: Any) -> int:
    """The student's ``epocas`` argument as an int, else a Spanish :class:`PlaygroundError`."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100_000:
        raise PlaygroundError(f"epocas debe ser un entero entre 0 y 100000; se recibió {value!r}.")
    return int(value)


def _static_requested(static: bool | None) -> bool:
    """Whether to draw a static figure: the ``estatico`` argument, else the environment."""
    if static is not None:
        return bool(static)
    return os.environ.get(STATIC_ENV, "").strip().lower() in ("1", "true", "si", "sí", "yes")


def playground(
    datos: str = "nube_xor",
    *,
    capas_ocultas: Sequence[int] | int = (4,),
    caracteristicas: Sequence[str] = ("x1", "x2"),
    epocas: int = 0,
    estatico: bool | None = None,
    **ajustes: Any,
) -> Any:
    """The interactive playground, starting from these settings (see
    :func:`entrenar_en_playground`) after ``epocas`` epochs of training.

    Returns the app (show it as the last value of a cell), or, with ``estatico=True``,
    with ``COURSE_PLAYGROUND_STATIC=1`` in the environment or without ipywidgets, a
    matplotlib Figure of the same state.
    """
    session = sesion_playground(
        datos,
        capas_ocultas=capas_ocultas,
        caracteristicas=caracteristicas,
        epocas=epocas,
        **ajustes,
    )
    if not _static_requested(estatico):
        try:
            from course.playground.app import PlaygroundApp
        except ImportError:  # ipywidgets missing: fall back to the picture
            pass
        else:
            return PlaygroundApp(session)
    from course.playground.render import static_figure

    return static_figure(session)
