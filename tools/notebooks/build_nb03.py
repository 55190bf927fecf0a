"""Write notebooks/03_funciones_de_perdida.ipynb (sources only; execute it afterwards).

Usage::

    .venv/bin/python tools/notebooks/build_nb03.py
    COURSE_DATA_DIR=... .venv/bin/jupyter nbconvert --to notebook --execute --inplace \
        notebooks/03_funciones_de_perdida.ipynb
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

OUT = Path(__file__).resolve().parents[2] / "notebooks" / "03_funciones_de_perdida.ipynb"
CELLS: list = []


def md(text: str) -> None:
    CELLS.append(new_markdown_cell(text.strip("\n")))


def code(text: str, tags: list[str] | None = None) -> None:
    cell = new_code_cell(text.strip("\n"))
    if tags:
        cell.metadata["tags"] = tags
    CELLS.append(cell)


# --------------------------------------------------------------------------- intro
md(r"""
# 03 — Funciones de pérdida

Para entrenar una red necesitamos un número que diga **cuánto se equivoca**: la función de
pérdida. El entrenamiento consiste en mover los pesos para que ese número baje. En este
cuaderno veremos:

1. la diferencia entre la **pérdida** de un ejemplo, el **coste** sobre todo el conjunto y las **métricas**;
2. las pérdidas de **regresión**: MSE (con un ejemplo resuelto), MAE, MAPE, MSLE, Huber y log-cosh;
3. las de **clasificación**: entropía cruzada binaria, categórica y *sparse*, hinge, y de pasada Poisson y KL;
4. cómo programarlas en NumPy y comprobar que coinciden con `keras.losses`;
5. qué pérdida va con qué capa de salida (**los tres escenarios**) y qué pasa si se mezclan mal.
""")

code(r"""
from course.setup import notebook_setup

notebook_setup(seed=42)

import keras
import matplotlib.pyplot as plt
import numpy as np
from keras.layers import Dense

from course.practice import nb03 as practica
""")

# --------------------------------------------------------------------------- loss vs cost
md(r"""
## 1. Pérdida, coste y métricas

- La **pérdida** $J_i$ mide el error en **un** ejemplo: compara la predicción $f_\Theta(\mathbf{x}_i)$
  con la respuesta correcta $y_i$.
- El **coste** es la media de las pérdidas sobre los $N$ ejemplos; es lo que el entrenamiento
  minimiza ajustando los parámetros $\Theta$:

$$
J(\Theta) = \frac{1}{N}\sum_{i=1}^{N} J_i\big(f_\Theta(\mathbf{x}_i),\, y_i\big).
$$

En la práctica (y en Keras) se llama «pérdida» a las dos cosas. Lo importante es la diferencia
con las **métricas** (`metrics=` en `compile`): la pérdida es lo que se **minimiza** (de ella
salen los gradientes), mientras que las métricas solo se **vigilan** para que las entendamos
nosotros (por ejemplo, la exactitud). Por eso la pérdida tiene que ser derivable y una
métrica no.

Keras puede devolver la pérdida de cada ejemplo (`reduction=None`) o su media (lo normal):
""")

code(r"""
# NBVAL_CHECK_OUTPUT
y_true = np.array([4.0, 1.0, 4.0, 2.0, 0.0])
y_pred = np.array([3.0, 3.0, 4.0, 3.0, 3.0])

per_example = keras.losses.MeanSquaredError(reduction=None)(y_true.reshape(-1, 1), y_pred.reshape(-1, 1))
cost = keras.losses.MeanSquaredError()(y_true.reshape(-1, 1), y_pred.reshape(-1, 1))
print("pérdida de cada ejemplo:", keras.ops.convert_to_numpy(per_example))
print("coste (la media):", float(cost))
""")

# --------------------------------------------------------------------------- regression
md(r"""
## 2. Pérdidas para regresión

### Error cuadrático medio (MSE)

$$
\text{MSE} = \frac{1}{N}\sum_{k=1}^{N} \big(y_k - \hat{y}_k\big)^2
$$

