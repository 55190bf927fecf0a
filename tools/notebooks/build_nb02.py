"""Write notebooks/02_funciones_de_activacion.ipynb (sources only; execute it afterwards).

Usage::

    .venv/bin/python tools/notebooks/build_nb02.py
    COURSE_DATA_DIR=... .venv/bin/jupyter nbconvert --to notebook --execute --inplace \
        notebooks/02_funciones_de_activacion.ipynb
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

OUT = Path(__file__).resolve().parents[2] / "notebooks" / "02_funciones_de_activacion.ipynb"
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
# 02 — Funciones de activación

En el cuaderno 01 la activación era el último paso de la neurona: $a = f(\mathbf{w}\cdot\mathbf{x} + b)$.
Aquí veremos por qué ese paso es imprescindible y cuál elegir en cada caso:

1. por qué una red **sin no linealidad** no es más que una capa lineal;
2. las activaciones habituales, con su fórmula, su gráfica y la de su **derivada**;
3. el problema del **gradiente que se desvanece**;
4. **softmax**, que convierte puntuaciones en probabilidades;
5. reglas prácticas para elegir activación, y cómo se usan en **Keras**
   (`keras.activations`, el argumento `activation=`, la capa `Activation` y una activación propia).
""")

code(r"""
from course.setup import notebook_setup

notebook_setup(seed=42)

import keras
import matplotlib.pyplot as plt
import numpy as np
from keras.layers import Activation, Dense

from course.plots import plot_activation
from course.practice import nb02 as practica
""")

# --------------------------------------------------------------------------- linear collapse
md(r"""
## 1. ¿Por qué hace falta una función no lineal?

Imagina dos capas **sin** activación (o, lo que es igual, con activación lineal):

$$
\mathbf{h} = \mathbf{x}W_1 + \mathbf{b}_1, \qquad \hat{\mathbf{y}} = \mathbf{h}W_2 + \mathbf{b}_2 .
$$

Sustituyendo la primera en la segunda:

$$
\hat{\mathbf{y}} = \mathbf{x}\,\underbrace{W_1W_2}_{W} + \underbrace{\mathbf{b}_1W_2 + \mathbf{b}_2}_{\mathbf{b}} .
$$

¡Es **una sola** capa lineal con pesos $W$ y sesgo $\mathbf{b}$! Da igual cuántas capas lineales
apiles: el resultado siempre es una transformación lineal, que solo puede trazar fronteras
rectas (y ya vimos que eso no basta para XOR). Comprobémoslo con números:
""")

code(r"""
# NBVAL_CHECK_OUTPUT
rng = np.random.default_rng(0)
x = rng.normal(size=(5, 3))                      # 5 examples, 3 features
W1, b1 = rng.normal(size=(3, 4)), rng.normal(size=4)
W2, b2 = rng.normal(size=(4, 2)), rng.normal(size=2)

two_layers = (x @ W1 + b1) @ W2 + b2
W, b = W1 @ W2, b1 @ W2 + b2
one_layer = x @ W + b
print("forma de W:", W.shape, "| forma de b:", b.shape)
print("dos capas lineales == una capa lineal:", np.allclose(two_layers, one_layer))
""")

md(r"""
Lo mismo ocurre en Keras: dos capas `Dense` sin `activation` se pueden resumir en una sola.
Leemos sus pesos con `get_weights()` y construimos la capa equivalente:
""")

code(r"""
# NBVAL_CHECK_OUTPUT
linear_stack = keras.Sequential([keras.Input(shape=(3,)), Dense(4), Dense(2)])
(K1, c1), (K2, c2) = (layer.get_weights() for layer in linear_stack.layers)
x32 = x.astype("float32")
keras_out = linear_stack.predict(x32, verbose=0)
collapsed = x32 @ (K1 @ K2) + (c1 @ K2 + c2)
print("Keras, dos Dense sin activación == una capa lineal:",
      np.allclose(keras_out, collapsed, atol=1e-5))
""")

