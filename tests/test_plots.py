"""course.plots: every figure rendered to PNG (Agg) and checked for content.

Each figure is saved under /tmp/plots_preview/ (for a human look) and checked
for: non-blank pixels, its Spanish title and axis labels, no text falling
outside the canvas (cut-off labels), and the data it is meant to show.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

import matplotlib
import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

from course import plots
from course.datasets import FASHION_CLASSES_ES, load_xor, make_xor_cloud

PREVIEW_DIR = Path(os.environ.get("COURSE_PLOTS_PREVIEW", "/tmp/plots_preview"))


def _texts(fig: Figure) -> list[str]:
    return [
        t.get_text()
        for t in fig.findobj(Text)
        if t.get_visible() and t.get_text().strip() and t.get_alpha() != 0
    ]


def _render(fig: Figure, name: str) -> np.ndarray:
    """Save the figure as PNG, check it is not blank and nothing is cut off."""
    import matplotlib.image as mpimg
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    assert isinstance(fig, Figure)
    canvas = FigureCanvasAgg(fig)
    PREVIEW_DIR.mkdir(parents=True, exist_ok=True)
    path = PREVIEW_DIR / f"{name}.png"
    fig.savefig(path, format="png", dpi=80)
    pixels = mpimg.imread(path)[..., :3]
    assert pixels.shape[0] > 200 and pixels.shape[1] > 200
    not_white = np.any(pixels < 0.97, axis=-1).mean()
    assert not_white > 0.05, f"{name}: la figura está casi en blanco ({not_white:.1%})"
    colours = np.unique((pixels * 255).astype(np.uint8).reshape(-1, 3), axis=0)
    assert len(colours) > 20

    # Everything drawn (titles, labels, visible tick labels, legends, colour bars)
    # must lie inside the canvas: nothing cut off.
    bbox = fig.get_tightbbox(canvas.get_renderer())
    width, height = fig.get_size_inches()
    tolerance = 0.02  # inches
    inside = (
        bbox.x0 >= -tolerance
        and bbox.y0 >= -tolerance
        and bbox.x1 <= width + tolerance
        and bbox.y1 <= height + tolerance
    )
    assert inside, f"{name}: algo queda fuera del lienzo: {bbox} en {width}x{height} pulgadas"
    return pixels


def _axes_titles(fig: Figure) -> list[str]:
    return [ax.get_title() for ax in fig.axes]


# ---------------------------------------------------------------------------
# XOR and decision boundaries
# ---------------------------------------------------------------------------


def test_plot_xor_shows_the_truth_table_annotated():
    fig = plots.plot_xor()
    _render(fig, "xor")
    ax = fig.axes[0]
    assert ax.get_title() == "El problema XOR"
    assert ax.get_xlabel() == "x₁" and ax.get_ylabel() == "x₂"
    texts = _texts(fig)
    assert "Clase 0" in texts and "Clase 1" in texts
    for a, b in ((0, 0), (0, 1), (1, 0), (1, 1)):
        assert f"({a}, {b}) → {a ^ b}" in texts
    # two scatter groups: two points each
    sizes = sorted(len(c.get_offsets()) for c in ax.collections)
    assert sizes == [2, 2]


def test_plot_xor_with_a_noisy_cloud_has_no_annotations():
    x, y = make_xor_cloud(120, seed=1)
    fig = plots.plot_xor(x, y)
    _render(fig, "xor_cloud")
    assert not any("→" in t for t in _texts(fig))
    assert sum(len(c.get_offsets()) for c in fig.axes[0].collections) == 120


def _contour_vertices(ax, level: float) -> np.ndarray:
    from matplotlib.contour import ContourSet

    for item in ax.collections:
        if isinstance(item, ContourSet) and not item.filled and list(item.levels) == [level]:
            return np.concatenate([p.vertices for p in item.get_paths() if len(p.vertices)])
    raise AssertionError(f"no hay línea de frontera en el nivel {level}")


def test_decision_boundary_of_a_keras_model_is_where_it_should_be():
    import keras

    model = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(1, activation="sigmoid")])
    model.layers[0].set_weights([np.array([[3.0], [3.0]]), np.array([-3.0])])  # x1 + x2 = 1
    x, y = load_xor()
    fig = plots.plot_decision_boundary(model, x, y)
    _render(fig, "decision_boundary_keras")
    ax = fig.axes[0]
    assert ax.get_title() == "Frontera de decisión"
    assert "Probabilidad de la clase 1" in _texts(fig)
    vertices = _contour_vertices(ax, 0.5)
    step = 2.0 / 200  # data span plus margins over the grid resolution
    assert np.all(np.abs(vertices.sum(axis=1) - 1.0) < 2 * step)


def test_decision_boundary_of_a_score_function_uses_threshold_zero():
    x, y = load_xor()
    fig = plots.plot_decision_boundary(
        lambda p: p[:, 0] - p[:, 1], x, y, class_names=["falso", "verdadero"]
    )
    _render(fig, "decision_boundary_scores")
    vertices = _contour_vertices(fig.axes[0], 0.0)
    assert np.all(np.abs(vertices[:, 0] - vertices[:, 1]) < 0.03)
    texts = _texts(fig)
    assert "Puntuación del modelo" in texts and "falso" in texts and "verdadero" in texts


def test_decision_boundary_of_a_multiclass_function_shows_each_class():
    rng = np.random.default_rng(0)
    centres = np.array([[0.0, 0.0], [3.0, 0.0], [0.0, 3.0]])
    x = np.repeat(centres, 30, axis=0) + rng.normal(0, 0.6, size=(90, 2))
    y = np.repeat([0, 1, 2], 30)

    def nearest_centre_probabilities(points):
        scores = -((points[:, None, :] - centres[None]) ** 2).sum(axis=-1)
        scores = np.exp(scores - scores.max(axis=1, keepdims=True))
        return scores / scores.sum(axis=1, keepdims=True)

    names = ["setosa", "versicolor", "virginica"]
    fig = plots.plot_decision_boundary(nearest_centre_probabilities, x, y, class_names=names)
    _render(fig, "decision_boundary_multiclass")
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert legend == names


def test_decision_boundary_accepts_a_scikit_learn_classifier():
    from sklearn.linear_model import LogisticRegression

    x, y = make_xor_cloud(80, seed=3)
    clf = LogisticRegression().fit(x, y)
    fig = plots.plot_decision_boundary(clf, x, y)
    _render(fig, "decision_boundary_sklearn")


@pytest.mark.parametrize(
    ("x", "y", "message"),
    [
        (np.zeros((4, 3)), np.zeros(4), "forma \\(n, 2\\)"),
        (np.zeros((4, 2)), np.zeros(3), "deben coincidir"),
        (np.zeros((4, 2)), np.array([0.5, 0.2, 0.1, 0.3]), "enteros"),
    ],
)
def test_decision_boundary_bad_data_gives_a_spanish_error(x, y, message):
    with pytest.raises(ValueError, match=message):
        plots.plot_decision_boundary(lambda p: p[:, 0], x, y)


def test_decision_boundary_rejects_a_non_model():
    x, y = load_xor()
    with pytest.raises(TypeError, match="modelo de Keras"):
        plots.plot_decision_boundary("modelo", x, y)


def test_decision_boundary_rejects_nan_predictions():
    x, y = load_xor()
    with pytest.raises(ValueError, match="NaN"):
        plots.plot_decision_boundary(lambda p: np.full(len(p), np.nan), x, y)


# ---------------------------------------------------------------------------
# Training curves
# ---------------------------------------------------------------------------

HISTORY = {
    "loss": [1.0, 0.7, 0.5, 0.4, 0.35],
    "val_loss": [1.1, 0.8, 0.6, 0.62, 0.7],
    "accuracy": [0.5, 0.6, 0.7, 0.8, 0.85],
    "val_accuracy": [0.45, 0.55, 0.72, 0.71, 0.7],
}


def test_plot_history_draws_training_and_validation_per_metric():
    fig = plots.plot_history(HISTORY)
    _render(fig, "history_dict")
    assert _axes_titles(fig) == ["Pérdida", "Exactitud (accuracy)"]
    texts = _texts(fig)
    assert "Curvas de entrenamiento" in texts
    assert texts.count("entrenamiento") == 2 and texts.count("validación") == 2
    # best validation epoch: lowest loss at epoch 3, highest accuracy at epoch 3
    assert texts.count("mejor validación (época 3)") == 2
    loss_axes = fig.axes[0]
    assert loss_axes.get_xlabel() == "Época"
    train_line = loss_axes.get_lines()[0]
    assert list(train_line.get_xdata()) == [1, 2, 3, 4, 5]
    assert list(train_line.get_ydata()) == HISTORY["loss"]


def test_plot_history_accepts_a_real_keras_history_and_metric_choice():
    import keras

    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    x, y = make_xor_cloud(40)
    history = model.fit(x, y, epochs=3, validation_split=0.25, verbose=0)
    fig = plots.plot_history(history, metrics=["loss"])
    _render(fig, "history_keras")
    assert _axes_titles(fig) == ["Pérdida"]
    assert len(fig.axes[0].get_lines()[0].get_xdata()) == 3


def test_plot_history_without_validation_has_no_best_marker():
    fig = plots.plot_history({"loss": [3.0, 2.0, 1.5], "mae": [1.0, 0.9, 0.8]})
    _render(fig, "history_no_validation")
    assert _axes_titles(fig) == ["Pérdida", "Error absoluto medio (MAE)"]
    assert not any("mejor" in t for t in _texts(fig))


def test_plot_history_on_a_log_scale_for_long_regressions():
    epochs = np.arange(500)
    history = {"loss": 30 * np.exp(-epochs / 40) + 1e-4}
    fig = plots.plot_history(history, log_scale=True, title="Hola mundo: 500 épocas")
    _render(fig, "history_log_scale")
    assert fig.axes[0].get_yscale() == "log"
    assert "Hola mundo: 500 épocas" in _texts(fig)
    with pytest.raises(ValueError, match="valores positivos"):
        plots.plot_history({"loss": [1.0, 0.0]}, log_scale=True)


@pytest.mark.parametrize(
    ("history", "metrics", "error", "message"),
    [
        ({}, None, ValueError, "vacío"),
        ([1, 2, 3], None, TypeError, "History"),
        (HISTORY, ["precision"], ValueError, "no tiene la serie 'precision'"),
    ],
)
def test_plot_history_bad_input_gives_a_spanish_error(history, metrics, error, message):
    with pytest.raises(error, match=message):
        plots.plot_history(history, metrics=metrics)


# ---------------------------------------------------------------------------
# Activations
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(plots.ACTIVATIONS))
def test_each_named_activation_is_plotted_with_its_exact_derivative(name):
    fig = plots.plot_activation(name)
    _render(fig, f"activation_{name}")
    ax = fig.axes[0]
    title_name = plots.ACTIVATIONS[name][0]
    assert ax.get_title() == f"Activación: {title_name}"
    assert ax.get_xlabel() == "z (entrada de la neurona)" and ax.get_ylabel() == "valor"
    function_line, derivative_line = (
        line for line in ax.get_lines() if line.get_label() in ("f(z)", "f′(z)")
    )
    z, values = function_line.get_xdata(), function_line.get_ydata()
    slope = derivative_line.get_ydata()
    numeric = np.gradient(values, z)
    smooth = np.abs(z) > 0.05  # away from the kinks of relu, leaky relu, elu, step
    np.testing.assert_allclose(slope[smooth][2:-2], numeric[smooth][2:-2], atol=2e-3)


def test_activation_values_match_keras():
    import keras

    for name in ("sigmoid", "tanh", "relu", "elu", "softplus", "softsign", "swish"):
        z = np.linspace(-5, 5, 41).astype("float32")
        ours = plots.ACTIVATIONS[name][1](z.astype(float))
        theirs = keras.ops.convert_to_numpy(getattr(keras.activations, name)(z))
        np.testing.assert_allclose(ours, theirs, atol=1e-5, err_msg=name)


def test_plot_activation_of_a_callable_uses_a_numerical_derivative():
    fig = plots.plot_activation(lambda z: 1 / (1 + np.exp(z)), name="1/(1+eᶻ)")
    _render(fig, "activation_custom")
    ax = fig.axes[0]
    assert ax.get_title() == "Activación: 1/(1+eᶻ)"
    assert "f′(z) (numérica)" in _texts(fig)
    derivative = next(line for line in ax.get_lines() if "numérica" in line.get_label())
    assert math.isclose(float(derivative.get_ydata()[400]), -0.25, abs_tol=1e-3)


def test_plot_activation_accepts_keras_activations_and_no_derivative():
    import keras

    fig = plots.plot_activation(keras.activations.relu, derivative=False, x_range=(-2, 2))
    _render(fig, "activation_keras_relu")
    assert [line.get_label() for line in fig.axes[0].get_lines() if line.get_label() == "f(z)"]
    assert not any("f′" in t for t in _texts(fig))
    assert fig.axes[0].get_title() == "Activación: relu"


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"fn": "sigmoidal"}, ValueError, "no conozco la activación"),
        ({"fn": 3}, TypeError, "nombre de una activación"),
        ({"fn": "relu", "x_range": (2, -2)}, ValueError, "mínimo < máximo"),
        ({"fn": lambda z: np.sum(z)}, ValueError, "elemento a elemento"),
    ],
)
def test_plot_activation_bad_input_gives_a_spanish_error(kwargs, error, message):
    with pytest.raises(error, match=message):
        plots.plot_activation(**kwargs)


# ---------------------------------------------------------------------------
# Loss surface
# ---------------------------------------------------------------------------

XS = np.array([-1.0, 0.0, 1.0, 2.0, 3.0, 4.0])
YS = 2 * XS - 1


def _mse(w, b):
    w = np.asarray(w, dtype=float)[..., None]
    b = np.asarray(b, dtype=float)[..., None]
    return ((w * XS + b - YS) ** 2).mean(axis=-1)


def _gradient_descent(lr: float, steps: int = 40) -> np.ndarray:
    point = np.array([-2.0, 2.0])
    path = [point.copy()]
    for _ in range(steps):
        error = point[0] * XS + point[1] - YS
        point = point - lr * np.array([2 * (error * XS).mean(), 2 * error.mean()])
        path.append(point.copy())
    return np.array(path)


def test_loss_surface_with_a_path_marks_start_end_and_minimum():
    path = _gradient_descent(0.05)
    fig = plots.plot_loss_surface(_mse, path, w_range=(-3, 4), b_range=(-3, 3))
    _render(fig, "loss_surface")
    ax = fig.axes[0]
    assert ax.get_title() == "Superficie de pérdida"
    assert ax.get_xlabel() == "parámetro w" and ax.get_ylabel() == "parámetro b"
    texts = _texts(fig)
    for label in (
        "Pérdida",
        "trayectoria del optimizador",
        "inicio",
        "final",
        "mínimo en la malla",
    ):
        assert label in texts
    line = next(li for li in ax.get_lines() if li.get_label() == "trayectoria del optimizador")
    np.testing.assert_allclose(line.get_xdata(), path[:, 0])
    minimum = next(li for li in ax.get_lines() if li.get_marker() == "X")
    assert abs(minimum.get_xdata()[0] - 2.0) < 0.05 and abs(minimum.get_ydata()[0] + 1.0) < 0.05


def test_loss_surface_compares_several_paths_on_a_log_scale():
    paths = {"η = 0.01": _gradient_descent(0.01), "η = 0.05": _gradient_descent(0.05)}
    fig = plots.plot_loss_surface(_mse, paths, log_scale=True)
    _render(fig, "loss_surface_paths_log")
    texts = _texts(fig)
    assert "η = 0.01" in texts and "η = 0.05" in texts and "log₁₀(pérdida)" in texts
    # automatic range covers every path
    w_low, w_high = fig.axes[0].get_xlim()
    for path in paths.values():
        assert w_low <= path[:, 0].min() and path[:, 0].max() <= w_high


def test_loss_surface_accepts_a_scalar_only_loss_function():
    fig = plots.plot_loss_surface(lambda w, b: math.exp(-(w**2)) + 0.1 * b**2, resolution=40)
    _render(fig, "loss_surface_scalar")
    assert fig.axes[0].get_xlim() == (-3.0, 3.0)


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "message"),
    [
        (("no es función",), {}, TypeError, "loss_fn"),
        ((_mse, np.zeros((5, 3))), {}, ValueError, "forma \\(pasos, 2\\)"),
        ((_mse,), {"w_range": (1, -1)}, ValueError, "mínimo, máximo"),
        ((lambda w, b: np.full_like(w, np.nan),), {}, ValueError, "no es finita"),
    ],
)
def test_loss_surface_bad_input_gives_a_spanish_error(args, kwargs, error, message):
    with pytest.raises(error, match=message):
        plots.plot_loss_surface(*args, **kwargs)


# ---------------------------------------------------------------------------
# Image grid
# ---------------------------------------------------------------------------


def _fake_images(n: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    images = np.zeros((n, 28, 28), dtype=np.uint8)
    for i in range(n):
        top, left = rng.integers(2, 12, size=2)
        images[i, top : top + 14, left : left + 10] = rng.integers(80, 255)
    return images


def test_image_grid_labels_predictions_green_when_right_and_red_when_wrong():
    green = matplotlib.colors.to_rgba(plots._OK_COLOR)
    red = matplotlib.colors.to_rgba(plots._BAD_COLOR)
    images = _fake_images(30)
    y_true = np.arange(30) % 10
    y_pred = y_true.copy()
    y_pred[[1, 4, 7]] = [6, 0, 5]  # three mistakes among the first 25
    fig = plots.plot_image_grid(images, y_true, y_pred)
    _render(fig, "image_grid")
    image_axes = [ax for ax in fig.axes if ax.images]
    assert len(image_axes) == 25
    for index, ax in enumerate(image_axes):
        label = ax.xaxis.label
        expected_name = (
            f"{FASHION_CLASSES_ES[y_pred[index]]}\n({FASHION_CLASSES_ES[y_true[index]]})"
        )
        assert label.get_text() == expected_name
        wrong = index in (1, 4, 7)
        assert label.get_color() in ((plots._BAD_COLOR,) if wrong else (plots._OK_COLOR,)) or (
            matplotlib.colors.to_rgba(label.get_color()) == (red if wrong else green)
        )
    texts = _texts(fig)
    assert "Predicción (clase real)" in texts
    assert any("22 de 25 aciertos" in t for t in texts)


def test_image_grid_accepts_probabilities_flat_images_and_fewer_cells():
    images = _fake_images(7).reshape(7, 784)
    y_true = np.array([0, 1, 2, 3, 4, 5, 6])
    probabilities = np.full((7, 10), 0.02)
    probabilities[np.arange(7), [0, 1, 2, 3, 4, 5, 0]] = 0.82
    fig = plots.plot_image_grid(images, y_true, probabilities, n_rows=2, n_cols=4)
    _render(fig, "image_grid_probabilities")
    image_axes = [ax for ax in fig.axes if ax.images]
    assert len(image_axes) == 7
    assert image_axes[6].xaxis.label.get_text() == "Camiseta/top 82%\n(Camisa)"


def test_image_grid_without_predictions_shows_true_names():
    fig = plots.plot_image_grid(_fake_images(6), [9, 8, 7, 6, 5, 4], n_rows=2, n_cols=3)
    _render(fig, "image_grid_true_only")
    labels = [ax.xaxis.label.get_text() for ax in fig.axes if ax.images]
    assert labels == ["Bota", "Bolso", "Zapatilla", "Camisa", "Sandalia", "Abrigo"]
    assert "Imágenes y su clase" in _texts(fig)


@pytest.mark.parametrize(
    ("images", "y_true", "kwargs", "message"),
    [
        (np.zeros((3, 28, 28)), [0, 1], {}, "3 imágenes y 2 etiquetas"),
        (np.zeros((3, 28, 28)), [0, 1, 12], {}, "class_names solo tiene 10"),
        (np.zeros((3, 10)), [0, 1, 2], {}, "no forman un cuadrado"),
        (np.zeros((3, 28, 28)), [0, 1, 2], {"n_rows": 0}, "n_rows debe ser un entero positivo"),
    ],
)
def test_image_grid_bad_input_gives_a_spanish_error(images, y_true, kwargs, message):
    with pytest.raises(ValueError, match=message):
        plots.plot_image_grid(images, y_true, **kwargs)


# ---------------------------------------------------------------------------
# Confusion matrix and most confused pairs
# ---------------------------------------------------------------------------


def _fashion_like_predictions(seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    y_true = np.repeat(np.arange(10), 50)
    y_pred = y_true.copy()
    shirts = np.flatnonzero(y_true == 6)
    y_pred[shirts[:15]] = 0  # Camisa -> Camiseta/top, the classic confusion
    tops = np.flatnonzero(y_true == 0)
    y_pred[tops[:6]] = 6
    pullovers = np.flatnonzero(y_true == 2)
    y_pred[pullovers[:9]] = 4  # Jersey -> Abrigo
    noise = rng.choice(len(y_true), 20, replace=False)
    y_pred[noise] = rng.integers(0, 10, 20)
    return y_true, y_pred


def test_confusion_matrix_shows_scikit_learn_counts_with_spanish_labels():
    from sklearn.metrics import confusion_matrix

    y_true, y_pred = _fashion_like_predictions()
    fig = plots.plot_confusion_matrix(y_true, y_pred, FASHION_CLASSES_ES)
    _render(fig, "confusion_matrix")
    ax = fig.axes[0]
    assert ax.get_title() == "Matriz de confusión"
    assert ax.get_xlabel() == "Clase predicha" and ax.get_ylabel() == "Clase real"
    assert [t.get_text() for t in ax.get_xticklabels()] == list(FASHION_CLASSES_ES)
    matrix = confusion_matrix(y_true, y_pred, labels=range(10))
    cells = [int(t.get_text()) for t in ax.texts]
    assert cells == matrix.ravel().tolist()
    assert "Número de ejemplos" in _texts(fig)


def test_confusion_matrix_normalised_from_probabilities():
    y_true = np.array([0, 0, 1, 1, 2, 2])
    probabilities = np.eye(3)[[0, 1, 1, 1, 2, 0]] * 0.9 + 0.03
    fig = plots.plot_confusion_matrix(y_true, probabilities, ["a", "b", "c"], normalize="true")
    _render(fig, "confusion_matrix_normalized")
    cells = [float(t.get_text()) for t in fig.axes[0].texts]
    assert cells == [0.5, 0.5, 0.0, 0.0, 1.0, 0.0, 0.5, 0.0, 0.5]
    assert "Proporción" in _texts(fig)


def test_confusion_matrix_bad_input_gives_a_spanish_error():
    with pytest.raises(ValueError, match="deben coincidir"):
        plots.plot_confusion_matrix([0, 1, 1], [0, 1])
    with pytest.raises(ValueError, match="normalize"):
        plots.plot_confusion_matrix([0, 1], [0, 1], normalize="filas")


def test_most_confused_pairs_lists_the_biggest_mistakes_first():
    y_true, y_pred = _fashion_like_predictions()
    frame = plots.most_confused_pairs(y_true, y_pred, FASHION_CLASSES_ES, top=3)
    assert list(frame.columns) == ["clase real", "predicha como", "errores", "% de la clase real"]
    assert len(frame) == 3
    first = frame.iloc[0]
    assert (first["clase real"], first["predicha como"]) == ("Camisa", "Camiseta/top")
    counts = frame["errores"].tolist()
    assert counts == sorted(counts, reverse=True)
    in_class = int(np.sum(y_true == 6))
    mistakes = int(np.sum((y_true == 6) & (y_pred == 0)))
    assert first["errores"] == mistakes
    assert first["% de la clase real"] == round(100 * mistakes / in_class, 1)


def test_most_confused_pairs_is_empty_without_mistakes_and_uses_numbers_without_names():
    assert plots.most_confused_pairs([0, 1, 2], [0, 1, 2]).empty
    frame = plots.most_confused_pairs([0, 0, 1], [1, 1, 1])
    assert frame.iloc[0].tolist() == ["Clase 0", "Clase 1", 2, 100.0]


def test_most_confused_pairs_bad_top_gives_a_spanish_error():
    with pytest.raises(ValueError, match="top debe ser un entero positivo"):
        plots.most_confused_pairs([0, 1], [1, 0], top=0)


# ---------------------------------------------------------------------------
# Headless safety and notebook display
# ---------------------------------------------------------------------------


def test_plots_leave_pyplot_and_the_backend_alone():
    import matplotlib.pyplot as plt

    backend = matplotlib.get_backend()
    before = plt.get_fignums()
    x, y = load_xor()
    figures = [
        plots.plot_xor(),
        plots.plot_decision_boundary(lambda p: p[:, 0] - 0.5, x, y),
        plots.plot_history(HISTORY),
        plots.plot_activation("tanh"),
        plots.plot_loss_surface(_mse, resolution=30),
        plots.plot_image_grid(_fake_images(4), [0, 1, 2, 3], n_rows=2, n_cols=2),
        plots.plot_confusion_matrix([0, 1, 1], [0, 1, 0]),
    ]
    assert all(isinstance(f, Figure) for f in figures)
    assert plt.get_fignums() == before
    assert matplotlib.get_backend() == backend


def test_plots_draw_into_a_given_axes():
    fig = Figure(figsize=(10, 4), layout="constrained")
    left, right = fig.subplots(1, 2)
    assert plots.plot_activation("relu", ax=left) is fig
    assert plots.plot_activation("tanh", ax=right) is fig
    _render(fig, "two_activations_side_by_side")
    assert [ax.get_title() for ax in (left, right)] == [
        "Activación: ReLU",
        "Activación: tangente hiperbólica",
    ]


def test_returned_figures_render_as_png_in_ipython():
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    fig = plots.plot_activation("sigmoid")
    data, _ = shell.display_formatter.format(fig)
    assert "image/png" in data
    png = data["image/png"]
    if isinstance(png, str):  # IPython >= 9 gives base64 text
        import base64

        png = base64.b64decode(png)
    assert png[:4] == b"\x89PNG"


def test_importing_plots_is_cheap():
    """``import course.plots`` loads neither TensorFlow nor pyplot."""
    import subprocess
    import sys

    code = (
        "import sys, course.plots\n"
        "heavy = [m for m in ('tensorflow', 'keras', 'matplotlib.pyplot', 'sklearn') if m in sys.modules]\n"
        "print(heavy)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert result.stdout.strip() == "[]"
