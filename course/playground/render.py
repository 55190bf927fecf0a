"""Pictures of a playground session, fast enough to redraw while it trains.

The live app never calls matplotlib: the decision boundary and the neuron maps
are coloured NumPy arrays encoded as PNG with :mod:`zlib` (a 300 x 300 picture
takes a few milliseconds), and the network and the loss curve are small SVG
strings. :func:`static_figure` draws the same state with matplotlib for places
without a browser (nbval, CI, a committed notebook).
"""

from __future__ import annotations

import base64
import struct
import zlib
from typing import TYPE_CHECKING

import numpy as np

from course.playground.data import EXTENT, FEATURES

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from course.playground.session import Session

#: Class colours: 0 orange, 1 blue (RGB 0-255).
ORANGE = np.array([245, 147, 34], dtype=np.float64)
BLUE = np.array([8, 119, 189], dtype=np.float64)
WHITE = np.array([255, 255, 255], dtype=np.float64)
ORANGE_HEX, BLUE_HEX = "#f59322", "#0877bd"


def _mix(values: np.ndarray) -> np.ndarray:
    """Colours for values in [-1, 1]: -1 orange, 0 white, +1 blue (pale, for backgrounds)."""
    v = np.clip(values, -1.0, 1.0)[..., None]
    strength = 0.75 * np.abs(v)
    target = np.where(v > 0, BLUE, ORANGE)
    return (WHITE * (1.0 - strength) + target * strength).astype(np.uint8)


def png_bytes(rgb: np.ndarray) -> bytes:
    """Encode an (h, w, 3) uint8 array as PNG (no filter, zlib level 1).

    Written out instead of calling Pillow: Pillow always tries its adaptive row
    filters, which made a 300 x 300 boundary 4 to 5 times slower to encode here
    (52 ms against 12 ms on a busy 2-core machine), and the app encodes one every frame.
    """
    h, w, _ = rgb.shape
    raw = np.empty((h, w * 3 + 1), dtype=np.uint8)
    raw[:, 0] = 0
    raw[:, 1:] = rgb.reshape(h, w * 3)

    def chunk(tag: bytes, data: bytes) -> bytes:
        body = tag + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw.tobytes(), 1))
        + chunk(b"IEND", b"")
    )


def _data_uri(rgb: np.ndarray) -> str:
    return "data:image/png;base64," + base64.b64encode(png_bytes(rgb)).decode("ascii")


def boundary_values(session: Session, resolution: int = 100) -> np.ndarray:
    """The network's output ``2p - 1`` on a grid (rows top to bottom), in [-1, 1]."""
    inputs, _ = session.grid_inputs(resolution)
    p = session.network.predict(inputs)
    return (2.0 * p - 1.0).reshape(resolution, resolution)


def _paint_points(img: np.ndarray, x: np.ndarray, y: np.ndarray, ring: np.ndarray) -> None:
    size = img.shape[0]
    big = len(x) < 20  # a handful of points (the 4-point XOR): draw them large
    reach, inner, outer = (7, 25, 45) if big else (3, 5, 9)
    cols = np.clip(
        ((x[:, 0] + EXTENT) / (2 * EXTENT) * (size - 1)).round().astype(int), 0, size - 1
    )
    rows = np.clip(
        ((EXTENT - x[:, 1]) / (2 * EXTENT) * (size - 1)).round().astype(int), 0, size - 1
    )
    fill = np.where(y[:, None] == 1, BLUE, ORANGE).astype(np.uint8)
    for dr in range(-reach, reach + 1):
        for dc in range(-reach, reach + 1):
            d2 = dr * dr + dc * dc
            if d2 > outer:
                continue
            r = np.clip(rows + dr, 0, size - 1)
            c = np.clip(cols + dc, 0, size - 1)
            img[r, c] = ring if d2 > inner else fill