md(r"""
Si entre las dos capas ponemos una función **no lineal** (por ejemplo ReLU, que veremos
enseguida), ya no existe ninguna capa lineal equivalente. Lo comprobamos buscando la mejor
aproximación lineal por mínimos cuadrados con muchos puntos: el error no baja a cero.
""")

code(r"""
# NBVAL_CHECK_OUTPUT
x_many = rng.normal(size=(500, 3))
with_relu = np.maximum(0, x_many @ W1 + b1) @ W2 + b2
design = np.column_stack([x_many, np.ones(len(x_many))])   # columns: x and a 1 for the bias
coef, *_ = np.linalg.lstsq(design, with_relu, rcond=None)
best_linear = design @ coef
print("¿alguna capa lineal reproduce la red con ReLU?:",
      np.allclose(best_linear, with_relu, atol=1e-3))
print("error cuadrático medio de la mejor aproximación lineal > 0.01:",
      bool(np.mean((best_linear - with_relu) ** 2) > 0.01))
""")

# --------------------------------------------------------------------------- catalogue
md(r"""
## 2. Catálogo de activaciones

| nombre | fórmula $f(z)$ | derivada $f'(z)$ | rango |
|---|---|---|---|
| sigmoide | $\sigma(z) = \dfrac{1}{1+e^{-z}}$ | $\sigma(z)\,(1-\sigma(z))$ | $(0, 1)$ |
| tangente hiperbólica | $\tanh(z) = \dfrac{e^{z}-e^{-z}}{e^{z}+e^{-z}}$ | $1-\tanh^2(z)$ | $(-1, 1)$ |
| ReLU | $\max(0, z)$ | $1$ si $z>0$; $0$ si $z<0$ | $[0, \infty)$ |
| Leaky ReLU | $\max(\varepsilon z, z)$, con $\varepsilon \ll 1$ | $1$ si $z>0$; $\varepsilon$ si $z<0$ | $(-\infty, \infty)$ |
| ELU | $z$ si $z>0$; $\alpha(e^{z}-1)$ si $z\le 0$ | $1$ si $z>0$; $\alpha e^{z}$ si $z \le 0$ | $(-\alpha, \infty)$ |
| softplus | $\ln(1+e^{z})$ | $\sigma(z)$ | $(0, \infty)$ |
| softsign | $\dfrac{z}{1+\lvert z\rvert}$ | $\dfrac{1}{(1+\lvert z\rvert)^2}$ | $(-1, 1)$ |
| swish | $z\,\sigma(z)$ | $\sigma(z) + z\,\sigma(z)(1-\sigma(z))$ | $\approx(-0.28, \infty)$ |
| escalón | $1$ si $z \ge 0$; $0$ si $z<0$ | $0$ (salvo en $z=0$) | $\{0, 1\}$ |

Algunas ideas para recordarlas:

- **Sigmoide** y **tanh** son curvas en «S»: suaves, acotadas y se **saturan** (se aplanan)
  para $|z|$ grande. tanh está centrada en 0, la sigmoide no.
- **ReLU** es la más usada en capas ocultas: barata de calcular y con derivada 1 para $z>0$.
  Su punto débil: si una neurona recibe siempre $z<0$ su gradiente es 0 y deja de aprender
  («neurona muerta»).
- **Leaky ReLU** y **ELU** arreglan eso dejando pasar algo de señal cuando $z<0$.
- **softplus** es una versión suave de ReLU, **softsign** una parecida a tanh que se satura
  más despacio, y **swish** ($z\,\sigma(z)$) es suave y no monótona.
- El **escalón** es la activación del perceptrón. Su derivada es 0 en casi todas partes, así
  que con ella **no se puede entrenar por descenso del gradiente**: por eso las redes modernas
  usan versiones suaves.

Programemos cada una (y su derivada) en NumPy:
""")