Ejemplo resuelto con los datos de arriba: $\mathbf{y} = [4, 1, 4, 2, 0]$ y
$\hat{\mathbf{y}} = [3, 3, 4, 3, 3]$.

| $k$ | $y_k$ | $\hat{y}_k$ | $y_k - \hat{y}_k$ | $(y_k - \hat{y}_k)^2$ |
|---|---|---|---|---|
| 1 | 4 | 3 | 1 | 1 |
| 2 | 1 | 3 | −2 | 4 |
| 3 | 4 | 4 | 0 | 0 |
| 4 | 2 | 3 | −1 | 1 |
| 5 | 0 | 3 | −3 | 9 |

$$
\text{MSE} = \frac{1}{5}\,(1 + 4 + 0 + 1 + 9) = \frac{15}{5} = 3 .
$$
""")

code(r"""
# NBVAL_CHECK_OUTPUT
def mse_np(y_true, y_pred):
    return np.mean((y_true - y_pred) ** 2)


squared_errors = (y_true - y_pred) ** 2
print("errores al cuadrado:", squared_errors)
print("suma:", squared_errors.sum(), "→ MSE =", mse_np(y_true, y_pred))
print("MSE == 3:", bool(np.isclose(mse_np(y_true, y_pred), 3.0)))
""")

md(r"""
Al elevar al cuadrado, un error de 3 pesa 9 veces más que un error de 1: MSE castiga mucho
los errores grandes (y por tanto los **valores atípicos**).

### Error absoluto medio (MAE)

$$
\text{MAE} = \frac{1}{N}\sum_{i=1}^{N} \lvert y_i - \hat{y}_i\rvert
$$

Cada error cuenta en proporción a su tamaño: es más robusto frente a atípicos. Con el mismo
ejemplo: $(1 + 2 + 0 + 1 + 3)/5 = 1.4$.

### Error porcentual absoluto medio (MAPE)

$$
\text{MAPE} = \frac{100}{N}\sum_{i=1}^{N} \left\lvert \frac{y_i - \hat{y}_i}{y_i}\right\rvert
$$

Mide el error **relativo**, en porcentaje. Cuidado: si algún $y_i$ es 0 se divide por cero
(Keras lo evita dividiendo por un número diminuto, y el resultado se dispara).

### Error logarítmico cuadrático medio (MSLE)

$$
\text{MSLE} = \frac{1}{N}\sum_{i=1}^{N} \big(\ln(1 + y_i) - \ln(1 + \hat{y}_i)\big)^2
$$

Compara órdenes de magnitud: útil cuando los valores van de decenas a millones (precios,
visitas). Solo tiene sentido con valores no negativos.

### Huber

Cuadrática para errores pequeños y lineal para los grandes, con el cambio en $\delta$
(en Keras, $\delta = 1$ por defecto). Con $e = y - \hat{y}$:

$$
L_\delta(e) = \begin{cases} \tfrac{1}{2}e^2 & \text{si } |e| \le \delta \\
\delta\left(|e| - \tfrac{1}{2}\delta\right) & \text{si } |e| > \delta \end{cases}
$$

### log-cosh

$$
L(e) = \ln(\cosh e)
$$

Se parece a $e^2/2$ cerca de 0 y a $|e| - \ln 2$ lejos: una versión suave de Huber, derivable
dos veces en todas partes.
""")

code(r"""
def mae_np(y_true, y_pred):
    return np.mean(np.abs(y_true - y_pred))


def mape_np(y_true, y_pred):
    return 100 * np.mean(np.abs((y_true - y_pred) / y_true))


def msle_np(y_true, y_pred):
    return np.mean((np.log1p(y_true) - np.log1p(y_pred)) ** 2)


def huber_np(y_true, y_pred, delta=1.0):
    e = np.abs(y_true - y_pred)
    return np.mean(np.where(e <= delta, 0.5 * e**2, delta * (e - 0.5 * delta)))


def log_cosh_np(y_true, y_pred):
    return np.mean(np.log(np.cosh(y_pred - y_true)))