def boundary_rgb(session: Session, resolution: int = 100, scale: int = 3) -> np.ndarray:
    """The decision boundary picture: background by output, train points ringed in white,
    test points ringed in black (``resolution * scale`` pixels a side)."""
    values = boundary_values(session, resolution)
    img = _mix(values)
    if scale > 1:
        img = np.repeat(np.repeat(img, scale, axis=0), scale, axis=1)
    img = np.ascontiguousarray(img)
    split = session.split
    _paint_points(img, split.x_test, split.y_test, np.array([40, 40, 40], dtype=np.uint8))
    _paint_points(img, split.x_train, split.y_train, np.array([255, 255, 255], dtype=np.uint8))
    return img


def boundary_png(session: Session, resolution: int = 100, scale: int = 3) -> bytes:
    return png_bytes(boundary_rgb(session, resolution, scale))


def neuron_values(session: Session, resolution: int = 24) -> list[np.ndarray]:
    """For each hidden layer, an array (units, res, res) of outputs scaled to [-1, 1]."""
    inputs, _ = session.grid_inputs(resolution)
    layers = session.network.hidden_outputs(inputs)
    maps = []
    for out in layers:
        scale = np.max(np.abs(out), axis=0)
        scale[scale == 0] = 1.0
        maps.append((out / scale).T.reshape(-1, resolution, resolution))
    return maps


def feature_values(session: Session, resolution: int = 24) -> np.ndarray:
    inputs, _ = session.grid_inputs(resolution)
    scale = np.max(np.abs(inputs), axis=0)
    scale[scale == 0] = 1.0
    return (inputs / scale).T.reshape(-1, resolution, resolution)


def _weight_colour(w: float) -> str:
    return BLUE_HEX if w > 0 else ORANGE_HEX


def network_svg(session: Session, width: int = 560, height: int = 330, tile: int = 30) -> str:
    """The network as SVG: inputs, hidden neurons (each a small map of what it computes)
    and the output; a line per weight, thicker for larger |w|, blue if positive and
    orange if negative."""
    net = session.network
    sizes = net.layer_sizes
    n_cols = len(sizes)
    xs = [int(50 + i * (width - 100) / max(n_cols - 1, 1)) for i in range(n_cols)]

    def ys(count: int) -> list[int]:
        gap = min(38, (height - 40) / max(count, 1))
        top = (height - gap * (count - 1)) / 2
        return [int(top + k * gap) for k in range(count)]

    pos = [[(xs[i], y) for y in ys(n)] for i, n in enumerate(sizes)]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" class="course-playground-red">'
    ]
    wmax = max(float(np.max(np.abs(w))) for w in net.weights) or 1.0
    for i, w in enumerate(net.weights):
        for a, (x0, y0) in enumerate(pos[i]):
            for b, (x1, y1) in enumerate(pos[i + 1]):
                value = float(w[a, b])
                thick = 0.4 + 5.0 * abs(value) / wmax
                parts.append(
                    f'<line x1="{x0}" y1="{y0}" x2="{x1}" y2="{y1}" stroke="{_weight_colour(value)}" '
                    f'stroke-width="{thick:.2f}" stroke-opacity="0.75"><title>peso {value:.3f}</title></line>'
                )
    half = tile // 2
    feats = feature_values(session)
    labels = [FEATURES[k] for k in session.features]
    for k, (x, y) in enumerate(pos[0]):
        parts.append(
            f'<image x="{x - half}" y="{y - half}" width="{tile}" height="{tile}" '
            f'href="{_data_uri(_mix(feats[k]))}"/>'
            f'<rect x="{x - half}" y="{y - half}" width="{tile}" height="{tile}" fill="none" stroke="#555"/>'
            f'<text x="{x - half - 4}" y="{y + 4}" font-size="12" text-anchor="end">{labels[k]}</text>'
        )
    for layer, maps in enumerate(neuron_values(session), start=1):
        for k, (x, y) in enumerate(pos[layer]):
            parts.append(
                f'<image x="{x - half}" y="{y - half}" width="{tile}" height="{tile}" '
                f'href="{_data_uri(_mix(maps[k]))}"><title>capa {layer}, neurona {k + 1}</title></image>'
                f'<rect x="{x - half}" y="{y - half}" width="{tile}" height="{tile}" fill="none" stroke="#555"/>'
            )
    x, y = pos[-1][0]
    parts.append(
        f'<circle cx="{x}" cy="{y}" r="10" fill="#ddd" stroke="#555"/>'
        f'<text x="{x}" y="{y + 28}" font-size="12" text-anchor="middle">salida</text>'
    )
    for i in range(1, n_cols - 1):
        parts.append(
            f'<text x="{xs[i]}" y="14" font-size="12" text-anchor="middle">capa oculta {i}</text>'
        )
    parts.append(f'<text x="{xs[0]}" y="14" font-size="12" text-anchor="middle">entradas</text>')
    parts.append("</svg>")
    return "".join(parts)