code(r"""
EPSILON = 0.01   # Leaky ReLU slope for z < 0
ALPHA = 1.0      # ELU


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def d_sigmoid(z):
    return sigmoid(z) * (1 - sigmoid(z))


def tanh(z):
    return np.tanh(z)


def d_tanh(z):
    return 1 - np.tanh(z) ** 2


def relu(z):
    return np.maximum(0.0, z)


def d_relu(z):
    return (z > 0).astype(float)


def leaky_relu(z):
    return np.maximum(EPSILON * z, z)


def d_leaky_relu(z):
    return np.where(z > 0, 1.0, EPSILON)


def elu(z):
    return np.where(z > 0, z, ALPHA * (np.exp(np.minimum(z, 0)) - 1))


def d_elu(z):
    return np.where(z > 0, 1.0, ALPHA * np.exp(np.minimum(z, 0)))


def softplus(z):
    return np.log1p(np.exp(-np.abs(z))) + np.maximum(z, 0)   # ln(1 + e^z) without overflow


def d_softplus(z):
    return sigmoid(z)


def softsign(z):
    return z / (1 + np.abs(z))


def d_softsign(z):
    return 1 / (1 + np.abs(z)) ** 2


def swish(z):
    return z * sigmoid(z)


def d_swish(z):
    return sigmoid(z) + z * sigmoid(z) * (1 - sigmoid(z))


def step(z):
    return (z >= 0).astype(float)


def d_step(z):
    return np.zeros_like(z)


ACTIVATIONS = {
    "sigmoide": (sigmoid, d_sigmoid),
    "tanh": (tanh, d_tanh),
    "ReLU": (relu, d_relu),
    "Leaky ReLU (ε = 0.01)": (leaky_relu, d_leaky_relu),
    "ELU (α = 1)": (elu, d_elu),
    "softplus": (softplus, d_softplus),
    "softsign": (softsign, d_softsign),
    "swish": (swish, d_swish),
    "escalón": (step, d_step),
}
""")

md(r"""
Y dibujemos cada función (línea continua) junto a su derivada (discontinua) con
`plot_activation`:
""")

code(r"""
fig, axes = plt.subplots(3, 3, figsize=(13, 10), layout="constrained")
for ax, (name, (f, df)) in zip(axes.ravel(), ACTIVATIONS.items()):
    plot_activation(f, df, name=name, ax=ax)
plt.show()
""")

md(r"""
Comprobación rápida de algunos valores que se leen en las gráficas:
""")

code(r"""
# NBVAL_CHECK_OUTPUT
z = np.array([-2.0, 0.0, 2.0])
for name, (f, df) in ACTIVATIONS.items():
    print(f"{name:>22}: f({z}) = {np.round(f(z), 4)}   f'({z}) = {np.round(df(z), 4)}")
""")

# --------------------------------------------------------------------------- vanishing gradient
md(r"""
## 3. El gradiente que se desvanece

Al entrenar, la retropropagación **multiplica** las derivadas de las activaciones de todas
las capas (regla de la cadena). Mira los máximos:

- la derivada de la sigmoide vale como mucho $\sigma'(0) = 0.25$;
- la de tanh vale 1 en $z = 0$, pero cae casi a 0 en cuanto $|z|$ pasa de 3 (saturación);
- la de ReLU vale exactamente 1 para todo $z > 0$.

Con 10 capas sigmoides, incluso en el mejor caso la señal de error que llega a la primera
capa queda multiplicada por $0.25^{10}$:
""")

code(r"""
# NBVAL_CHECK_OUTPUT
print(f"máximo de σ'(z): {d_sigmoid(0.0):.2f}")
print(f"0.25 ** 10 = {0.25 ** 10:.2e}")
print(f"tanh'(0) = {d_tanh(0.0):.2f}, tanh'(3) = {d_tanh(3.0):.4f}, tanh'(5) = {d_tanh(5.0):.6f}")
print(f"relu'(3) = {d_relu(np.array(3.0)):.0f}")
""")

md(r"""
Veámoslo en una red de verdad: 10 capas densas de 64 neuronas con pesos aleatorios. Hacemos
una pasada hacia delante con 256 ejemplos, retropropagamos un error de 1 desde la salida y
medimos el tamaño medio del gradiente $|\partial L / \partial z|$ que llega a cada capa. Cada
activación usa la escala de pesos iniciales que se recomienda para ella (para ReLU, la
inicialización de He, con el doble de varianza; la veremos en el cuaderno 05).
""")