""")

code(r"""
# NBVAL_CHECK_OUTPUT
print(f"MAE      = {mae_np(y_true, y_pred):.4f}")
print(f"Huber    = {huber_np(y_true, y_pred):.4f}   (0.5 + 1.5 + 0 + 0.5 + 2.5) / 5")
print(f"log-cosh = {log_cosh_np(y_true, y_pred):.4f}")
print(f"MSLE     = {msle_np(y_true, y_pred):.4f}")
print("MAE == 1.4:", bool(np.isclose(mae_np(y_true, y_pred), 1.4)),
      "| Huber == 1.0:", bool(np.isclose(huber_np(y_true, y_pred), 1.0)))

with np.errstate(divide="ignore"):
    print("MAPE con un y_true = 0:", mape_np(y_true, y_pred))
y_pos, y_pos_pred = np.array([100.0, 50.0, 20.0]), np.array([110.0, 45.0, 20.0])
print(f"MAPE con [100, 50, 20] y [110, 45, 20]: {mape_np(y_pos, y_pos_pred):.2f} %")
""")

md(r"""
Dibujemos cada pérdida en función del error $e = y - \hat{y}$ de un solo ejemplo:
""")

code(r"""
e = np.linspace(-4, 4, 401)
zero = np.zeros_like(e)
fig, ax = plt.subplots(figsize=(7, 4.2))
ax.plot(e, e**2, linewidth=2, label="MSE: e²")
ax.plot(e, np.abs(e), linewidth=2, label="MAE: |e|")
ax.plot(e, [huber_np(0.0, v) for v in e], linewidth=2, label="Huber (δ = 1)")
ax.plot(e, np.log(np.cosh(e)), linewidth=2, linestyle="--", label="log-cosh")
ax.set_ylim(0, 8)
ax.set_xlabel("error e = y − ŷ")
ax.set_ylabel("pérdida de un ejemplo")
ax.set_title("Pérdidas de regresión")
ax.grid(alpha=0.3)
ax.legend()
plt.show()
""")

md(r"""
¿Qué ocurre con un **valor atípico**? Cambiamos el último valor real de 0 a 30, como si
hubiera un error de medida:
""")

code(r"""
# NBVAL_CHECK_OUTPUT
y_outlier = np.array([4.0, 1.0, 4.0, 2.0, 30.0])
for name, loss in [("MSE", mse_np), ("MAE", mae_np), ("Huber", huber_np), ("log-cosh", log_cosh_np)]:
    before, after = loss(y_true, y_pred), loss(y_outlier, y_pred)
    print(f"{name:>8}: {before:6.2f} → {after:7.2f}  (× {after / before:.1f})")
""")

md(r"""
MSE se multiplica por más de 40; MAE, Huber y log-cosh crecen mucho menos. Si tus datos
tienen atípicos que no quieres que dominen el entrenamiento, MAE o Huber son buenas opciones.

Ahora comparemos nuestras versiones con las de `keras.losses` (con valores positivos para
que MAPE y MSLE tengan sentido):
""")

code(r"""
# NBVAL_CHECK_OUTPUT
rng = np.random.default_rng(0)
a = rng.uniform(1, 10, size=20)
b = rng.uniform(1, 10, size=20)
regression_pairs = {
    "mean_squared_error": (keras.losses.mean_squared_error, mse_np),
    "mean_absolute_error": (keras.losses.mean_absolute_error, mae_np),
    "mean_absolute_percentage_error": (keras.losses.mean_absolute_percentage_error, mape_np),
    "mean_squared_logarithmic_error": (keras.losses.mean_squared_logarithmic_error, msle_np),
    "huber": (keras.losses.huber, huber_np),
    "log_cosh": (keras.losses.log_cosh, log_cosh_np),
}
for name, (keras_loss, ours) in regression_pairs.items():
    agree = np.isclose(float(keras_loss(a, b)), ours(a, b), rtol=1e-5)
    print(f"keras.losses.{name:<31} == NumPy: {agree}")
""")

# --------------------------------------------------------------------------- classification
md(r"""
## 3. Pérdidas para clasificación

