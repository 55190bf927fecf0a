"""One playground run: settings, data, network, epoch counter and history.

Both the widget app and :func:`entrenar_en_playground` drive a
:class:`Session`, so the widgets and the function API train exactly the same
way (same data, same initial weights, same shuffling for the same seed).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from course.playground.data import DATASETS, Split, feature_keys, make_dataset, make_features
from course.playground.engine import (
    Network,
    PlaygroundError,
    keras_activation,
    regularization_kind,
    validate_hidden,
)


@dataclass(frozen=True)
class Settings:
    """Everything the student can choose (Spanish names, as in the app)."""

    datos: str = "nube_xor"
    ruido: float = 0.1
    proporcion_test: float = 0.5
    n_puntos: int = 200
    semilla: int = 0
    caracteristicas: tuple[str, ...] = ("x1", "x2")
    capas_ocultas: tuple[int, ...] = (4,)
    activacion: str = "tanh"
    tasa_aprendizaje: float = 0.03
    regularizacion: str = "ninguna"
    tasa_regularizacion: float = 0.0
    tamano_lote: int = 10

    def validated(self) -> Settings:
        """A copy in canonical form; a Spanish :class:`PlaygroundError` for bad values."""
        if str(self.datos).strip().lower() not in DATASETS:
            raise PlaygroundError(
                f"Conjunto de datos desconocido: {self.datos!r}. Elige uno de: {', '.join(DATASETS)}."
            )
        keras_activation(self.activacion)
        reg = regularization_kind(self.regularizacion)
        lr = _positive(self.tasa_aprendizaje, "tasa_aprendizaje", allow_zero=False)
        reg_rate = _positive(self.tasa_regularizacion, "tasa_regularizacion", allow_zero=True)
        batch = self.tamano_lote
        if isinstance(batch, bool) or not isinstance(batch, (int, np.integer)) or batch < 1:
            raise PlaygroundError(
                f"tamano_lote debe ser un entero positivo (ejemplos por paso); se recibió {batch!r}."
            )
        return replace(
            self,
            datos=str(self.datos).strip().lower(),
            caracteristicas=feature_keys(self.caracteristicas),
            capas_ocultas=validate_hidden(self.capas_ocultas),
            activacion=str(self.activacion).strip().lower(),
            tasa_aprendizaje=lr,
            regularizacion="ninguna" if reg is None else reg.lower(),
            tasa_regularizacion=reg_rate,
            tamano_lote=int(batch),
        )


def _positive(value: float, name: str, *, allow_zero: bool) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise PlaygroundError(f"{name} debe ser un número; se recibió {value!r}.") from None
    if not np.isfinite(v) or v < 0 or (v == 0 and not allow_zero):
        limit = "mayor o igual que 0" if allow_zero else "mayor que 0"
        raise PlaygroundError(f"{name} debe ser un número {limit}; se recibió {value!r}.")
    return v


@dataclass
class Session:
    """A playground run that can be stepped epoch by epoch."""

    settings: Settings
    split: Split = field(init=False)
    network: Network = field(init=False)
    epoch: int = field(init=False, default=0)
    history: dict[str, list[float]] = field(init=False)

    def __post_init__(self) -> None:
        self.settings = self.settings.validated()
        self.reset(new_data=True)

    # ------------------------------------------------------------------ set-up
    def reset(self, *, new_data: bool = False) -> None:
        """New initial weights (from the seed), epoch 0, empty history."""
        s = self.settings
        if new_data:
            self.split = make_dataset(s.datos, s.n_puntos, s.ruido, s.proporcion_test, s.semilla)
        self.features = s.caracteristicas
        self.f_train = make_features(self.split.x_train, self.features)
        self.f_test = make_features(self.split.x_test, self.features)
        self.network = Network.create(
            len(self.features),
            s.capas_ocultas,
            s.activacion,
            None if s.regularizacion == "ninguna" else s.regularizacion,
            s.tasa_regularizacion,
            seed=s.semilla,
        )
        self.rng = np.random.default_rng([s.semilla, 1])
        self.epoch = 0
        self.history = {"loss": [], "val_loss": [], "accuracy": [], "val_accuracy": []}
        self._record()

    def update(self, **changes: object) -> None:
        """Change settings. Data and architecture changes restart training; the learning
        rate, regularisation rate and batch size apply from the next step on."""
        if not changes:
            return
        unknown = set(changes) - set(Settings.__dataclass_fields__)
        if unknown:
            raise PlaygroundError(f"Ajuste desconocido: {sorted(unknown)[0]!r}.")
        old = self.settings
        self.settings = replace(old, **changes).validated()  # type: ignore[arg-type]
        new = self.settings
        data_keys = ("datos", "ruido", "proporcion_test", "n_puntos", "semilla")
        net_keys = ("caracteristicas", "capas_ocultas", "activacion", "regularizacion")
        if any(getattr(old, k) != getattr(new, k) for k in data_keys):
            self.reset(new_data=True)
        elif any(getattr(old, k) != getattr(new, k) for k in net_keys):
            self.reset()
        else:
            self.network.reg_rate = new.tasa_regularizacion

    # ---------------------------------------------------------------- training
    def _record(self) -> None:
        net, h = self.network, self.history
        h["loss"].append(net.data_loss(self.f_train, self.split.y_train))
        h["val_loss"].append(net.data_loss(self.f_test, self.split.y_test))
        h["accuracy"].append(net.accuracy(self.f_train, self.split.y_train))
        h["val_accuracy"].append(net.accuracy(self.f_test, self.split.y_test))

    def train(self, epochs: int = 1) -> None:
        """Train ``epochs`` more epochs, recording losses after each."""
        s = self.settings
        # A learning rate far too large makes the weights overflow: the loss then reads
        # nan and the app says so, instead of NumPy printing warnings in the notebook.
        with np.errstate(over="ignore", invalid="ignore"):
            for _ in range(int(epochs)):
                self.network.train_epoch(
                    self.f_train, self.split.y_train, s.tasa_aprendizaje, s.tamano_lote, self.rng
                )
                self.epoch += 1
                self._record()

    @property
    def train_loss(self) -> float:
        return self.history["loss"][-1]

    @property
    def test_loss(self) -> float:
        return self.history["val_loss"][-1]

    def grid_inputs(self, resolution: int) -> tuple[np.ndarray, np.ndarray]:
        """Feature matrix of a ``resolution x resolution`` grid over the data square,
        rows from top (x2 = +3) to bottom, and the grid's 2-D points."""
        from course.playground.data import EXTENT

        axis = np.linspace(-EXTENT, EXTENT, resolution)
        g1, g2 = np.meshgrid(axis, axis[::-1])
        points = np.stack([g1.ravel(), g2.ravel()], axis=1)
        return make_features(points, self.features), points


def settings_from(
    datos: str = "nube_xor",
    *,
    capas_ocultas: Sequence[int] | int = (4,),
    caracteristicas: Sequence[str] = ("x1", "x2"),
    **rest: object,
) -> Settings:
    """Settings from keyword arguments, with a Spanish error for unknown names."""
    unknown = set(rest) - set(Settings.__dataclass_fields__)
    if unknown:
        raise PlaygroundError(
            f"Argumento desconocido: {sorted(unknown)[0]!r}. Los ajustes son: "
            f"{', '.join(Settings.__dataclass_fields__)}."
        )
    hidden = validate_hidden(capas_ocultas)
    feats = feature_keys(caracteristicas)
    return Settings(datos=datos, capas_ocultas=hidden, caracteristicas=feats, **rest).validated()  # type: ignore[arg-type]