code(r"""
def gradient_per_layer(f, df, gain, n_layers=10, width=64, seed=0):
    rng = np.random.default_rng(seed)
    std = np.sqrt(gain / width)   # gain 1: Glorot/LeCun-style; gain 2: He (for ReLU)
    weights = [rng.normal(0, std, size=(width, width)) for _ in range(n_layers)]
    a = rng.normal(size=(256, width))
    pre_activations = []
    for Wl in weights:                       # forward pass
        z = a @ Wl
        pre_activations.append(z)
        a = f(z)
    grad_a = np.ones_like(a)                 # dL/da at the output
    sizes = []
    for Wl, z in zip(reversed(weights), reversed(pre_activations)):   # backward pass
        grad_z = grad_a * df(z)
        sizes.append(np.mean(np.abs(grad_z)))
        grad_a = grad_z @ Wl.T
    return sizes[::-1]                       # first layer first


gains = {"sigmoide": 1.0, "tanh": 1.0, "ReLU": 2.0}
grad_sizes = {name: gradient_per_layer(*ACTIVATIONS[name], gain) for name, gain in gains.items()}

fig, ax = plt.subplots(figsize=(7, 4))
for name, sizes in grad_sizes.items():
    ax.semilogy(range(1, 11), sizes, marker="o", linewidth=2, label=name)
ax.set_xlabel("capa (1 = la más cercana a la entrada)")
ax.set_ylabel("tamaño medio del gradiente (escala log)")
ax.set_title("El gradiente se desvanece hacia las primeras capas")
ax.grid(alpha=0.3, which="both")
ax.legend()
plt.show()
""")

code(r"""
# NBVAL_CHECK_OUTPUT
for name, sizes in grad_sizes.items():
    print(f"{name:>8}: gradiente en la capa 1 / gradiente en la capa 10 = {sizes[0] / sizes[-1]:.1e}")
print("con sigmoide la capa 1 recibe < 1/1000 del gradiente de la capa 10:",
      bool(grad_sizes["sigmoide"][0] / grad_sizes["sigmoide"][-1] < 1e-3))
""")

md(r"""
Con sigmoide, las primeras capas reciben un gradiente minúsculo y apenas aprenden: es el
**problema del gradiente que se desvanece** (*vanishing gradient*). tanh lo sufre mucho menos
(su derivada vale 1 cerca de 0) y con ReLU el gradiente llega prácticamente intacto, y esa es una de las razones por las que ReLU se convirtió en la activación por
defecto de las capas ocultas.
""")

# --------------------------------------------------------------------------- softmax
md(r"""
## 4. Softmax: de puntuaciones a probabilidades

Las activaciones anteriores actúan sobre cada número por separado. **Softmax** actúa sobre un
**vector** de puntuaciones $\mathbf{z} = (z_1, \dots, z_C)$, una por clase:

$$
\operatorname{softmax}(\mathbf{z})_j = \frac{e^{z_j}}{\sum_{k=1}^{C} e^{z_k}} .
$$

Cada salida está entre 0 y 1 y **todas suman 1**: es una distribución de probabilidad. Además
conserva el orden: la mayor puntuación recibe la mayor probabilidad.
""")

code(r"""
# NBVAL_CHECK_OUTPUT
def softmax(z):
    e = np.exp(z)
    return e / e.sum()


scores = np.array([2.0, 1.0, 0.1])
probabilities = softmax(scores)
print("puntuaciones: ", scores)
print("probabilidades:", np.round(probabilities, 3))
print("suman 1:", bool(np.isclose(probabilities.sum(), 1.0)))
print("clase más probable:", int(np.argmax(probabilities)))
""")

md(r"""
Cuidado con los números grandes: $e^{1000}$ desborda y da `inf`, e `inf / inf` es `nan`. Como
softmax no cambia si restamos la misma constante a todas las puntuaciones, se resta el
máximo antes de exponenciar (en el ejercicio 1 escribirás esa versión estable):
""")