### Entropía cruzada binaria (BCE)

Para dos clases la red tiene **una** neurona de salida con **sigmoide**, que da $p = P(y=1)$.
La etiqueta $y$ es 0 o 1:

$$
\text{BCE} = -\frac{1}{N}\sum_{i=1}^{N} \Big[\, y_i \ln p_i + (1 - y_i)\ln(1 - p_i) \,\Big]
$$

Si $y = 1$ la pérdida es $-\ln p$: vale 0 si $p = 1$ y crece sin límite cuando $p \to 0$. Una
predicción **segura y equivocada** cuesta muchísimo. Como $\ln 0 = -\infty$, en la práctica se
recortan las probabilidades a $[\varepsilon, 1-\varepsilon]$ (Keras usa $\varepsilon = 10^{-7}$).
""")

code(r"""
p = np.linspace(0.001, 0.999, 500)
fig, ax = plt.subplots(figsize=(6.5, 4))
ax.plot(p, -np.log(p), linewidth=2, label="etiqueta y = 1: −ln(p)")
ax.plot(p, -np.log(1 - p), linewidth=2, label="etiqueta y = 0: −ln(1 − p)")
ax.set_ylim(0, 6)
ax.set_xlabel("probabilidad predicha p = P(y = 1)")
ax.set_ylabel("pérdida de un ejemplo")
ax.set_title("Entropía cruzada binaria")
ax.grid(alpha=0.3)
ax.legend()
plt.show()
""")

md(r"""
### Entropía cruzada categórica (CCE)

Para $C$ clases la salida son $C$ neuronas con **softmax** (probabilidades que suman 1) y la
etiqueta es un vector **one-hot** $\mathbf{y}$ (un 1 en la clase correcta y 0 en el resto):

$$
\text{CCE} = -\frac{1}{N}\sum_{i=1}^{N}\sum_{c=1}^{C} y_{i,c}\,\ln p_{i,c}
= -\frac{1}{N}\sum_{i=1}^{N} \ln p_{i,\,\text{clase correcta}}
$$

Solo cuenta la probabilidad que la red dio a la clase correcta.

### Entropía cruzada categórica *sparse*

Es **la misma pérdida**, pero la etiqueta es el **número de la clase** (un entero, como `2`) en
lugar del vector one-hot (`[0, 0, 1]`). Ahorra memoria cuando hay muchas clases.

### Hinge

Pensada para clasificadores de margen (como las SVM). Con etiquetas $y \in \{-1, +1\}$ y una
puntuación $\hat{y}$:

$$
\text{hinge} = \frac{1}{N}\sum_{i} \max(0,\; 1 - y_i\,\hat{y}_i)
$$

Solo penaliza los ejemplos mal clasificados o clasificados con poco margen. Keras convierte
automáticamente las etiquetas 0/1 en −1/+1.

### De pasada: Poisson y divergencia KL

- **Poisson**, $\frac{1}{N}\sum_i (\hat{y}_i - y_i \ln \hat{y}_i)$: para predecir **conteos**
  (visitas por hora, pedidos por día).
- **Divergencia de Kullback-Leibler**, $\sum_c y_c \ln(y_c / \hat{y}_c)$: mide cuánto se aleja
  una distribución de probabilidad $\hat{\mathbf{y}}$ de otra $\mathbf{y}$; aparece en modelos
  que predicen distribuciones completas (por ejemplo, autocodificadores variacionales).

Programemos todas en NumPy:
""")

code(r"""
EPS = 1e-7   # the same clipping constant Keras uses


def bce_np(y_true, p):
    p = np.clip(p, EPS, 1 - EPS)
    return -np.mean(y_true * np.log(p) + (1 - y_true) * np.log(1 - p))


def cce_np(y_onehot, p):
    p = np.clip(p, EPS, 1.0)
    return np.mean(-np.sum(y_onehot * np.log(p), axis=-1))


def sparse_cce_np(y_int, p):
    p = np.clip(p, EPS, 1.0)
    return np.mean(-np.log(p[np.arange(len(y_int)), y_int]))


