"""Standard figures of the course, with Spanish titles and labels.

Every function draws one picture and returns its :class:`matplotlib.figure.Figure`.
In Jupyter the figure appears when the call is the last line of the cell (or with
``display(fig)``); save it with ``fig.savefig("figura.png")``.

The figures are plain ``matplotlib.figure.Figure`` objects, not pyplot figures:
nothing here calls ``pyplot.show()``, switches the backend or keeps figures alive
in pyplot's global state, so the functions work the same in a notebook, in a
headless grader and in a test (Agg).

Functions that draw a single panel accept ``ax=`` to draw into an existing
matplotlib ``Axes`` (for side-by-side comparisons); they then return that
Axes' figure.

Available figures:

- :func:`plot_xor`: the XOR points (truth table or a noisy cloud).
- :func:`plot_decision_boundary`: regions a model or function assigns to each class.
- :func:`plot_activation`: an activation function and its derivative.
- :func:`plot_loss_surface`: contour of a two-parameter loss with optimiser paths.
- :func:`plot_history`: training curves (loss and metrics, training vs validation).
- :func:`plot_image_grid`: images with predicted (true) labels in green/red.
- :func:`plot_confusion_matrix`: scikit-learn's confusion-matrix display.
- :func:`most_confused_pairs`: the most frequent mistakes, as a pandas DataFrame.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from course.datasets import FASHION_CLASSES_ES

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "ACTIVATIONS",
    "most_confused_pairs",
    "plot_activation",
    "plot_confusion_matrix",
    "plot_decision_boundary",
    "plot_history",
    "plot_image_grid",
    "plot_loss_surface",
    "plot_xor",
]

#: Readable defaults shared by every figure of the course.
_STYLE: dict[str, Any] = {
    "font.size": 11,
    "axes.titlesize": 13,
    "axes.titleweight": "bold",
    "axes.labelsize": 12,
    "xtick.labelsize": 10,
    "ytick.labelsize": 10,
    "legend.fontsize": 10,
    "figure.titlesize": 14,
    "figure.titleweight": "bold",
    "axes.grid": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "figure.facecolor": "white",
    "savefig.facecolor": "white",
}

#: Two colours for binary problems (class 0, class 1) and a qualitative cycle.
_CLASS_COLORS = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b")
_OK_COLOR = "#1a7f37"
_BAD_COLOR = "#cf222e"


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------


@contextlib.contextmanager
def _style() -> Iterator[None]:
    import matplotlib

    with matplotlib.rc_context(_STYLE):
        yield


def _new_figure(figsize: tuple[float, float]) -> Figure:
    from matplotlib.figure import Figure

    _enable_notebook_display()
    return Figure(figsize=figsize, layout="constrained")


def _figure_and_axes(ax: Axes | None, figsize: tuple[float, float]) -> tuple[Figure, Axes]:
    if ax is None:
        fig = _new_figure(figsize)
        return fig, fig.add_subplot()
    if not hasattr(ax, "figure") or not hasattr(ax, "plot"):
        raise TypeError(
            f"ax debe ser un Axes de matplotlib (por ejemplo, fig.add_subplot()); se recibió "
            f"{type(ax).__name__}."
        )
    return ax.figure, ax


def _enable_notebook_display() -> None:
    """Make IPython render returned Figures as PNG (as pyplot's inline backend does).

    Only needed when the notebook never imported pyplot; harmless otherwise.
    """
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython ships with Jupyter
        return
    shell = get_ipython()
    if shell is None or not hasattr(shell, "display_formatter"):
        return
    from matplotlib.figure import Figure

    formatter = shell.display_formatter.formatters.get("image/png")
    if formatter is None:
        return
    try:
        formatter.lookup_by_type(Figure)
    except KeyError:
        from IPython.core.pylabtools import select_figure_formats

        select_figure_formats(shell, {"png"})


def _as_array(values: Any, name: str, function: str) -> np.ndarray:
    if values is None:
        raise ValueError(f"{function}: falta {name}.")
    try:
        array = np.asarray(values)
    except Exception as exc:
        raise TypeError(
            f"{function}: {name} debe poder convertirse en un array de NumPy; se recibió "
            f"{type(values).__name__}."
        ) from exc
    if array.dtype == object:
        raise TypeError(
            f"{function}: {name} debe ser numérico (un array de NumPy o una lista de números)."
        )
    return array


def _as_labels(values: Any, name: str, function: str) -> np.ndarray:
    """Class labels as a 1-D int array; probability or one-hot rows become their argmax."""
    array = _as_array(values, name, function)
    if array.ndim == 2 and array.shape[1] > 1:
        array = array.argmax(axis=1)
    elif array.ndim == 2 and array.shape[1] == 1:
        array = array[:, 0]
        if np.issubdtype(array.dtype, np.floating) and not np.all(array == np.round(array)):
            array = (array > 0.5).astype(int)
    if array.ndim != 1:
        raise ValueError(
            f"{function}: {name} debe ser un vector de clases (forma (n,)) o una matriz de "
            f"probabilidades (forma (n, clases)); tiene forma {array.shape}."
        )
    if np.issubdtype(array.dtype, np.floating):
        if not np.all(np.isfinite(array)) or not np.all(array == np.round(array)):
            raise ValueError(
                f"{function}: {name} debe contener números de clase enteros (0, 1, 2, ...). "
                "Si son probabilidades, pasa la matriz completa (n, clases) o aplica argmax."
            )
    return array.astype(np.int64)


def _class_name(names: Sequence[str] | None, label: int) -> str:
    if names is not None and 0 <= label < len(names):
        return str(names[label])
    return f"Clase {label}"


def _check_class_names(
    names: Sequence[str] | None, labels: np.ndarray, function: str
) -> Sequence[str] | None:
    if names is None:
        return None
    if isinstance(names, str):
        raise TypeError(
            f"{function}: class_names debe ser una lista de nombres, uno por clase; se recibió "
            "un único texto."
        )
    names = [str(n) for n in names]
    if labels.size and (labels.min() < 0 or labels.max() >= len(names)):
        raise ValueError(
            f"{function}: hay etiquetas entre {int(labels.min())} y {int(labels.max())}, pero "
            f"class_names solo tiene {len(names)} nombres. Pasa un nombre por clase."
        )
    return names


# ---------------------------------------------------------------------------
# XOR and decision boundaries
# ---------------------------------------------------------------------------


def _check_2d_points(x: Any, y: Any, function: str) -> tuple[np.ndarray, np.ndarray]:
    points = _as_array(x, "x", function).astype(float)
    if points.ndim != 2 or points.shape[1] != 2:
        raise ValueError(
            f"{function}: x debe tener forma (n, 2), un punto de dos coordenadas por fila; "
            f"tiene forma {points.shape}."
        )
    labels = _as_labels(y, "y", function)
    if labels.shape[0] != points.shape[0]:
        raise ValueError(
            f"{function}: x tiene {points.shape[0]} puntos pero y tiene {labels.shape[0]} "
            "etiquetas; deben coincidir."
        )
    return points, labels


def _scatter_classes(
    ax: Axes,
    points: np.ndarray,
    labels: np.ndarray,
    class_names: Sequence[str] | None,
    size: float,
) -> None:
    markers = ("o", "s", "^", "D", "v", "P")
    for index, label in enumerate(np.unique(labels)):
        mask = labels == label
        ax.scatter(
            points[mask, 0],
            points[mask, 1],
            s=size,
            c=_CLASS_COLORS[int(label) % len(_CLASS_COLORS)],
            marker=markers[index % len(markers)],
            edgecolors="black",
            linewidths=0.8,
            label=_class_name(class_names, int(label)),
            zorder=3,
        )


def plot_xor(
    x: Any = None,
    y: Any = None,
    *,
    ax: Axes | None = None,
    title: str = "El problema XOR",
) -> Figure:
    """Plot XOR data: the four truth-table points (annotated) or a noisy cloud.

    Args:
        x: points, shape (n, 2). ``None`` uses the truth table (0,0), (0,1), (1,0), (1,1).
        y: labels 0/1, shape (n,). ``None`` uses XOR of the truth table.
        ax: optional matplotlib Axes to draw into.
        title: figure title.

    Returns:
        The Figure. With 8 points or fewer each point is annotated "(x₁, x₂) → y".
    """
    if (x is None) != (y is None):
        raise ValueError("plot_xor: pasa x e y juntos, o ninguno para la tabla de verdad.")
    if x is None:
        from course.datasets import load_xor

        x, y = load_xor()
    points, labels = _check_2d_points(x, y, "plot_xor")
    with _style():
        fig, axes = _figure_and_axes(ax, (5.2, 4.6))
        few = len(points) <= 8
        _scatter_classes(axes, points, labels, None, 180 if few else 30)
        if few:
            for (a, b), label in zip(points, labels, strict=True):
                axes.annotate(
                    f"({a:g}, {b:g}) → {label}",
                    (a, b),
                    xytext=(0, 14),
                    textcoords="offset points",
                    ha="center",
                    fontsize=10,
                )
        margin = 0.35
        axes.set_xlim(points[:, 0].min() - margin, points[:, 0].max() + margin)
        axes.set_ylim(points[:, 1].min() - margin, points[:, 1].max() + margin + 0.1)
        axes.set_xlabel("x₁")
        axes.set_ylabel("x₂")
        axes.set_title(title)
        axes.grid(True, alpha=0.3)
        axes.legend(title="Salida", loc="center" if few else "best", framealpha=0.9)
    return fig


def _predict_grid(model: Any, grid: np.ndarray) -> np.ndarray:
    """Scores of ``model`` on ``grid``: Keras model, scikit-learn estimator or callable."""
    if hasattr(model, "predict_proba"):
        output = model.predict_proba(grid)
    elif hasattr(model, "predict") and hasattr(model, "layers"):
        # One large batch instead of Keras' default 32: 40,000 grid points in one call.
        output = model.predict(grid.astype(np.float32), batch_size=8192, verbose=0)
    elif hasattr(model, "predict"):
        output = model.predict(grid)
    elif callable(model):
        output = model(grid)
    else:
        raise TypeError(
            "plot_decision_boundary: el primer argumento debe ser un modelo de Keras (con "
            "predict) o una función que reciba un array (n, 2) y devuelva puntuaciones, "
            f"probabilidades o clases; se recibió {type(model).__name__}."
        )
    try:
        scores = np.asarray(output, dtype=float)
    except Exception as exc:
        raise TypeError(
            "plot_decision_boundary: la predicción del modelo no es numérica; debe devolver "
            "un array de puntuaciones, probabilidades o clases."
        ) from exc
    if scores.shape[0] != grid.shape[0]:
        raise ValueError(
            f"plot_decision_boundary: el modelo devolvió {scores.shape[0]} valores para "
            f"{grid.shape[0]} puntos; debe devolver uno (o una fila) por punto."
        )
    if not np.all(np.isfinite(scores)):
        raise ValueError(
            "plot_decision_boundary: el modelo devolvió NaN o infinito en algunos puntos; "
            "revisa los pesos o la función."
        )
    return scores


def plot_decision_boundary(
    model: Any,
    x: Any,
    y: Any,
    *,
    class_names: Sequence[str] | None = None,
    threshold: float | None = None,
    resolution: int = 200,
    margin: float = 0.5,
    ax: Axes | None = None,
    title: str = "Frontera de decisión",
) -> Figure:
    """Plot the regions a model assigns to each class over 2-D data, and the data.

    Args:
        model: a Keras model (its ``predict`` is called with ``verbose=0``), a
            scikit-learn classifier, or any function ``f(points)`` taking an array
            of shape (n, 2) and returning, per point, a score, a probability, a
            class, or a row of class probabilities.
        x: data points, shape (n, 2).
        y: their classes, shape (n,).
        class_names: optional legend names, one per class.
        threshold: for a single output, the value separating the classes. Default:
            0.5 when the outputs are probabilities in [0, 1], otherwise 0 (raw
            scores such as ``w·x + b``).
        resolution: grid points per axis.
        margin: how far beyond the data the picture extends.
        ax: optional matplotlib Axes to draw into.
        title: figure title.

    Returns:
        The Figure: shaded regions (probability of class 1 for one output; the
        predicted class for several), the boundary as a black line and the points.
    """
    points, labels = _check_2d_points(x, y, "plot_decision_boundary")
    names = _check_class_names(class_names, labels, "plot_decision_boundary")
    if not isinstance(resolution, (int, np.integer)) or not 10 <= resolution <= 1000:
        raise ValueError("plot_decision_boundary: resolution debe ser un entero entre 10 y 1000.")
    x_min, x_max = points[:, 0].min() - margin, points[:, 0].max() + margin
    y_min, y_max = points[:, 1].min() - margin, points[:, 1].max() + margin
    xx, yy = np.meshgrid(
        np.linspace(x_min, x_max, resolution), np.linspace(y_min, y_max, resolution)
    )
    grid = np.column_stack([xx.ravel(), yy.ravel()])
    scores = _predict_grid(model, grid)
    if (
        scores.ndim == 2
        and scores.shape[1] == 2
        and np.allclose(scores.sum(axis=1), 1.0, atol=1e-3)
    ):
        scores = scores[:, 1]  # two-column probabilities (softmax, predict_proba): P(class 1)

    with _style():
        fig, axes = _figure_and_axes(ax, (6.2, 5.0))
        if scores.ndim == 2 and scores.shape[1] > 1:
            from matplotlib.colors import ListedColormap

            n_classes = max(scores.shape[1], int(labels.max()) + 1)
            cmap = ListedColormap([_CLASS_COLORS[i % len(_CLASS_COLORS)] for i in range(n_classes)])
            predicted = scores.argmax(axis=1).reshape(xx.shape)
            axes.contourf(
                xx,
                yy,
                predicted,
                levels=np.arange(n_classes + 1) - 0.5,
                cmap=cmap,
                alpha=0.25,
            )
            axes.contour(
                xx,
                yy,
                predicted,
                levels=np.arange(n_classes) + 0.5,
                colors="black",
                linewidths=1.2,
            )
        else:
            values = scores.reshape(-1)
            is_probability = values.min() >= 0.0 and values.max() <= 1.0
            cut = threshold if threshold is not None else (0.5 if is_probability else 0.0)
            surface = values.reshape(xx.shape)
            if is_probability:
                filled = axes.contourf(
                    xx, yy, surface, levels=np.linspace(0, 1, 11), cmap="RdBu_r", alpha=0.55
                )
                label = "Probabilidad de la clase 1"
            else:
                limit = float(np.abs(surface - cut).max()) or 1.0
                filled = axes.contourf(
                    xx,
                    yy,
                    surface,
                    levels=np.linspace(cut - limit, cut + limit, 21),
                    cmap="RdBu_r",
                    alpha=0.55,
                )
                label = "Puntuación del modelo"
            colorbar = fig.colorbar(filled, ax=axes, shrink=0.85)
            colorbar.set_label(label)
            if surface.min() < cut < surface.max():
                axes.contour(xx, yy, surface, levels=[cut], colors="black", linewidths=2)
        _scatter_classes(axes, points, labels, names, 60 if len(points) > 8 else 150)
        axes.set_xlim(x_min, x_max)
        axes.set_ylim(y_min, y_max)
        axes.set_xlabel("x₁")
        axes.set_ylabel("x₂")
        axes.set_title(title)
        axes.legend(loc="best", framealpha=0.9)
    return fig


# ---------------------------------------------------------------------------
# Activations
# ---------------------------------------------------------------------------


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def _softplus(z: np.ndarray) -> np.ndarray:
    return np.logaddexp(0.0, z)


_LEAKY_SLOPE = 0.1  # ε of max(εz, z), large enough to be visible in the plot
_ELU_ALPHA = 1.0

#: Built-in activations by name: (Spanish title, function, derivative).
ACTIVATIONS: dict[str, tuple[str, Callable[[np.ndarray], np.ndarray], Callable[..., Any]]] = {
    "sigmoid": ("sigmoide", _sigmoid, lambda z: _sigmoid(z) * (1 - _sigmoid(z))),
    "tanh": ("tangente hiperbólica", np.tanh, lambda z: 1 - np.tanh(z) ** 2),
    "relu": ("ReLU", lambda z: np.maximum(0.0, z), lambda z: (z > 0).astype(float)),
    "leaky_relu": (
        f"Leaky ReLU (ε = {_LEAKY_SLOPE})",
        lambda z: np.where(z > 0, z, _LEAKY_SLOPE * z),
        lambda z: np.where(z > 0, 1.0, _LEAKY_SLOPE),
    ),
    "elu": (
        "ELU",
        lambda z: np.where(z > 0, z, _ELU_ALPHA * np.expm1(np.minimum(z, 0))),
        lambda z: np.where(z > 0, 1.0, _ELU_ALPHA * np.exp(np.minimum(z, 0))),
    ),
    "softplus": ("softplus", _softplus, _sigmoid),
    "softsign": ("softsign", lambda z: z / (1 + np.abs(z)), lambda z: 1 / (1 + np.abs(z)) ** 2),
    "swish": (
        "swish",
        lambda z: z * _sigmoid(z),
        lambda z: _sigmoid(z) + z * _sigmoid(z) * (1 - _sigmoid(z)),
    ),
    "step": ("escalón (Heaviside)", lambda z: (z >= 0).astype(float), lambda z: np.zeros_like(z)),
    "linear": ("lineal (identidad)", lambda z: z, lambda z: np.ones_like(z)),
}


def _evaluate(function: Callable[..., Any], z: np.ndarray, what: str) -> np.ndarray:
    try:
        values = function(z)
    except Exception as exc:
        raise ValueError(
            f"plot_activation: no se pudo evaluar {what} sobre un array de NumPy "
            f"({type(exc).__name__}: {exc}). La función debe aceptar un array y devolver "
            "otro de la misma forma."
        ) from exc
    if hasattr(values, "numpy"):
        values = values.numpy()
    values = np.asarray(values, dtype=float)
    if values.shape != z.shape:
        raise ValueError(
            f"plot_activation: {what} devolvió forma {values.shape} para una entrada de forma "
            f"{z.shape}; debe aplicarse elemento a elemento."
        )
    return values


def _break_jumps(values: np.ndarray) -> np.ndarray:
    """Insert gaps (NaN) at jumps, so a step is not drawn as a vertical segment."""
    finite = values[np.isfinite(values)]
    span = float(finite.max() - finite.min()) if finite.size else 0.0
    if span == 0.0:
        return values
    out = values.astype(float).copy()
    jumps = np.flatnonzero(np.abs(np.diff(values)) > 0.1 * span)
    out[jumps] = np.nan
    return out


def plot_activation(
    fn: str | Callable[..., Any],
    derivative: Callable[..., Any] | bool | None = None,
    *,
    x_range: tuple[float, float] = (-5.0, 5.0),
    name: str | None = None,
    ax: Axes | None = None,
) -> Figure:
    """Plot an activation function f(z) and its derivative f'(z) on the same axes.

    Args:
        fn: a name from :data:`ACTIVATIONS` (``"sigmoid"``, ``"tanh"``, ``"relu"``,
            ``"leaky_relu"``, ``"elu"``, ``"softplus"``, ``"softsign"``, ``"swish"``,
            ``"step"``, ``"linear"``) or a function of a NumPy array (your own NumPy
            version, or ``keras.activations.relu``...).
        derivative: the derivative as a function; ``None`` uses the exact one for a
            name and a numerical one (finite differences) for a function; ``False``
            draws only f(z).
        x_range: the interval of z.
        name: the name in the title (default: the Spanish name or the function's name).
        ax: optional matplotlib Axes to draw into.

    Returns:
        The Figure.
    """
    if isinstance(fn, str):
        key = fn.strip().lower().replace("-", "_").replace(" ", "_")
        if key not in ACTIVATIONS:
            raise ValueError(
                f"plot_activation: no conozco la activación {fn!r}. Usa una de "
                f"{', '.join(ACTIVATIONS)} o pasa tu propia función."
            )
        title_name, function, exact = ACTIVATIONS[key]
        if derivative is None:
            derivative = exact
    elif callable(fn):
        function = fn
        title_name = getattr(fn, "__name__", "f")
        if title_name == "<lambda>":
            title_name = "f"
    else:
        raise TypeError(
            "plot_activation: fn debe ser el nombre de una activación (por ejemplo 'relu') "
            f"o una función; se recibió {type(fn).__name__}."
        )
    if derivative is not None and derivative is not False and not callable(derivative):
        raise TypeError("plot_activation: derivative debe ser una función, None o False.")
    low, high = (float(v) for v in x_range)
    if not low < high:
        raise ValueError("plot_activation: x_range debe ser (mínimo, máximo) con mínimo < máximo.")
    z = np.linspace(low, high, 801)
    values = _evaluate(function, z, "la función")
    slope = None
    numerical = False
    if derivative is None:
        slope = np.gradient(values, z)
        numerical = True
    elif derivative is not False:
        slope = _evaluate(derivative, z, "la derivada")

    with _style():
        fig, axes = _figure_and_axes(ax, (6.4, 4.2))
        axes.axhline(0, color="0.6", linewidth=0.8)
        axes.axvline(0, color="0.6", linewidth=0.8)
        axes.plot(z, _break_jumps(values), color="#1f6feb", linewidth=2.4, label="f(z)")
        if slope is not None:
            label = "f′(z) (numérica)" if numerical else "f′(z)"
            axes.plot(
                z, _break_jumps(slope), color="#d1242f", linewidth=2, linestyle="--", label=label
            )
        axes.set_xlim(low, high)
        axes.set_xlabel("z (entrada de la neurona)")
        axes.set_ylabel("valor")
        axes.set_title(f"Activación: {name or title_name}")
        axes.grid(True, alpha=0.3)
        axes.legend(loc="best")
    return fig


# ---------------------------------------------------------------------------
# Loss surface
# ---------------------------------------------------------------------------


def _as_paths(path: Any) -> dict[str, np.ndarray]:
    if path is None:
        return {}
    if isinstance(path, Mapping):
        items = list(path.items())
    else:
        items = [("trayectoria del optimizador", path)]
    paths = {}
    for label, values in items:
        array = _as_array(values, "path", "plot_loss_surface").astype(float)
        if array.ndim != 2 or array.shape[1] != 2 or len(array) < 1:
            raise ValueError(
                "plot_loss_surface: cada trayectoria debe tener forma (pasos, 2): un par "
                f"(w, b) por paso; '{label}' tiene forma {array.shape}."
            )
        paths[str(label)] = array
    return paths


def _evaluate_loss(loss_fn: Callable[..., Any], ww: np.ndarray, bb: np.ndarray) -> np.ndarray:
    try:
        values = np.asarray(loss_fn(ww, bb), dtype=float)
        if values.shape == ww.shape:
            return values
    except Exception:  # a scalar-only function: evaluate point by point below
        pass
    try:
        return np.vectorize(lambda a, b: float(loss_fn(a, b)))(ww, bb)
    except Exception as exc:
        raise ValueError(
            "plot_loss_surface: loss_fn debe aceptar dos parámetros (w, b) y devolver la "
            f"pérdida ({type(exc).__name__}: {exc})."
        ) from exc


def plot_loss_surface(
    loss_fn: Callable[[Any, Any], Any],
    path: Any = None,
    *,
    w_range: tuple[float, float] | None = None,
    b_range: tuple[float, float] | None = None,
    resolution: int = 150,
    levels: int = 30,
    log_scale: bool = False,
    param_names: tuple[str, str] = ("w", "b"),
    ax: Axes | None = None,
    title: str = "Superficie de pérdida",
) -> Figure:
    """Contour plot of a loss of two parameters, with the path of an optimiser.

    Args:
        loss_fn: ``loss_fn(w, b)``; it may work on whole grids (NumPy broadcasting)
            or on single numbers (then it is evaluated point by point).
        path: the optimiser's visited points, shape (steps, 2) as (w, b) pairs, or a
            dict ``{"lr = 0.1": path1, "lr = 1.0": path2}`` to compare several.
        w_range, b_range: intervals of the two axes. Default: the paths plus a margin,
            or (-3, 3) without a path.
        resolution: grid points per axis.
        levels: number of contour levels.
        log_scale: colour the loss on a logarithmic scale (for steep surfaces).
        param_names: the two parameter names for the axis labels.
        ax: optional matplotlib Axes to draw into.
        title: figure title.

    Returns:
        The Figure: filled contours, the start (circle) and end (star) of each path.
    """
    if not callable(loss_fn):
        raise TypeError("plot_loss_surface: loss_fn debe ser una función loss_fn(w, b).")
    paths = _as_paths(path)

    def bounds(column: int, given: tuple[float, float] | None) -> tuple[float, float]:
        if given is not None:
            low, high = (float(v) for v in given)
            if not low < high:
                raise ValueError("plot_loss_surface: cada rango debe ser (mínimo, máximo).")
            return low, high
        if not paths:
            return -3.0, 3.0
        values = np.concatenate([p[:, column] for p in paths.values()])
        values = values[np.isfinite(values)]
        low, high = float(values.min()), float(values.max())
        span = max(high - low, 1.0)
        return low - 0.5 * span, high + 0.5 * span

    w_low, w_high = bounds(0, w_range)
    b_low, b_high = bounds(1, b_range)
    ww, bb = np.meshgrid(
        np.linspace(w_low, w_high, resolution), np.linspace(b_low, b_high, resolution)
    )
    surface = _evaluate_loss(loss_fn, ww, bb)
    if not np.any(np.isfinite(surface)):
        raise ValueError("plot_loss_surface: la pérdida no es finita en ningún punto del rango.")

    with _style():
        fig, axes = _figure_and_axes(ax, (6.6, 5.2))
        shown = surface
        bar_label = "Pérdida"
        if log_scale:
            positive = surface[np.isfinite(surface) & (surface > 0)]
            if positive.size == 0:
                raise ValueError("plot_loss_surface: log_scale=True necesita pérdidas positivas.")
            shown = np.log10(np.where(surface > 0, surface, positive.min()))
            bar_label = "log₁₀(pérdida)"
        filled = axes.contourf(ww, bb, shown, levels=levels, cmap="viridis")
        axes.contour(
            ww, bb, shown, levels=max(levels // 3, 1), colors="white", linewidths=0.5, alpha=0.6
        )
        colorbar = fig.colorbar(filled, ax=axes, shrink=0.9)
        colorbar.set_label(bar_label)
        best = np.unravel_index(np.nanargmin(surface), surface.shape)
        axes.plot(
            ww[best], bb[best], "X", color="white", markeredgecolor="black", markersize=11, zorder=4
        )
        from matplotlib import patheffects

        outline = [patheffects.withStroke(linewidth=4, foreground="black")]
        path_colors = ("#ff7f0e", "#ff4fd8", "#ffffff", "#ff2020", "#00e5ff")
        for index, (label, steps) in enumerate(paths.items()):
            color = path_colors[index % len(path_colors)]
            axes.plot(
                steps[:, 0],
                steps[:, 1],
                "-",
                color=color,
                linewidth=2,
                label=label,
                zorder=3,
                path_effects=outline,
            )
            axes.plot(steps[:, 0], steps[:, 1], ".", color=color, markersize=5, zorder=3)
            axes.plot(*steps[0], "o", color=color, markeredgecolor="black", markersize=9, zorder=4)
            axes.plot(
                *steps[-1], "*", color=color, markeredgecolor="black", markersize=15, zorder=4
            )
        axes.set_xlim(w_low, w_high)
        axes.set_ylim(b_low, b_high)
        axes.set_xlabel(f"parámetro {param_names[0]}")
        axes.set_ylabel(f"parámetro {param_names[1]}")
        axes.set_title(title)
        from matplotlib.lines import Line2D

        handles, names = axes.get_legend_handles_labels()
        handles.append(
            Line2D(
                [],
                [],
                marker="X",
                linestyle="",
                color="white",
                markeredgecolor="black",
                markersize=10,
            )
        )
        names.append("mínimo en la malla")
        if paths:
            handles += [
                Line2D([], [], marker="o", linestyle="", color="0.5", markeredgecolor="black"),
                Line2D(
                    [],
                    [],
                    marker="*",
                    linestyle="",
                    color="0.5",
                    markeredgecolor="black",
                    markersize=12,
                ),
            ]
            names += ["inicio", "final"]
        axes.legend(handles, names, loc="best", framealpha=0.9)
    return fig


# ---------------------------------------------------------------------------
# Training curves
# ---------------------------------------------------------------------------

_METRIC_NAMES_ES = {
    "loss": "Pérdida",
    "accuracy": "Exactitud (accuracy)",
    "acc": "Exactitud (accuracy)",
    "binary_accuracy": "Exactitud binaria",
    "categorical_accuracy": "Exactitud categórica",
    "sparse_categorical_accuracy": "Exactitud categórica dispersa",
    "mae": "Error absoluto medio (MAE)",
    "mean_absolute_error": "Error absoluto medio (MAE)",
    "mse": "Error cuadrático medio (MSE)",
    "mean_squared_error": "Error cuadrático medio (MSE)",
    "rmse": "Raíz del error cuadrático medio (RMSE)",
    "root_mean_squared_error": "Raíz del error cuadrático medio (RMSE)",
    "auc": "Área bajo la curva ROC (AUC)",
    "precision": "Precisión",
    "recall": "Exhaustividad (recall)",
    "learning_rate": "Tasa de aprendizaje",
}


def _history_dict(history: Any) -> dict[str, np.ndarray]:
    raw = getattr(history, "history", history)
    if not isinstance(raw, Mapping):
        raise TypeError(
            "plot_history: espera el objeto History que devuelve model.fit(...) o un "
            f"diccionario {{'loss': [...], ...}}; se recibió {type(history).__name__}."
        )
    if not raw:
        raise ValueError(
            "plot_history: el historial está vacío. ¿Has entrenado el modelo con model.fit(...)?"
        )
    out = {}
    for key, values in raw.items():
        array = np.asarray(values, dtype=float).reshape(-1)
        if array.size == 0:
            raise ValueError(f"plot_history: la serie '{key}' no tiene valores.")
        out[str(key)] = array
    return out


def plot_history(
    history: Any,
    metrics: Sequence[str] | str | None = None,
    *,
    log_scale: bool = False,
    title: str = "Curvas de entrenamiento",
) -> Figure:
    """Plot training curves: loss and metrics per epoch, training vs validation.

    Args:
        history: the ``History`` returned by ``model.fit(...)``, or its ``.history``
            dict (e.g. ``{"loss": [...], "val_loss": [...], "accuracy": [...]}``).
        metrics: which curves to draw, e.g. ``["loss", "accuracy"]`` (one panel each;
            the ``val_`` series is added automatically). Default: every series.
        log_scale: logarithmic y axis (useful when the loss falls by orders of
            magnitude, e.g. a regression trained for hundreds of epochs).
        title: figure title.

    Returns:
        The Figure. The epoch with the lowest validation value of each panel (the
        highest for accuracy-like metrics) is marked.
    """
    series = _history_dict(history)
    if metrics is None:
        names = [k for k in series if not k.startswith("val_") and k not in ("lr", "learning_rate")]
        if "loss" in names:
            names.remove("loss")
            names.insert(0, "loss")
        if not names:
            names = [k[4:] for k in series if k.startswith("val_")]
    else:
        names = [metrics] if isinstance(metrics, str) else [str(m) for m in metrics]
        for metric in names:
            if metric not in series and f"val_{metric}" not in series:
                raise ValueError(
                    f"plot_history: el historial no tiene la serie '{metric}'. Series disponibles: "
                    f"{', '.join(series)}. Revisa `metrics` en compile()."
                )
    if not names:
        raise ValueError("plot_history: no hay ninguna serie que dibujar.")

    with _style():
        fig = _new_figure((5.2 * len(names), 4.2))
        fig.suptitle(title)
        axes_list = fig.subplots(1, len(names), squeeze=False)[0]
        for axes, metric in zip(axes_list, names, strict=True):
            from matplotlib.ticker import MaxNLocator

            lower_is_better = not any(
                word in metric for word in ("acc", "auc", "precision", "recall")
            )
            for key, label, color, style in (
                (metric, "entrenamiento", "#1f6feb", "-"),
                (f"val_{metric}", "validación", "#d1242f", "--"),
            ):
                if key not in series:
                    continue
                values = series[key]
                epochs = np.arange(1, len(values) + 1)
                axes.plot(
                    epochs,
                    values,
                    style,
                    color=color,
                    linewidth=2,
                    label=label,
                    marker="o" if len(values) <= 30 else None,
                    markersize=4,
                )
                if key.startswith("val_") and np.any(np.isfinite(values)):
                    best = int(np.nanargmin(values) if lower_is_better else np.nanargmax(values))
                    axes.plot(
                        epochs[best],
                        values[best],
                        "o",
                        markersize=11,
                        markerfacecolor="none",
                        markeredgecolor="black",
                        markeredgewidth=1.5,
                        label=f"mejor validación (época {best + 1})",
                    )
            pretty = _METRIC_NAMES_ES.get(metric, metric)
            axes.set_title(pretty)
            axes.set_xlabel("Época")
            axes.set_ylabel(pretty)
            axes.xaxis.set_major_locator(MaxNLocator(integer=True))
            if log_scale:
                positive = [series[k] for k in (metric, f"val_{metric}") if k in series]
                if any(np.nanmin(v) <= 0 for v in positive):
                    raise ValueError(
                        f"plot_history: log_scale=True necesita valores positivos y '{metric}' "
                        "tiene ceros o negativos; usa log_scale=False."
                    )
                axes.set_yscale("log")
            axes.grid(True, alpha=0.3)
            axes.legend(loc="best")
    return fig


# ---------------------------------------------------------------------------
# Images, confusion matrix
# ---------------------------------------------------------------------------


def _as_images(images: Any) -> np.ndarray:
    array = _as_array(images, "images", "plot_image_grid")
    if array.ndim == 4 and array.shape[-1] == 1:
        array = array[..., 0]
    if array.ndim == 2:
        side = int(round(np.sqrt(array.shape[1])))
        if side * side != array.shape[1]:
            raise ValueError(
                "plot_image_grid: images tiene forma (n, píxeles) pero los píxeles no forman "
                "un cuadrado; pasa las imágenes con forma (n, alto, ancho)."
            )
        array = array.reshape(len(array), side, side)
    if array.ndim not in (3, 4) or (array.ndim == 4 and array.shape[-1] not in (3, 4)):
        raise ValueError(
            "plot_image_grid: images debe tener forma (n, alto, ancho), (n, alto, ancho, 1) o "
            f"(n, alto, ancho, 3); tiene forma {array.shape}."
        )
    return array


def plot_image_grid(
    images: Any,
    y_true: Any,
    y_pred: Any = None,
    class_names: Sequence[str] | None = FASHION_CLASSES_ES,
    n_rows: int = 5,
    n_cols: int = 5,
    *,
    title: str | None = None,
) -> Figure:
    """Show the first ``n_rows × n_cols`` images with their labels.

    With predictions, each image is labelled "predicción (real)" in green when
    right and in red when wrong; with probability rows, the confidence is shown.

    Args:
        images: shape (n, 28, 28) (or (n, 784), (n, 28, 28, 1), colour (n, h, w, 3)),
            pixels 0-255 or 0-1.
        y_true: true classes, shape (n,).
        y_pred: predicted classes (n,) or the probabilities from ``model.predict`` (n, C).
        class_names: class names; default the Spanish Fashion-MNIST names.
        n_rows, n_cols: grid size (fewer cells are used when there are fewer images).
        title: figure title (default depends on whether predictions are given).

    Returns:
        The Figure.
    """
    pictures = _as_images(images)
    truth = _as_labels(y_true, "y_true", "plot_image_grid")
    if len(truth) != len(pictures):
        raise ValueError(
            f"plot_image_grid: hay {len(pictures)} imágenes y {len(truth)} etiquetas; deben coincidir."
        )
    confidence = None
    predicted = None
    if y_pred is not None:
        raw = _as_array(y_pred, "y_pred", "plot_image_grid")
        if raw.ndim == 2 and raw.shape[1] > 1:
            confidence = raw.max(axis=1)
        predicted = _as_labels(raw, "y_pred", "plot_image_grid")
        if len(predicted) != len(pictures):
            raise ValueError(
                f"plot_image_grid: hay {len(pictures)} imágenes y {len(predicted)} predicciones; "
                "deben coincidir."
            )
    for value, what in ((n_rows, "n_rows"), (n_cols, "n_cols")):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"plot_image_grid: {what} debe ser un entero positivo.")
    all_labels = truth if predicted is None else np.concatenate([truth, predicted])
    names = _check_class_names(class_names, all_labels, "plot_image_grid")
    count = min(len(pictures), n_rows * n_cols)
    if count == 0:
        raise ValueError("plot_image_grid: no hay imágenes que mostrar.")
    # Same grey scale for every image: pixels 0-1 (scaled) or 0-255 (raw).
    top_value = 1.0 if float(np.nanmax(pictures[:count])) <= 1.0 else 255.0
    if pictures.ndim == 4 and top_value == 255.0:
        pictures = pictures.astype(np.uint8)
    rows = int(np.ceil(count / n_cols))
    cols = min(n_cols, count)
    if title is None:
        title = "Predicción (clase real)" if predicted is not None else "Imágenes y su clase"

    with _style():
        fig = _new_figure((1.9 * cols + 0.2, 2.05 * rows + 0.5))
        fig.suptitle(title)
        grid = fig.subplots(rows, cols, squeeze=False)
        for index, axes in enumerate(grid.ravel()):
            axes.set_xticks([])
            axes.set_yticks([])
            if index >= count:
                axes.set_axis_off()
                continue
            image = pictures[index]
            axes.imshow(image, cmap="binary" if image.ndim == 2 else None, vmin=0, vmax=top_value)
            for spine in axes.spines.values():
                spine.set_visible(True)
            true_name = _class_name(names, int(truth[index]))
            if predicted is None:
                axes.set_xlabel(true_name, fontsize=10)
                continue
            pred_name = _class_name(names, int(predicted[index]))
            correct = predicted[index] == truth[index]
            color = _OK_COLOR if correct else _BAD_COLOR
            text = f"{pred_name}"
            if confidence is not None:
                text += f" {confidence[index]:.0%}"
            text += f"\n({true_name})"
            axes.set_xlabel(text, color=color, fontsize=9.5)
            for spine in axes.spines.values():
                spine.set_color(color)
                spine.set_linewidth(2)
        if predicted is not None:
            right = int(np.sum(predicted[:count] == truth[:count]))
            fig.supxlabel(
                f"verde: acierto · rojo: error — {right} de {count} aciertos", fontsize=10
            )
    return fig


def plot_confusion_matrix(
    y_true: Any,
    y_pred: Any,
    class_names: Sequence[str] | None = None,
    *,
    normalize: str | None = None,
    ax: Axes | None = None,
    title: str = "Matriz de confusión",
) -> Figure:
    """Confusion matrix (scikit-learn's ``ConfusionMatrixDisplay``) with Spanish labels.

    Args:
        y_true: true classes, shape (n,).
        y_pred: predicted classes (n,) or probabilities from ``model.predict`` (n, C).
        class_names: names of the classes (default: their numbers).
        normalize: ``None`` (counts), ``"true"`` (each row sums 1: recall per class),
            ``"pred"`` or ``"all"``, as in scikit-learn.
        ax: optional matplotlib Axes to draw into.
        title: figure title.

    Returns:
        The Figure: rows are the true class, columns the predicted class.
    """
    from sklearn.metrics import ConfusionMatrixDisplay

    truth = _as_labels(y_true, "y_true", "plot_confusion_matrix")
    predicted = _as_labels(y_pred, "y_pred", "plot_confusion_matrix")
    if len(truth) != len(predicted):
        raise ValueError(
            f"plot_confusion_matrix: y_true tiene {len(truth)} etiquetas e y_pred "
            f"{len(predicted)}; deben coincidir."
        )
    if normalize not in (None, "true", "pred", "all"):
        raise ValueError("plot_confusion_matrix: normalize debe ser None, 'true', 'pred' o 'all'.")
    labels_present = np.concatenate([truth, predicted])
    names = _check_class_names(class_names, labels_present, "plot_confusion_matrix")
    n_classes = len(names) if names is not None else int(labels_present.max()) + 1
    size = max(4.6, 0.5 * n_classes + 2.4)
    rotate = names is not None and max(len(n) for n in names) > 4
    with _style():
        fig, axes = _figure_and_axes(ax, (size + 0.9, size))
        display = ConfusionMatrixDisplay.from_predictions(
            truth,
            predicted,
            labels=list(range(n_classes)),
            display_labels=names,
            normalize=normalize,
            cmap="Blues",
            colorbar=True,
            values_format=".2f" if normalize else "d",
            ax=axes,
            xticks_rotation=45 if rotate else "horizontal",
        )
        for text in display.text_.ravel():
            text.set_fontsize(9 if n_classes > 6 else 11)
        if rotate:
            for label in axes.get_xticklabels():
                label.set_horizontalalignment("right")
                label.set_rotation_mode("anchor")
        axes.set_xlabel("Clase predicha")
        axes.set_ylabel("Clase real")
        axes.set_title(title)
        display.im_.colorbar.set_label("Proporción" if normalize else "Número de ejemplos")
    return fig


def most_confused_pairs(
    y_true: Any,
    y_pred: Any,
    class_names: Sequence[str] | None = None,
    top: int = 5,
) -> pd.DataFrame:
    """The ``top`` most frequent mistakes (true class → predicted class).

    Args:
        y_true: true classes, shape (n,).
        y_pred: predicted classes (n,) or probabilities from ``model.predict`` (n, C).
        class_names: names of the classes (default: their numbers).
        top: how many pairs to return.

    Returns:
        A DataFrame with columns ``"clase real"``, ``"predicha como"``, ``"errores"``
        (how many examples) and ``"% de la clase real"`` (share of that class's
        examples), sorted from the most frequent mistake. Empty if there are none.
    """
    import pandas as pd
    from sklearn.metrics import confusion_matrix

    truth = _as_labels(y_true, "y_true", "most_confused_pairs")
    predicted = _as_labels(y_pred, "y_pred", "most_confused_pairs")
    if len(truth) != len(predicted):
        raise ValueError(
            f"most_confused_pairs: y_true tiene {len(truth)} etiquetas e y_pred "
            f"{len(predicted)}; deben coincidir."
        )
    if isinstance(top, bool) or not isinstance(top, (int, np.integer)) or top < 1:
        raise ValueError("most_confused_pairs: top debe ser un entero positivo.")
    labels_present = np.concatenate([truth, predicted])
    names = _check_class_names(class_names, labels_present, "most_confused_pairs")
    n_classes = len(names) if names is not None else int(labels_present.max()) + 1
    matrix = confusion_matrix(truth, predicted, labels=list(range(n_classes)))
    per_class = matrix.sum(axis=1)
    rows = []
    for i in range(n_classes):
        for j in range(n_classes):
            if i != j and matrix[i, j] > 0:
                rows.append(
                    {
                        "clase real": _class_name(names, i),
                        "predicha como": _class_name(names, j),
                        "errores": int(matrix[i, j]),
                        "% de la clase real": round(100.0 * matrix[i, j] / per_class[i], 1),
                    }
                )
    columns = ["clase real", "predicha como", "errores", "% de la clase real"]
    frame = pd.DataFrame(rows, columns=columns)
    if frame.empty:
        return frame
    frame = frame.sort_values(["errores", "% de la clase real"], ascending=False, kind="stable")
    return frame.head(int(top)).reset_index(drop=True)