code(r"""
# NBVAL_CHECK_OUTPUT
big_scores = np.array([1000.0, 1001.0, 1002.0])
with np.errstate(over="ignore", invalid="ignore"):
    print("ingenua:          ", softmax(big_scores))
print("restando el máximo:", np.round(softmax(big_scores - big_scores.max()), 4))
print("igual que con [0, 1, 2]:", bool(np.allclose(softmax(big_scores - big_scores.max()),
                                                   softmax(np.array([0.0, 1.0, 2.0])))))
""")

# --------------------------------------------------------------------------- rules of thumb
md(r"""
## 5. Reglas prácticas

| dónde | activación recomendada | por qué |
|---|---|---|
| capas ocultas | **ReLU** (o Leaky ReLU / ELU si hay neuronas muertas) | rápida y sin desvanecimiento para $z>0$ |
| salida, clasificación **binaria** | **sigmoide** (1 neurona) | da la probabilidad de la clase 1 |
| salida, clasificación **multiclase** | **softmax** ($C$ neuronas) | probabilidades de las $C$ clases que suman 1 |
| salida, **regresión** | **lineal** (sin activación) | la salida puede ser cualquier número real |

tanh sigue siendo útil en capas ocultas de redes pequeñas y en redes recurrentes; la sigmoide
casi solo se usa ya en la salida.
""")

# --------------------------------------------------------------------------- keras.activations
md(r"""
## 6. Las activaciones de Keras

Keras trae todas estas funciones en `keras.activations` (y su nombre en texto, como
`"relu"`, sirve en el argumento `activation=` de las capas). Comprobemos que coinciden con las
nuestras. Dos detalles: la `leaky_relu` de Keras usa por defecto una pendiente de 0.2, así que
le pasamos la nuestra; y Keras no incluye el escalón, justamente porque no sirve para entrenar.
""")

code(r"""
# NBVAL_CHECK_OUTPUT
z = np.linspace(-6, 6, 101).astype("float32")
pairs = {
    "sigmoid": (keras.activations.sigmoid(z), sigmoid(z)),
    "tanh": (keras.activations.tanh(z), tanh(z)),
    "relu": (keras.activations.relu(z), relu(z)),
    "leaky_relu": (keras.activations.leaky_relu(z, negative_slope=EPSILON), leaky_relu(z)),
    "elu": (keras.activations.elu(z), elu(z)),
    "softplus": (keras.activations.softplus(z), softplus(z)),
    "softsign": (keras.activations.softsign(z), softsign(z)),
    "swish": (keras.activations.swish(z), swish(z)),
    "softmax": (keras.activations.softmax(scores.reshape(1, -1)), softmax(scores).reshape(1, -1)),
}
for name, (theirs, ours) in pairs.items():
    agree = np.allclose(keras.ops.convert_to_numpy(theirs), ours, rtol=1e-5, atol=1e-6)
    print(f"keras.activations.{name:<10} == nuestra versión: {agree}")
""")

# --------------------------------------------------------------------------- Dense vs Activation
md(r"""
## 7. `Dense(..., activation=...)` o una capa `Activation` aparte

Hay dos formas equivalentes de poner una activación en Keras:

```python
Dense(4, activation="relu")              # la capa calcula z = xW + b y aplica ReLU
Dense(4), Activation("relu")             # dos capas: primero z, después ReLU(z)
```

Dan el mismo resultado, pero la segunda tiene una ventaja didáctica: como $z$ es la salida de
una capa, podemos **leer la pre-activación**. Construimos las dos versiones con los mismos pesos:
""")

code(r"""
# NBVAL_CHECK_OUTPUT
x_demo = np.array([[1.0, -2.0, 0.5],
                   [-1.0, 0.3, 2.0]], dtype="float32")

W_demo = np.random.default_rng(3).normal(size=(3, 4)).astype("float32")
b_demo = np.array([0.1, -0.1, 0.2, 0.0], dtype="float32")

fused = keras.Sequential([keras.Input(shape=(3,)), Dense(4, activation="relu")])
split = keras.Sequential([keras.Input(shape=(3,)), Dense(4), Activation("relu")])
fused.layers[0].set_weights([W_demo, b_demo])   # the same W and b in both models
split.layers[0].set_weights([W_demo, b_demo])

same_output = np.allclose(fused.predict(x_demo, verbose=0), split.predict(x_demo, verbose=0))
print("mismo resultado con activation= que con Activation:", same_output)
print("capas de split:", [type(layer).__name__ for layer in split.layers])
""")