def hinge_np(y_01, scores):
    y_pm = 2 * y_01 - 1                  # 0/1 → −1/+1
    return np.mean(np.maximum(0, 1 - y_pm * scores))


def poisson_np(y_true, rate):
    return np.mean(rate - y_true * np.log(rate + EPS))


def kl_np(p_true, p_pred):
    p_true = np.clip(p_true, EPS, 1.0)
    p_pred = np.clip(p_pred, EPS, 1.0)
    return np.sum(p_true * np.log(p_true / p_pred), axis=-1)
""")

md(r"""
Un ejemplo pequeño de cada tipo. Binaria: cuatro ejemplos con sus probabilidades predichas;
multiclase: tres ejemplos y tres clases, con las etiquetas en los dos formatos.
""")

code(r"""
# NBVAL_CHECK_OUTPUT
y_bin = np.array([1.0, 0.0, 1.0, 1.0])
p_bin = np.array([0.9, 0.2, 0.6, 0.99])
print(f"BCE = {bce_np(y_bin, p_bin):.4f}")

y_int = np.array([0, 2, 1])
y_onehot = np.eye(3)[y_int]
p_multi = np.array([[0.7, 0.2, 0.1],
                    [0.1, 0.3, 0.6],
                    [0.3, 0.4, 0.3]])
print("etiquetas enteras:", y_int)
print("etiquetas one-hot:\n", y_onehot)
print(f"CCE        = {cce_np(y_onehot, p_multi):.4f}")
print(f"sparse CCE = {sparse_cce_np(y_int, p_multi):.4f}")
print("CCE == sparse CCE:", bool(np.isclose(cce_np(y_onehot, p_multi), sparse_cce_np(y_int, p_multi))))
print("CCE == −media(ln 0.7, ln 0.6, ln 0.4):",
      bool(np.isclose(cce_np(y_onehot, p_multi), -np.mean(np.log([0.7, 0.6, 0.4])))))
""")

md(r"""
Y la comprobación contra `keras.losses`, caso a caso:
""")

code(r"""
# NBVAL_CHECK_OUTPUT
scores_hinge = np.array([0.8, -0.5, -0.2, 2.0])
counts = np.array([2.0, 0.0, 5.0, 1.0])
rates = np.array([1.5, 0.5, 4.0, 1.0])

classification_pairs = {
    "binary_crossentropy": (keras.losses.binary_crossentropy(y_bin, p_bin), bce_np(y_bin, p_bin)),
    "categorical_crossentropy": (
        np.mean(keras.losses.categorical_crossentropy(y_onehot, p_multi)), cce_np(y_onehot, p_multi)),
    "sparse_categorical_crossentropy": (
        np.mean(keras.losses.sparse_categorical_crossentropy(y_int, p_multi)), sparse_cce_np(y_int, p_multi)),
    "hinge": (keras.losses.hinge(y_bin, scores_hinge), hinge_np(y_bin, scores_hinge)),
    "poisson": (keras.losses.poisson(counts, rates), poisson_np(counts, rates)),
    "kl_divergence": (keras.losses.kl_divergence(y_onehot, p_multi), kl_np(y_onehot, p_multi)),
}
for name, (theirs, ours) in classification_pairs.items():
    agree = np.allclose(keras.ops.convert_to_numpy(theirs), ours, rtol=1e-5, atol=1e-6)
    print(f"keras.losses.{name:<32} == NumPy: {agree}")
""")

md(r"""
Todas coinciden. Fíjate en que con etiquetas one-hot la divergencia KL da lo mismo que la
entropía cruzada (ejemplo a ejemplo), porque $\sum_c y_c \ln y_c = 0$ cuando $\mathbf{y}$ es one-hot.
""")

# --------------------------------------------------------------------------- three scenarios
md(r"""
## 4. Los tres escenarios

La pérdida, la capa de salida y el formato de las etiquetas van **siempre juntos**:

| problema | capa de salida | activación | pérdida | etiquetas |
|---|---|---|---|---|
| clasificación **binaria** | 1 neurona | sigmoide | `binary_crossentropy` | 0 / 1 |
| clasificación **multiclase** | $C$ neuronas | softmax | `categorical_crossentropy` | one-hot |
| | $C$ neuronas | softmax | `sparse_categorical_crossentropy` | enteros $0 \dots C-1$ |
| **regresión** | 1 neurona (o una por valor) | lineal | `mse` (o `mae`, `huber`...) | números reales |

En Keras, las tres combinaciones se escriben así:
""")

code(r"""
# NBVAL_CHECK_OUTPUT
def build(n_outputs, activation, loss):
    model = keras.Sequential([keras.Input(shape=(8,)), Dense(16, activation="relu"),
                              Dense(n_outputs, activation=activation)])
    model.compile(optimizer="adam", loss=loss)
    return model


scenarios = {
    "binaria": build(1, "sigmoid", "binary_crossentropy"),
    "multiclase": build(10, "softmax", "sparse_categorical_crossentropy"),
    "regresión": build(1, "linear", "mse"),
}
for name, model in scenarios.items():
    out = model.layers[-1]
    print(f"{name:>10}: {out.units} neurona(s), activación {out.activation.__name__}, pérdida {model.loss}")
""")

# --------------------------------------------------------------------------- pitfalls
md(r"""
## 5. Cuando la pareja no encaja

### Llamar a la función de pérdida en vez de pasarla

En apuntes antiguos aparece `loss=keras.losses.categorical_crossentropy()`, con paréntesis.
Eso **llama** a la función sin datos, y Keras 3 se queja de que faltan `y_true` e `y_pred`:
""")

code(
    r"""
model = build(10, "softmax", "categorical_crossentropy")
model.compile(optimizer="adam", loss=keras.losses.categorical_crossentropy())
""",
    tags=["raises-exception"],
)

md(r"""
`compile` necesita la función **sin llamarla** (Keras la llamará en cada paso con los datos), o
bien un objeto pérdida, o su nombre en texto:
""")

code(r"""
# NBVAL_CHECK_OUTPUT
model.compile(optimizer="adam", loss=keras.losses.categorical_crossentropy)      # the function
model.compile(optimizer="adam", loss=keras.losses.CategoricalCrossentropy())     # an object
model.compile(optimizer="adam", loss="categorical_crossentropy")                 # its name
print("compilado con:", model.loss)
""")

md(r"""
### Entropía cruzada binaria en una salida softmax de 10 clases

Preparemos un problema de 10 clases: 600 puntos de 8 características, agrupados alrededor de
10 centros (uno por clase).
""")

code(r"""
# NBVAL_CHECK_OUTPUT
rng = np.random.default_rng(7)
centers = rng.normal(scale=3.0, size=(10, 8))
labels = rng.integers(0, 10, size=600)
features = (centers[labels] + rng.normal(size=(600, 8))).astype("float32")
labels_onehot = keras.utils.to_categorical(labels, num_classes=10)
print("x:", features.shape, "| etiquetas enteras:", labels.shape, "| one-hot:", labels_onehot.shape)
""")

md(r"""
Con **etiquetas enteras**, `binary_crossentropy` espera una etiqueta por cada salida y falla,
porque recibe un número por ejemplo y diez probabilidades:
""")

code(
    r"""
wrong = build(10, "softmax", "binary_crossentropy")
wrong.fit(features, labels, epochs=1, verbose=0)
""",
    tags=["raises-exception"],
)

md(r"""
La corrección es usar la pérdida que corresponde a 10 clases con etiquetas enteras:
""")

code(r"""
# NBVAL_CHECK_OUTPUT
right = build(10, "softmax", "sparse_categorical_crossentropy")
right.fit(features, labels, epochs=1, verbose=0)
print("entrena sin errores con:", right.loss)
""")

md(r"""
Pero ¿y si, en vez de cambiar la pérdida, alguien «arregla» el error pasando las etiquetas a
one-hot?
""")

md(r"""
Con **etiquetas one-hot** ya no hay error... y eso es peor, porque el fallo pasa desapercibido.
¿Qué calcula entonces la BCE? Veámoslo con el modelo sin entrenar. Al entrenar y evaluar,
Keras (con TensorFlow) no usa las probabilidades de softmax: toma las 10 puntuaciones de
**antes** de softmax (los *logits*) y aplica a cada una **su propia sigmoide**, como si hubiera
10 neuronas de salida independientes. Así que el modelo aprende **10 problemas sí/no**
(«¿es de la clase 0?», «¿es de la clase 1?»...), no «¿cuál de las 10 clases es?».
""")

code(r"""
# NBVAL_CHECK_OUTPUT
bce_model = build(10, "softmax", "binary_crossentropy")
keras_bce = bce_model.evaluate(features, labels_onehot, verbose=0)