def loss_curve_svg(history: dict[str, list[float]], width: int = 300, height: int = 110) -> str:
    """Train (blue) and test (orange) loss per epoch as a small SVG chart."""
    train = np.asarray(history["loss"], dtype=float)
    test = np.asarray(history["val_loss"], dtype=float)
    finite = np.concatenate([train[np.isfinite(train)], test[np.isfinite(test)]])
    top = float(finite.max()) if finite.size else 1.0
    top = top if top > 0 else 1.0
    n = max(len(train) - 1, 1)

    def polyline(values: np.ndarray, colour: str) -> str:
        pts = " ".join(
            f"{4 + (width - 8) * i / n:.1f},{height - 16 - (height - 24) * min(v, top) / top:.1f}"
            for i, v in enumerate(values)
            if np.isfinite(v)
        )
        return f'<polyline points="{pts}" fill="none" stroke="{colour}" stroke-width="1.6"/>'

    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'class="course-playground-curva">'
        f'<rect width="{width}" height="{height}" fill="#fafafa" stroke="#ccc"/>'
        + polyline(test, ORANGE_HEX)
        + polyline(train, BLUE_HEX)
        + f'<text x="4" y="{height - 3}" font-size="10">época 0</text>'
        f'<text x="{width - 4}" y="{height - 3}" font-size="10" text-anchor="end">'
        f"época {len(train) - 1}</text>"
        f'<text x="{width - 4}" y="11" font-size="10" text-anchor="end" fill="{BLUE_HEX}">'
        f"entrenamiento</text>"
        f'<text x="{width - 4}" y="23" font-size="10" text-anchor="end" fill="{ORANGE_HEX}">prueba</text>'
        "</svg>"
    )


def _fmt(value: float) -> str:
    return "—" if not np.isfinite(value) else f"{value:.3f}"


def static_figure(session: Session) -> Figure:
    """The playground's state drawn with matplotlib (Spanish labels), for places with no
    browser: the network with its neuron maps, the decision boundary with train and
    test points, and the loss curves."""
    with np.errstate(over="ignore", invalid="ignore"):
        return _static_figure(session)