code(r"""
# NBVAL_CHECK_OUTPUT
pre_activation_model = keras.Model(inputs=split.inputs, outputs=split.layers[0].output)
z_pre = pre_activation_model.predict(x_demo, verbose=0)
a_post = split.predict(x_demo, verbose=0)
print("z (antes de ReLU):\n", np.round(z_pre, 2))
print("a = ReLU(z):\n", np.round(a_post, 2))
print("a == max(0, z):", np.allclose(a_post, np.maximum(0, z_pre)))
print("ReLU ha puesto a cero", int((z_pre < 0).sum()), "de", z_pre.size, "valores")
""")

md(r"""
Las posiciones donde $z$ era negativo salen a cero tras ReLU. Con `Dense(4, activation="relu")`
esa $z$ existe dentro de la capa, pero no es la salida de ninguna capa y no la podemos pedir.
""")

# --------------------------------------------------------------------------- custom activation
md(r"""
## 8. Una activación propia

Una activación es simplemente una función de tensores. Si la escribimos con `keras.ops`
(las operaciones de Keras, que funcionan con cualquier *backend*), Keras puede usarla y
derivarla. Probemos con

$$
f(x) = \frac{1}{1 + e^{x}},
$$

que es una sigmoide «dada la vuelta» ($f(x) = \sigma(-x)$): decrece de 1 a 0.
""")

code(r"""
def inverted_sigmoid(x):
    return 1 / (1 + keras.ops.exp(x))


plot_activation(inverted_sigmoid, name="f(x) = 1 / (1 + eˣ)")
""")

md(r"""
La pasamos a `Dense` igual que un nombre, con `activation=inverted_sigmoid`, y comprobamos que
el modelo calcula exactamente $f(\mathbf{x}W + \mathbf{b})$:
""")

code(r"""
# NBVAL_CHECK_OUTPUT
custom_model = keras.Sequential([
    keras.Input(shape=(3,)),
    Dense(2, activation=inverted_sigmoid),
])
W_c, b_c = custom_model.layers[0].get_weights()
by_keras = custom_model.predict(x_demo, verbose=0)
by_hand = 1 / (1 + np.exp(x_demo @ W_c + b_c))
print("activación de la capa:", custom_model.layers[0].activation.__name__)
print("Keras == NumPy:", np.allclose(by_keras, by_hand, atol=1e-6))
print("f(x) == σ(-x):", np.allclose(by_hand, sigmoid(-(x_demo @ W_c + b_c))))
""")

md(r"""
Y como está escrita con `keras.ops`, el modelo se puede entrenar: Keras calcula su derivada
solo. Un entrenamiento mínimo (20 épocas con datos inventados) para comprobar que la
pérdida baja:
""")

code(r"""
# NBVAL_CHECK_OUTPUT
rng_fit = np.random.default_rng(1)
x_fit = rng_fit.normal(size=(64, 3)).astype("float32")
y_fit = (x_fit[:, :1] < 0).astype("float32")       # target: 1 when the first feature is negative
tiny = keras.Sequential([keras.Input(shape=(3,)), Dense(1, activation=inverted_sigmoid)])
tiny.compile(optimizer=keras.optimizers.Adam(learning_rate=0.1), loss="binary_crossentropy")
history = tiny.fit(x_fit, y_fit, epochs=20, verbose=0)
print("la pérdida ha bajado a menos de la mitad:",
      history.history["loss"][-1] < 0.5 * history.history["loss"][0])
""")

# --------------------------------------------------------------------------- pitfall
md(r"""
## 9. Un error frecuente en apuntes antiguos

En muchos tutoriales escritos para Keras 2 aparece un paréntesis mal cerrado: la activación
queda fuera de la capa, como argumento de `model.add`. Keras 3 lo rechaza. Ejecuta la celda y
lee la explicación:
""")