hidden = keras.Model(bce_model.inputs, bce_model.layers[0].output).predict(features, verbose=0)
W_out, b_out = bce_model.layers[1].get_weights()
logits = hidden @ W_out + b_out
probs = bce_model.predict(features, verbose=0)                # softmax of the logits

ten_problems = [bce_np(labels_onehot[:, c], sigmoid_np) for c, sigmoid_np
                in enumerate(1 / (1 + np.exp(-logits.T.astype(float))))]
print("pérdida de Keras == media de 10 BCE, una sigmoide por clase:",
      bool(np.isclose(keras_bce, np.mean(ten_problems), rtol=1e-4)))
print("pérdida de Keras == BCE sobre las probabilidades de softmax:",
      bool(np.isclose(keras_bce, bce_np(labels_onehot, probs), rtol=1e-4)))

binary_accuracy = keras.metrics.BinaryAccuracy()
binary_accuracy.update_state(labels_onehot, probs)
real = np.mean(probs.argmax(axis=1) == labels)
print(f"exactitud binaria (10 respuestas sí/no) sin entrenar: {float(binary_accuracy.result()):.1f}",
      "| ¿al menos 0.85?:", bool(binary_accuracy.result() >= 0.85))
print("exactitud de verdad (argmax) sin entrenar < 0.3:", bool(real < 0.3))
""")

md(r"""
Y fíjate en la exactitud binaria: ¡0.9 sin haber aprendido nada! Con softmax cada salida vale
alrededor de 0.1, así que el modelo responde «no» a las diez preguntas y acierta 9 de cada 10.
Para esos 10 problemas sí/no el modelo ya va bastante bien; para el nuestro (¿acierta la
clase?), va fatal.

Entrenemos el modelo con BCE y, con los mismos datos y épocas, la pareja correcta
(*sparse* CCE con etiquetas enteras). Medimos la exactitud de verdad, con `argmax`:
""")

code(r"""
cce_model = build(10, "softmax", "sparse_categorical_crossentropy")
bce_model.fit(features, labels_onehot, epochs=15, batch_size=32, verbose=0)
cce_model.fit(features, labels, epochs=15, batch_size=32, verbose=0)

accuracies = {}
for name, model_ in [("BCE + one-hot", bce_model), ("sparse CCE + enteros", cce_model)]:
    accuracies[name] = np.mean(model_.predict(features, verbose=0).argmax(axis=1) == labels)
    print(f"{name:>22}: exactitud (argmax) tras 15 épocas = {accuracies[name]:.3f}")
""")

md(r"""
Las dos redes aprenden algo (subir la puntuación de la clase correcta y bajar las demás
ayuda en los dos casos), pero en este ejemplo la pareja correcta llega más lejos con el mismo
esfuerzo. Y con BCE hay dos
problemas más:

- la pérdida no corresponde a la pregunta que nos interesa: su valor es la media de 10
  problemas sí/no (calculada además sobre sigmoides que el modelo no tiene), no la entropía
  cruzada de la clase correcta, así que no se puede interpretar ni comparar con otros modelos;
- si alguien mide la exactitud binaria (la que corresponde a la BCE), verá cifras altísimas
  que no significan nada.