def _static_figure(session: Session) -> Figure:
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Rectangle

    fig = Figure(figsize=(11, 4.2), dpi=80, layout="constrained")
    grid = fig.add_gridspec(2, 3, width_ratios=[1.6, 1.2, 1.0], height_ratios=[1.0, 1.0])
    ax_net = fig.add_subplot(grid[:, 0])
    ax_map = fig.add_subplot(grid[:, 1])
    ax_loss = fig.add_subplot(grid[0, 2])
    ax_txt = fig.add_subplot(grid[1, 2])

    # the network
    net = session.network
    sizes = net.layer_sizes
    xs = np.linspace(0.0, 1.5, len(sizes))
    pos = [
        [(xs[i], y) for y in (np.linspace(0.92, 0.08, n) if n > 1 else [0.5])]
        for i, n in enumerate(sizes)
    ]
    wmax = max(float(np.max(np.abs(w))) for w in net.weights) or 1.0
    for i, w in enumerate(net.weights):
        for a, (x0, y0) in enumerate(pos[i]):
            for b, (x1, y1) in enumerate(pos[i + 1]):
                v = float(w[a, b])
                ax_net.plot(
                    [x0, x1],
                    [y0, y1],
                    color=_weight_colour(v),
                    alpha=0.75,
                    lw=0.3 + 4.0 * abs(v) / wmax,
                    zorder=1,
                )
    # Square tiles on axes that are not square (about 200 pixels per x unit, 300 per y unit).
    half, half_y = 0.05, 0.033
    feats = feature_values(session)
    for k, (x, y) in enumerate(pos[0]):
        box = (x - half, x + half, y - half_y, y + half_y)
        ax_net.imshow(_mix(feats[k]), extent=box, aspect="auto", zorder=2)
        ax_net.text(
            x - half - 0.01, y, FEATURES[session.features[k]], ha="right", va="center", fontsize=9
        )
    for layer, maps in enumerate(neuron_values(session), start=1):
        for k, (x, y) in enumerate(pos[layer]):
            box = (x - half, x + half, y - half_y, y + half_y)
            ax_net.imshow(_mix(maps[k]), extent=box, aspect="auto", zorder=2)
            # a frame, so that a neuron that outputs 0 everywhere (all white) still shows
            ax_net.add_patch(
                Rectangle(
                    (box[0], box[2]), 2 * half, 2 * half_y, fill=False, ec="#555", lw=0.6, zorder=3
                )
            )
    ox, oy = pos[-1][0]
    ax_net.scatter([ox], [oy], s=160, color="#ddd", edgecolor="#555", zorder=2)
    ax_net.text(ox, oy - 0.08, "salida", ha="center", fontsize=9)
    ax_net.set_xlim(-0.25, 1.55)
    ax_net.set_ylim(0.0, 1.0)
    ax_net.set_aspect("auto")
    ax_net.axis("off")
    ax_net.set_title("Red (líneas: peso positivo azul, negativo naranja)", fontsize=10)

    # the decision boundary
    ax_map.imshow(_mix(boundary_values(session, 100)), extent=(-EXTENT, EXTENT, -EXTENT, EXTENT))
    split = session.split
    groups = [(split.x_train, split.y_train, "white")]
    if not np.array_equal(split.x_test, split.x_train):  # the 4-point XOR tests on its 4 points
        groups.append((split.x_test, split.y_test, "#282828"))
    size = 70 if len(split.x_train) < 20 else 22
    for x, y, edge in groups:
        colours = np.where(y == 1, BLUE_HEX, ORANGE_HEX)
        ax_map.scatter(x[:, 0], x[:, 1], c=colours, edgecolors=edge, s=size, linewidths=1.0)
    ax_map.set_xlabel("x₁")
    ax_map.set_ylabel("x₂")
    ax_map.set_title("Frontera de decisión", fontsize=10)
    handles = [
        Line2D([], [], marker="o", ls="", color="#999", markeredgecolor=edge, label=label)
        for (_x, _y, edge), label in zip(groups, ("entrenamiento", "prueba"), strict=False)
    ]
    ax_map.legend(handles=handles, loc="lower left", fontsize=8, framealpha=0.8)

    # loss curves and numbers
    h = session.history
    epochs = np.arange(len(h["loss"]))
    ax_loss.plot(epochs, h["loss"], color=BLUE_HEX, label="entrenamiento")
    ax_loss.plot(epochs, h["val_loss"], color=ORANGE_HEX, label="prueba")
    ax_loss.set_xlabel("época")
    ax_loss.set_ylabel("pérdida")
    ax_loss.legend(fontsize=8)
    ax_loss.set_title("Pérdida (entropía cruzada)", fontsize=10)
    s = session.settings
    hidden = ", ".join(str(n) for n in s.capas_ocultas) or "ninguna"
    ax_txt.axis("off")
    ax_txt.text(
        0.0,
        1.0,
        f"Época: {session.epoch}\n"
        f"Pérdida de entrenamiento: {_fmt(session.train_loss)}\n"
        f"Pérdida de prueba: {_fmt(session.test_loss)}\n"
        f"Capas ocultas: {hidden}  ·  activación: {s.activacion}\n"
        f"Tasa de aprendizaje: {s.tasa_aprendizaje:g}  ·  lote: {s.tamano_lote}\n"
        f"Regularización: {s.regularizacion}"
        + (f" ({s.tasa_regularizacion:g})" if s.regularizacion != "ninguna" else ""),
        va="top",
        fontsize=9,
        family="monospace",
    )
    return fig