code(
    r"""
model = keras.Sequential([keras.Input(shape=(3,))])
model.add(Dense(5), activation="sigmoid")
""",
    tags=["raises-exception"],
)

md(r"""
La activación es un argumento de la capa, así que va **dentro** de `Dense(...)`:
""")

code(r"""
# NBVAL_CHECK_OUTPUT
model = keras.Sequential([keras.Input(shape=(3,))])
model.add(Dense(5, activation="sigmoid"))
print("activación de la capa añadida:", model.layers[-1].activation.__name__)
""")

# --------------------------------------------------------------------------- summary
md(r"""
## Resumen

- Sin activaciones no lineales, cualquier pila de capas equivale a **una sola capa lineal**
  ($W = W_1W_2$, $\mathbf{b} = \mathbf{b}_1W_2 + \mathbf{b}_2$).
- Sigmoide, tanh, ReLU, Leaky ReLU, ELU, softplus, softsign, swish y escalón: cada una con su
  fórmula, su rango y su derivada. El escalón no sirve para entrenar (derivada 0).
- Las derivadas de sigmoide (máx. 0.25) y tanh se hacen pequeñas: el gradiente **se desvanece**
  en redes profundas; ReLU lo evita para $z>0$.
- **Softmax** convierte un vector de puntuaciones en probabilidades que suman 1; para que sea
  estable se resta el máximo.
- Reglas prácticas: **ReLU** en las capas ocultas; a la salida **sigmoide** (binaria),
  **softmax** (multiclase) o **lineal** (regresión).
- En Keras: `keras.activations.*` coincide con nuestras versiones; `activation=` o una capa
  `Activation` (que deja leer la pre-activación); una activación propia escrita con `keras.ops`
  se usa y se entrena como cualquier otra. Y la activación va **dentro** de la capa.
""")

md(r"""
## Ejercicios de práctica

No puntúan. Escribe tu respuesta, ejecuta la celda y después la comprobación. Si te atascas,
quita el `#` de `practica.ejN.hint()` (o de `practica.ejN.solution()`).
""")

md(r"""
### Ejercicio 1: softmax numéricamente estable

Escribe `softmax_estable(z)`, que aplique softmax sobre el **último eje** (así sirve para un
vector y para una matriz con un ejemplo por fila) y que no devuelva `nan` con puntuaciones
enormes como `[1000, 1001, 1002]`.
""")

code(r"""
def softmax_estable(z):
    # Tu código aquí
    raise NotImplementedError
""")

code(r"""
practica.ej1.check(softmax_estable)
# practica.ej1.hint()
# practica.ej1.solution()
""")

md(r"""
### Ejercicio 2: Leaky ReLU

Escribe `leaky_relu(z)` con pendiente $\varepsilon = 0.01$ para las entradas negativas. Debe
funcionar con arrays de cualquier forma.

Ojo: al definirla sustituyes la `leaky_relu` de la lección. Para comparar tu resultado,
usa la de Keras con la misma pendiente: `keras.activations.leaky_relu(z, negative_slope=0.01)`.
""")

code(r"""
def leaky_relu(z):
    # Tu código aquí
    raise NotImplementedError
""")

code(r"""
practica.ej2.check(leaky_relu)
# practica.ej2.hint()
# practica.ej2.solution()
""")

md(r"""
### Ejercicio 3: la activación de la capa de salida

Completa el diccionario con el nombre de la activación de salida (como lo escribirías en
Keras: `"sigmoid"`, `"softmax"`, `"linear"`, `"relu"` o `"tanh"`) para cada tipo de problema.
""")

code(r"""
activaciones_salida = {
    "binaria": ...,     # ¿el cliente devolverá el pedido? (sí/no)
    "multiclase": ...,  # ¿qué prenda aparece en la foto? (10 clases)
    "regresion": ...,   # ¿cuántos grados hará mañana?
}
""")

code(r"""
practica.ej3.check(activaciones_salida)
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