Regla: **multiclase ⇒ softmax + (sparse) categorical cross-entropy**; BCE solo con una
salida sigmoide (o con varias sigmoides cuando un ejemplo puede tener **varias** etiquetas a
la vez, que es otro problema: clasificación *multietiqueta*).
""")

# --------------------------------------------------------------------------- summary
md(r"""
## Resumen

- La **pérdida** mide el error de un ejemplo; el **coste** $J(\Theta) = \frac{1}{N}\sum_i J_i$ es
  su media y es lo que se minimiza; las **métricas** solo se vigilan.
- Regresión: **MSE** (el ejemplo $[4,1,4,2,0]$ frente a $[3,3,4,3,3]$ da errores al cuadrado
  1, 4, 0, 1, 9 y MSE $= 15/5 = 3$), **MAE** (robusta ante atípicos), **MAPE** (relativa; no
  admite $y = 0$), **MSLE** (órdenes de magnitud), **Huber** y **log-cosh** (cuadráticas cerca
  de 0, lineales lejos).
- Clasificación: **BCE** con una sigmoide, **CCE** con softmax y one-hot, **sparse CCE** con
  softmax y enteros (mismo valor que CCE), **hinge** para márgenes; **Poisson** para conteos y
  **KL** para distribuciones.
- Nuestras versiones en NumPy coinciden con `keras.losses`.
- Los tres escenarios: binaria → 1 sigmoide + BCE; multiclase → $C$ softmax + (sparse) CCE;
  regresión → 1 lineal + MSE.
- A `compile` se le pasa la pérdida **sin llamarla**; y BCE en una salida softmax de 10 clases
  falla con etiquetas enteras o, peor, entrena con una métrica engañosa con etiquetas one-hot.
""")

md(r"""
## Ejercicios de práctica

No puntúan. Escribe tu respuesta, ejecuta la celda y después la comprobación. Si te atascas,
quita el `#` de `practica.ejN.hint()` (o de `practica.ejN.solution()`).
""")

md(r"""
### Ejercicio 1: MSE en NumPy

Escribe `mse(y_true, y_pred)`, el error cuadrático medio de dos arrays de la misma forma.
""")

code(r"""
def mse(y_true, y_pred):
    # Tu código aquí
    raise NotImplementedError
""")

code(r"""
practica.ej1.check(mse)
# practica.ej1.hint()
# practica.ej1.solution()
""")

md(r"""
### Ejercicio 2: entropía cruzada binaria en NumPy

Escribe `bce(y_true, p)`: la entropía cruzada binaria media, con etiquetas 0/1 y
probabilidades `p`. Debe dar un número finito aunque alguna probabilidad sea exactamente 0
o 1 (recorta como Keras, con $\varepsilon = 10^{-7}$).
""")

code(r"""
def bce(y_true, p):
    # Tu código aquí
    raise NotImplementedError
""")

code(r"""
practica.ej2.check(bce)
# practica.ej2.hint()
# practica.ej2.solution()
""")

md(r"""
### Ejercicio 3: elegir la función de pérdida

Para cada escenario, escribe el nombre de la pérdida que usarías en `compile(loss=...)`,
eligiendo entre `"mse"`, `"binary_crossentropy"`, `"categorical_crossentropy"`,
`"sparse_categorical_crossentropy"`, `"hinge"` y `"poisson"`.
""")

code(r"""
perdidas = {
    "precio": ...,          # precio de una vivienda en euros
    "spam": ...,            # ¿es spam este correo? (salida: 1 neurona sigmoide)
    "digito": ...,          # dígito escrito a mano, etiquetas 0..9 como enteros
    "prenda_one_hot": ...,  # 10 tipos de prenda, etiquetas como vectores one-hot
}
""")

code(r"""
practica.ej3.check(perdidas)
# practica.ej3.hint()
# practica.ej3.solution()
""")


def main() -> None:
    nb = new_notebook(cells=CELLS)
    nb.metadata["kernelspec"] = {
        "display_name": "Python 3",
        "language": "python",
        "name": "python3",
    }
    nb.metadata["language_info"] = {"name": "python"}
    OUT.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, OUT)
    print(f"escrito {OUT}")


if __name__ == "__main__":
    main()
