"""The playground as an ipywidgets application for JupyterLab.

Training runs as an :mod:`asyncio` task on the kernel's own event loop (the
pattern of ipywidgets' "Asynchronous widgets" guide): each frame trains for
about 60 ms, redraws, then ``await asyncio.sleep(...)`` hands the loop back so
the kernel keeps answering the browser (Pausa, sliders, other cells) while the
network learns. Where no event loop is running (a front end that calls the
button handlers outside it) a daemon thread runs the same frames instead. All pictures are PNG/SVG built with NumPy (see
:mod:`course.playground.render`); matplotlib is not used in the live app.
"""

from __future__ import annotations

import asyncio
import html
import threading
import time
from typing import Any

import numpy as np

from course.playground import render
from course.playground.data import DATASETS, FEATURES
from course.playground.engine import MAX_HIDDEN_LAYERS, MAX_NEURONS, PlaygroundError
from course.playground.session import Session

LEARNING_RATES = (0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
REG_RATES = (0.0, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
ACTIVATION_LABELS = (
    ("ReLU", "relu"),
    ("tanh", "tanh"),
    ("sigmoide", "sigmoide"),
    ("lineal", "lineal"),
)
REG_LABELS = (("ninguna", "ninguna"), ("L1", "l1"), ("L2", "l2"))
FRAME_SECONDS = 0.06


def _fmt(value: float) -> str:
    return "—" if not np.isfinite(value) else f"{value:.3f}"


class PlaygroundApp:
    """Widgets around a :class:`Session`. Display it as the last value of a cell."""

    def __init__(self, session: Session) -> None:
        import ipywidgets as w

        self.session = session
        self.running = False
        self._task: asyncio.Task[None] | None = None
        self._busy = False  # True while settings are being written back to widgets
        # Serialises training frames and setting changes when frames run in a thread.
        self._lock = threading.RLock()
        s = session.settings
        lay = w.Layout
        narrow = {"description_width": "60px"}

        # ---- data
        self.w_data = w.Dropdown(
            options=[(label, key) for key, label in DATASETS.items()],
            value=s.datos,
            description="Datos",
            style=narrow,
            layout=lay(width="215px"),
        )
        self.w_noise = w.FloatSlider(
            value=s.ruido,
            min=0.0,
            max=0.5,
            step=0.05,
            description="Ruido",
            readout_format=".2f",
            continuous_update=False,
            style=narrow,
            layout=lay(width="215px"),
        )
        self.w_test = w.FloatSlider(
            value=s.proporcion_test,
            min=0.1,
            max=0.9,
            step=0.1,
            description="Prueba",
            readout_format=".0%",
            continuous_update=False,
            style=narrow,
            layout=lay(width="215px"),
        )
        self.w_seed = w.BoundedIntText(
            value=s.semilla,
            min=0,
            max=2**31 - 1,
            description="Semilla",
            style=narrow,
            layout=lay(width="215px"),
        )
        self.w_features = {
            key: w.Checkbox(
                value=key in s.caracteristicas,
                description=label,
                indent=False,
                layout=lay(width="110px"),
            )
            for key, label in FEATURES.items()
        }
        # ---- network
        self.w_activation = w.Dropdown(
            options=ACTIVATION_LABELS,
            value=s.activacion if s.activacion != "sigmoid" else "sigmoide",
            description="Activación",
            layout=lay(width="210px"),
        )
        self.w_lr = w.Dropdown(
            options=[(f"{v:g}", v) for v in _with(LEARNING_RATES, s.tasa_aprendizaje)],
            value=s.tasa_aprendizaje,
            description="Tasa de aprendizaje",
            style={"description_width": "initial"},
            layout=lay(width="210px"),
        )
        self.w_reg = w.Dropdown(
            options=REG_LABELS,
            value=s.regularizacion,
            description="Regularización",
            style={"description_width": "initial"},
            layout=lay(width="210px"),
        )
        self.w_reg_rate = w.Dropdown(
            options=[(f"{v:g}", v) for v in _with(REG_RATES, s.tasa_regularizacion)],
            value=s.tasa_regularizacion,
            description="Tasa de regularización",
            style={"description_width": "initial"},
            layout=lay(width="210px"),
        )
        self.w_batch = w.IntSlider(
            value=min(s.tamano_lote, 64),
            min=1,
            max=64,
            description="Tamaño del lote",
            style={"description_width": "initial"},
            continuous_update=False,
            layout=lay(width="260px"),
        )
        self.w_layers_label = w.HTML()
        self.w_layer_minus = w.Button(
            description="−", tooltip="Quitar una capa oculta", layout=lay(width="32px")
        )
        self.w_layer_plus = w.Button(
            description="+", tooltip="Añadir una capa oculta", layout=lay(width="32px")
        )
        self.w_neuron_rows = w.VBox()
        # ---- controls and read-outs
        self.w_train = w.Button(
            description="Entrenar", icon="play", button_style="success", layout=lay(width="120px")
        )
        self.w_step = w.Button(
            description="Un paso",
            icon="step-forward",
            tooltip="Entrena una época",
            layout=lay(width="110px"),
        )
        self.w_reset = w.Button(
            description="Reiniciar",
            icon="refresh",
            tooltip="Pesos iniciales de nuevo, época 0",
            layout=lay(width="110px"),
        )
        self.w_epoch = w.HTML()
        self.w_losses = w.HTML()
        self.w_message = w.HTML()
        self.w_curve = w.HTML()
        self.w_boundary = w.Image(format="png", width=280, height=280)
        self.w_network = w.HTML()

        self.w_train.on_click(self._on_train)
        self.w_step.on_click(self._on_step)
        self.w_reset.on_click(self._on_reset)
        self.w_layer_minus.on_click(lambda _b: self._change_layers(-1))
        self.w_layer_plus.on_click(lambda _b: self._change_layers(+1))
        for widget, name in (
            (self.w_data, "datos"),
            (self.w_noise, "ruido"),
            (self.w_test, "proporcion_test"),
            (self.w_seed, "semilla"),
            (self.w_activation, "activacion"),
            (self.w_lr, "tasa_aprendizaje"),
            (self.w_reg, "regularizacion"),
            (self.w_reg_rate, "tasa_regularizacion"),
            (self.w_batch, "tamano_lote"),
        ):
            widget.observe(self._setter(name), names="value")
        for box in self.w_features.values():
            box.observe(self._on_features, names="value")

        def title(text: str) -> Any:
            return w.HTML(f"<b>{html.escape(text)}</b>")

        feature_grid = w.GridBox(
            list(self.w_features.values()),
            layout=lay(grid_template_columns="repeat(2, 115px)"),
        )
        left = w.VBox(
            [
                title("Datos"),
                self.w_data,
                self.w_noise,
                self.w_test,
                self.w_seed,
                title("Características de entrada"),
                feature_grid,
            ],
            layout=lay(width="225px"),
        )
        middle = w.VBox(
            [
                w.HBox([self.w_layer_minus, self.w_layer_plus, self.w_layers_label]),
                self.w_neuron_rows,
                self.w_network,
                w.HBox([self.w_activation, self.w_lr]),
                w.HBox([self.w_reg, self.w_reg_rate]),
                self.w_batch,
            ],
            layout=lay(width="430px"),
        )
        right = w.VBox(
            [title("Salida"), self.w_losses, self.w_curve, self.w_boundary],
            layout=lay(width="290px"),
        )
        bar = w.HBox(
            [self.w_train, self.w_step, self.w_reset, self.w_epoch, self.w_message],
            layout=lay(align_items="center"),
        )
        self.widget = w.VBox([bar, w.HBox([left, middle, right], layout=lay(flex_flow="row wrap"))])
        self.widget.add_class("course-playground")
        self._build_neuron_rows()
        self.refresh()

    # ------------------------------------------------------------ settings
    def _setter(self, name: str):
        def handler(change: dict[str, Any]) -> None:
            if not self._busy:
                self._apply(**{name: change["new"]})

        return handler

    def _apply(self, **changes: Any) -> None:
        try:
            with self._lock:
                self.session.update(**changes)
        except PlaygroundError as exc:
            self.w_message.value = f'<span style="color:#b00">{html.escape(str(exc))}</span>'
            return
        self.w_message.value = ""
        self.refresh()

    def _on_features(self, _change: dict[str, Any]) -> None:
        chosen = tuple(k for k, box in self.w_features.items() if box.value)
        if not chosen:
            self.w_message.value = (
                '<span style="color:#b00">Deja al menos una característica activada.</span>'
            )
            return
        self._apply(caracteristicas=chosen)

    def _change_layers(self, delta: int) -> None:
        hidden = list(self.session.settings.capas_ocultas)
        if delta > 0 and len(hidden) < MAX_HIDDEN_LAYERS:
            hidden.append(hidden[-1] if hidden else 4)
        elif delta < 0 and hidden:
            hidden.pop()
        else:
            return
        self._apply(capas_ocultas=tuple(hidden))
        self._build_neuron_rows()

    def _change_neurons(self, layer: int, delta: int) -> None:
        hidden = list(self.session.settings.capas_ocultas)
        new = hidden[layer] + delta
        if not 1 <= new <= MAX_NEURONS:
            return
        hidden[layer] = new
        self._apply(capas_ocultas=tuple(hidden))
        self._build_neuron_rows()

    def _build_neuron_rows(self) -> None:
        import ipywidgets as w

        rows = []
        for i, n in enumerate(self.session.settings.capas_ocultas):
            minus = w.Button(
                description="−",
                tooltip=f"Quitar una neurona de la capa {i + 1}",
                layout=w.Layout(width="32px"),
            )
            plus = w.Button(
                description="+",
                tooltip=f"Añadir una neurona a la capa {i + 1}",
                layout=w.Layout(width="32px"),
            )
            minus.on_click(lambda _b, i=i: self._change_neurons(i, -1))
            plus.on_click(lambda _b, i=i: self._change_neurons(i, +1))
            minus.add_class(f"course-playground-menos-{i + 1}")
            plus.add_class(f"course-playground-mas-{i + 1}")
            label = w.HTML(f"capa {i + 1}: <b>{n}</b> neurona{'s' if n != 1 else ''}")
            rows.append(w.HBox([minus, plus, label]))
        self.w_neuron_rows.children = rows
        n_layers = len(self.session.settings.capas_ocultas)
        plural = "s" if n_layers != 1 else ""
        self.w_layers_label.value = f"<b>{n_layers}</b> capa{plural} oculta{plural}"

    # ------------------------------------------------------------- controls
    def _on_train(self, _button: Any = None) -> None:
        if self.running:
            self.pause()
        else:
            self.start()

    def start(self) -> None:
        """Start training in the background (an asyncio task on the kernel's loop)."""
        if self.running:
            return
        self.running = True
        self.w_train.description, self.w_train.icon = "Pausa", "pause"
        self.w_train.button_style = "warning"
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # a front end that does not run the kernel's loop: use a thread
            self._task = None
            threading.Thread(target=self._thread_loop, daemon=True).start()
        else:
            self._task = loop.create_task(self._loop())

    def pause(self) -> None:
        self.running = False
        self.w_train.description, self.w_train.icon = "Entrenar", "play"
        self.w_train.button_style = "success"

    def _on_step(self, _button: Any = None) -> None:
        self.pause()
        with self._lock:
            self.session.train(1)
            self.refresh()

    def _on_reset(self, _button: Any = None) -> None:
        self.pause()
        with self._lock:
            self.session.reset()
            self.w_message.value = ""
            self.refresh()

    def train_frame(self, budget: float = FRAME_SECONDS) -> int:
        """Train whole epochs for about ``budget`` seconds, then redraw; the epochs done."""
        with self._lock:
            return self._train_frame(budget)

    def _train_frame(self, budget: float) -> int:
        start, done = time.perf_counter(), 0
        while True:
            self.session.train(1)
            done += 1
            if not np.isfinite(self.session.train_loss):
                self.pause()
                self.w_message.value = (
                    '<span style="color:#b00">La pérdida se ha disparado (ya no es un número): '
                    "la tasa de aprendizaje es demasiado alta. Bájala y pulsa Reiniciar.</span>"
                )
                break
            if time.perf_counter() - start >= budget:
                break
        self.refresh()
        return done

    async def _loop(self) -> None:
        try:
            while self.running:
                self.train_frame()
                await asyncio.sleep(0.03)  # let the kernel handle clicks and redraws
        finally:
            self.running = False

    def _thread_loop(self) -> None:
        try:
            while self.running:
                self.train_frame()
                time.sleep(0.03)
        finally:
            self.running = False

    # -------------------------------------------------------------- redraw
    def refresh(self) -> None:
        with np.errstate(over="ignore", invalid="ignore"):
            self._redraw()

    def _redraw(self) -> None:
        s = self.session
        # the 4-point XOR has neither noise nor spare points for a test set
        self.w_noise.disabled = self.w_test.disabled = s.settings.datos == "xor"
        self.w_epoch.value = f'<span class="course-playground-epoca">Época: <b>{s.epoch}</b></span>'
        self.w_losses.value = (
            f'<div class="course-playground-perdidas">Pérdida de entrenamiento: '
            f'<b class="perdida-entrenamiento">{_fmt(s.train_loss)}</b><br>'
            f'Pérdida de prueba: <b class="perdida-prueba">{_fmt(s.test_loss)}</b></div>'
        )
        self.w_curve.value = render.loss_curve_svg(s.history, width=280)
        self.w_boundary.value = render.boundary_png(s)
        self.w_network.value = render.network_svg(s, width=425, height=300)

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)


def _with(values: tuple[float, ...], extra: float) -> tuple[float, ...]:
    return tuple(sorted(set(values) | {float(extra)}))
