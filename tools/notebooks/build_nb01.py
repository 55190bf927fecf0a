"""Write notebooks/01_neurona_y_perceptron.ipynb (sources only; execute it afterwards).

Usage::

    .venv/bin/python tools/notebooks/build_nb01.py
    COURSE_DATA_DIR=... .venv/bin/jupyter nbconvert --to notebook --execute --inplace \
        notebooks/01_neurona_y_perceptron.ipynb
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

OUT = Path(__file__).resolve().parents[2] / "notebooks" / "01_neurona_y_perceptron.ipynb"
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
# 01 — La neurona artificial y el perceptrón

En este cuaderno construimos, pieza a pieza, la unidad básica de cualquier red neuronal.
Al terminar sabrás:

1. qué calcula una **neurona artificial** (suma ponderada, sesgo y activación);
2. cómo aprende el **perceptrón de Rosenblatt** y por qué solo traza fronteras rectas;
3. por qué el problema **XOR** obliga a usar capas ocultas;
4. cómo se cuentan los parámetros de un **perceptrón multicapa** y cómo se propaga una entrada;
5. cómo se **entrena** una red pequeña desde cero con descenso del gradiente y la regla de la cadena.

Todo se hace con NumPy, para que veas cada cuenta. Keras aparece solo para confirmar
un recuento de parámetros; en los cuadernos siguientes será la herramienta principal.
""")

code(r"""
from course.setup import notebook_setup

notebook_setup(seed=42)

import keras
import matplotlib.pyplot as plt
import numpy as np

from course.datasets import load_xor
from course.plots import plot_decision_boundary, plot_xor
from course.practice import nb01 as practica
""")

# --------------------------------------------------------------------------- neuron
md(r"""
## 1. De la neurona biológica a la neurona artificial

Una neurona biológica recibe señales por sus **dendritas**; cada conexión (sinapsis) las
refuerza o las atenúa; el **cuerpo celular** las acumula y, si el total supera un umbral,
la neurona se activa y envía una señal por su **axón**.

La neurona artificial copia esa idea con tres ingredientes:

| biología | neurona artificial |
|---|---|
| señales que llegan por las dendritas | entradas $x_1, \dots, x_n$ |
| fuerza de cada sinapsis | pesos $w_1, \dots, w_n$ |
| umbral de disparo | sesgo $b$ |
| ¿se dispara o no? | función de activación $f$ |

Primero se calcula la **suma ponderada** más el sesgo y después se aplica la activación:

$$
z = \sum_{i=1}^{n} w_i x_i + b = \mathbf{w}\cdot\mathbf{x} + b, \qquad a = f(z).
$$

Una activación muy usada es la **sigmoide**, que aplasta cualquier número real al intervalo $(0, 1)$:

$$
\sigma(z) = \frac{1}{1 + e^{-z}}.
$$
""")

code(r"""
def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def neuron(x, w, b, activation=sigmoid):
    z = np.dot(w, x) + b
    return activation(z)
""")

md(r"""
### Ejemplo resuelto

Entradas $\mathbf{x} = (2, 3)$, pesos $\mathbf{w} = [0, 1]$ y sesgo $b = 4$:

$$
z = 0 \cdot 2 + 1 \cdot 3 + 4 = 7, \qquad \sigma(7) = \frac{1}{1 + e^{-7}} \approx 0.999.
$$

Comprobémoslo con código:
""")

code(r"""
# NBVAL_CHECK_OUTPUT
x = np.array([2.0, 3.0])
w = np.array([0.0, 1.0])
b = 4.0

z = np.dot(w, x) + b
a = neuron(x, w, b)
print(f"z = w·x + b = {z:g}")
print(f"sigmoide(z) = {a:.4f}")
print("z == 7:", bool(z == 7))
print("sigmoide(7) ≈ 0.999:", bool(np.isclose(a, 0.999, atol=5e-4)))
""")

md(r"""
Con $z = 7$ la neurona está casi «totalmente encendida»: su salida es prácticamente 1.
Un $z$ muy negativo la apagaría (salida cercana a 0) y $z = 0$ la deja justo en medio (0.5).
""")

code(r"""
z_values = np.linspace(-8, 8, 200)
fig, ax = plt.subplots(figsize=(6, 3.6))
ax.plot(z_values, sigmoid(z_values), linewidth=2)
ax.scatter([7], [sigmoid(7)], color="crimson", zorder=3, label="z = 7 → 0.999")
ax.scatter([0], [0.5], color="gray", zorder=3, label="z = 0 → 0.5")
ax.set_xlabel("z = w·x + b")
ax.set_ylabel("σ(z)")
ax.set_title("La sigmoide convierte z en un número entre 0 y 1")
ax.grid(alpha=0.3)
ax.legend()
plt.show()
""")

# --------------------------------------------------------------------------- perceptron
md(r"""
## 2. El perceptrón de Rosenblatt

El perceptrón (Frank Rosenblatt, 1958) es una sola neurona cuya activación es el
**escalón de Heaviside**:

$$
\hat{y} = H(z) = \begin{cases} 1 & \text{si } z \ge 0 \\ 0 & \text{si } z < 0 \end{cases}
\qquad z = \mathbf{w}\cdot\mathbf{x} + b.
$$

Con dos entradas, los puntos donde $w_1 x_1 + w_2 x_2 + b = 0$ forman una **recta**: a un
lado el perceptrón responde 1 y al otro 0. Es decir, solo puede separar las clases con una
**frontera de decisión lineal**.
""")

code(r"""
def step(z):
    return (z >= 0).astype(int)


def perceptron_predict(x, w, b):
    return step(x @ w + b)
""")

md(r"""
### La regla de aprendizaje del perceptrón

El perceptrón aprende sus pesos a partir de ejemplos. Para cada ejemplo $(\mathbf{x}, y)$
compara su respuesta $\hat{y}$ con la correcta y corrige:

$$
\mathbf{w} \leftarrow \mathbf{w} + \eta\,(y - \hat{y})\,\mathbf{x}, \qquad
b \leftarrow b + \eta\,(y - \hat{y}).
$$

Si acierta, $y - \hat{y} = 0$ y nada cambia. Si responde 0 cuando tocaba 1, los pesos se
acercan a $\mathbf{x}$ (sube $z$); si responde 1 cuando tocaba 0, se alejan (baja $z$).
$\eta$ es la **tasa de aprendizaje**. Se repite el recorrido por los datos (cada recorrido
es una **época**) hasta que no haya errores o se agote el número de épocas.
""")

code(r"""
def train_perceptron(x, y, learning_rate=0.1, epochs=20):
    w = np.zeros(x.shape[1])
    b = 0.0
    errors_per_epoch = []
    for _ in range(epochs):
        errors = 0
        for xi, yi in zip(x, y):
            error = yi - step(np.dot(xi, w) + b)
            w = w + learning_rate * error * xi
            b = b + learning_rate * error
            errors += int(error != 0)
        errors_per_epoch.append(errors)
        if errors == 0:
            break
    return w, b, errors_per_epoch
""")

md(r"""
### AND y OR

Las cuatro combinaciones de dos entradas binarias son las mismas que las del problema XOR,
así que tomamos las entradas de `load_xor()` y calculamos las salidas de AND y OR:
""")

code(r"""
# NBVAL_CHECK_OUTPUT
x_bits, y_xor = load_xor()
y_and = (x_bits[:, 0] * x_bits[:, 1]).astype(int)
y_or = np.maximum(x_bits[:, 0], x_bits[:, 1]).astype(int)

print("x1 x2 | AND OR XOR")
for (x1, x2), a_, o_, x_ in zip(x_bits, y_and, y_or, y_xor):
    print(f" {x1:g}  {x2:g} |  {a_}   {o_}   {x_}")
""")

code(r"""
# NBVAL_CHECK_OUTPUT
def show_predictions(name, x, y, w, b):
    predictions = perceptron_predict(x, w, b)
    for xi, yi, pi in zip(x, y, predictions):
        mark = "✓" if yi == pi else "✗"
        print(f"  {name}{tuple(int(v) for v in xi)} = {yi}  predicción {pi} {mark}")
    hits = int((predictions == y).sum())
    print(f"  aciertos: {hits}/{len(y)}")
    return hits


w_and, b_and, errors_and = train_perceptron(x_bits, y_and)
print(f"AND: w = {np.round(w_and, 2)}, b = {b_and:.2f}, errores por época {errors_and}")
hits_and = show_predictions("AND", x_bits, y_and, w_and, b_and)

w_or, b_or, errors_or = train_perceptron(x_bits, y_or)
print(f"OR: w = {np.round(w_or, 2)}, b = {b_or:.2f}, errores por época {errors_or}")
hits_or = show_predictions("OR", x_bits, y_or, w_or, b_or)

print("AND y OR aprendidos sin errores:", hits_and == 4 and hits_or == 4)
""")

md(r"""
En pocas épocas el número de errores llega a 0: el perceptrón ha encontrado una recta que
separa los unos de los ceros. Dibujemos esas rectas (la línea negra es $w_1x_1 + w_2x_2 + b = 0$;
el color indica la puntuación $z$):
""")

code(r"""
fig, axes = plt.subplots(1, 2, figsize=(11, 4.4), layout="constrained")
plot_decision_boundary(lambda p: p @ w_and + b_and, x_bits, y_and, ax=axes[0],
                       title="Perceptrón aprendido: AND")
plot_decision_boundary(lambda p: p @ w_or + b_or, x_bits, y_or, ax=axes[1],
                       title="Perceptrón aprendido: OR")
plt.show()
""")

md(r"""
Fíjate en OR: la recta pasa justo por $(0, 1)$ y $(1, 0)$. Allí $z = 0$ y el escalón
responde 1, así que esos puntos quedan bien clasificados, aunque «por los pelos». El
perceptrón se detiene en cuanto deja de equivocarse: no busca la recta más alejada de los
puntos, solo una que funcione.
""")

# --------------------------------------------------------------------------- XOR
md(r"""
## 3. El problema XOR

XOR («o exclusivo») vale 1 cuando **exactamente una** de las entradas vale 1:

| $x_1$ | $x_2$ | ¿son distintas? | XOR |
|---|---|---|---|
| 0 | 0 | no | 0 |
| 0 | 1 | sí | 1 |
| 1 | 0 | sí | 1 |
| 1 | 1 | no | 0 |

Mira los cuatro puntos: los unos están en una diagonal y los ceros en la otra.
""")

code(r"""
plot_xor()
""")

md(r"""
Entrenemos el mismo perceptrón, ahora con muchas más épocas:
""")

code(r"""
# NBVAL_CHECK_OUTPUT
w_x, b_x, errors_x = train_perceptron(x_bits, y_xor, epochs=100)
print(f"épocas usadas: {len(errors_x)}; errores en las últimas 5: {errors_x[-5:]}")
hits_xor = show_predictions("XOR", x_bits, y_xor, w_x, b_x)
print("aciertos <= 3 de 4:", hits_xor <= 3)
""")

code(r"""
plot_decision_boundary(lambda p: p @ w_x + b_x, x_bits, y_xor,
                       title="Perceptrón tras 100 épocas en XOR")
""")

md(r"""
Los errores nunca llegan a 0: los pesos dan vueltas sin encontrar una solución. No es mala
suerte, es imposible. Si una recta resolviera XOR, tendría que cumplir a la vez:

- $(0,0) \to 0$: $\; b < 0$
- $(0,1) \to 1$: $\; w_2 + b \ge 0$
- $(1,0) \to 1$: $\; w_1 + b \ge 0$
- $(1,1) \to 0$: $\; w_1 + w_2 + b < 0$

Sumando la segunda y la tercera, $w_1 + w_2 + 2b \ge 0$, es decir
$w_1 + w_2 + b \ge -b > 0$, lo que contradice la cuarta. **Ninguna recta separa XOR**: la
mejor recta posible acierta 3 de los 4 puntos, y nuestro perceptrón, que sigue cambiando
de opinión en cada época, ha terminado con solo 2. Este resultado (Minsky y Papert, 1969) frenó la
investigación en redes neuronales durante años, hasta que se popularizó la solución:
**añadir capas ocultas**.
""")

# --------------------------------------------------------------------------- MLP
md(r"""
## 4. El perceptrón multicapa (MLP)

Un MLP encadena capas de neuronas: la **capa de entrada** (los datos), una o varias **capas
ocultas** y la **capa de salida**. En una capa *densa* cada neurona recibe todas las salidas
de la capa anterior, y cada neurona tiene su propio sesgo.

### ¿Cuántos parámetros tiene?

Tomemos una red con 3 entradas, una capa oculta de 4 neuronas y una salida de 2 neuronas.

- Entrada → oculta: $3 \times 4 = 12$ pesos y $4$ sesgos.
- Oculta → salida: $4 \times 2 = 8$ pesos y $2$ sesgos.

En general, una capa densa con $n_{\text{entradas}}$ entradas y $n$ neuronas tiene
$(n_{\text{entradas}} + 1)\times n$ parámetros (el $+1$ es el sesgo).
""")

code(r"""
# NBVAL_CHECK_OUTPUT
layer_sizes = [3, 4, 2]
n_weights = sum(n_in * n_out for n_in, n_out in zip(layer_sizes[:-1], layer_sizes[1:]))
n_biases = sum(layer_sizes[1:])
print(f"pesos: {n_weights}, sesgos: {n_biases}, parámetros en total: {n_weights + n_biases}")

mlp = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(4), keras.layers.Dense(2)])
print("Keras cuenta:", mlp.count_params())
print("coinciden:", mlp.count_params() == n_weights + n_biases)
""")

md(r"""
### Propagación hacia delante, a mano

Ahora una red 2-2-1: entradas $(2, 3)$, dos neuronas ocultas sigmoides $h_1, h_2$ y una
neurona de salida sigmoide. **Todas** las neuronas tienen pesos $[0, 1]$ y sesgo 0.

$$
h_1 = h_2 = \sigma(0\cdot 2 + 1\cdot 3 + 0) = \sigma(3) \approx 0.9526
$$

$$
\hat{y} = \sigma(0\cdot h_1 + 1\cdot h_2 + 0) = \sigma(0.9526) \approx 0.7216
$$

Con matrices, cada capa es una multiplicación y una activación: $\mathbf{h} = \sigma(\mathbf{x}W_1 + \mathbf{b}_1)$,
$\hat{y} = \sigma(\mathbf{h}W_2 + b_2)$. Cada **columna** de $W$ son los pesos de una neurona.
""")

code(r"""
# NBVAL_CHECK_OUTPUT
x_in = np.array([2.0, 3.0])
W1 = np.array([[0.0, 0.0],
               [1.0, 1.0]])   # column j = weights of hidden neuron j
b1 = np.zeros(2)
W2 = np.array([[0.0],
               [1.0]])
b2 = np.zeros(1)

h = sigmoid(x_in @ W1 + b1)
y_hat = sigmoid(h @ W2 + b2)
print(f"h1 = {h[0]:.4f}, h2 = {h[1]:.4f}")
print(f"salida = {y_hat[0]:.4f}")
print("h1 = h2 = sigmoide(3):", bool(np.allclose(h, sigmoid(3.0))), "| ≈ 0.9526:", bool(np.isclose(h[0], 0.9526, atol=5e-5)))
print("salida ≈ 0.7216:", bool(np.isclose(y_hat[0], 0.7216, atol=5e-5)))
""")

# --------------------------------------------------------------------------- hand-built XOR
md(r"""
## 5. Una red 2-2-1 que resuelve XOR (sin entrenar)

La idea: XOR es «OR **y** NO-AND». Una neurona oculta calcula OR, otra calcula NAND, y la
salida hace el AND de las dos. Con una sigmoide y pesos grandes cada neurona se comporta
casi como un escalón:

| neurona | pesos | sesgo | calcula |
|---|---|---|---|
| $h_1$ | $[20, 20]$ | $-10$ | $x_1$ OR $x_2$ |
| $h_2$ | $[-20, -20]$ | $30$ | $x_1$ NAND $x_2$ |
| salida | $[20, 20]$ | $-30$ | $h_1$ AND $h_2$ |
""")

code(r"""
# NBVAL_CHECK_OUTPUT
W1_xor = np.array([[20.0, -20.0],
                   [20.0, -20.0]])
b1_xor = np.array([-10.0, 30.0])
W2_xor = np.array([[20.0],
                   [20.0]])
b2_xor = np.array([-30.0])


def xor_network(x):
    h = sigmoid(x @ W1_xor + b1_xor)
    return sigmoid(h @ W2_xor + b2_xor)[:, 0]


probabilities = xor_network(x_bits)
predictions = (probabilities >= 0.5).astype(int)
for xi, p, yi in zip(x_bits, probabilities, y_xor):
    print(f"  {tuple(int(v) for v in xi)} → {p:.4f} → clase {int(p >= 0.5)} (correcta {yi})")
print(f"aciertos: {int((predictions == y_xor).sum())}/4")
""")

code(r"""
plot_decision_boundary(xor_network, x_bits, y_xor, title="Red 2-2-1 construida a mano")
""")

md(r"""
La capa oculta ha **doblado el espacio**: cada neurona oculta traza su propia recta y la
salida combina las dos, así que la región de la clase 1 es la franja entre ambas. Eso es lo
que un único perceptrón no puede hacer.
""")

# --------------------------------------------------------------------------- training from scratch
md(r"""
## 6. La misma red, aprendida desde cero

Escribir los pesos a mano no escala. Lo normal es **empezar con pesos aleatorios** y
**ajustarlos con descenso del gradiente**. Cada paso tiene cuatro fases:

1. **Propagación hacia delante**: $H = \sigma(XW_1 + \mathbf{b}_1)$, $\;\mathbf{p} = \sigma(HW_2 + b_2)$.
2. **Pérdida**: cuánto nos equivocamos. Usamos el error cuadrático medio
   $L = \frac{1}{N}\sum_{i}(p_i - y_i)^2$ (en el cuaderno 03 veremos otras).
3. **Retropropagación**: el gradiente de $L$ respecto a cada peso, con la **regla de la
   cadena**, de la salida hacia la entrada. Usando $\sigma'(z) = \sigma(z)\,(1-\sigma(z))$:

$$
\delta_2 = \frac{\partial L}{\partial z_2} = \frac{2}{N}(\mathbf{p} - \mathbf{y}) \odot \mathbf{p}\odot(1-\mathbf{p}),
\qquad \frac{\partial L}{\partial W_2} = H^\top \delta_2, \qquad \frac{\partial L}{\partial b_2} = \textstyle\sum \delta_2
$$

$$
\delta_1 = \frac{\partial L}{\partial z_1} = (\delta_2 W_2^\top) \odot H \odot (1 - H),
\qquad \frac{\partial L}{\partial W_1} = X^\top \delta_1, \qquad \frac{\partial L}{\partial \mathbf{b}_1} = \textstyle\sum \delta_1
$$

4. **Actualización**: cada parámetro da un pasito contra su gradiente,
   $\theta \leftarrow \theta - \eta\, \partial L / \partial \theta$.
""")

code(r"""
def init_params(seed):
    rng = np.random.default_rng(seed)
    return {
        "W1": rng.normal(0.0, 1.0, size=(2, 2)),
        "b1": np.zeros(2),
        "W2": rng.normal(0.0, 1.0, size=(2, 1)),
        "b2": np.zeros(1),
    }


def forward(params, x):
    h = sigmoid(x @ params["W1"] + params["b1"])
    p = sigmoid(h @ params["W2"] + params["b2"])
    return h, p


def mse_loss(p, y):
    return np.mean((p - y) ** 2)


def backward(params, x, y, h, p):
    n = len(x)
    delta2 = 2 / n * (p - y) * p * (1 - p)          # dL/dz2
    delta1 = (delta2 @ params["W2"].T) * h * (1 - h)  # dL/dz1 (chain rule)
    return {
        "W2": h.T @ delta2,
        "b2": delta2.sum(axis=0),
        "W1": x.T @ delta1,
        "b1": delta1.sum(axis=0),
    }
""")

md(r"""
Antes de entrenar, comprobemos que las fórmulas de la retropropagación son correctas. El
truco clásico es la **comprobación numérica del gradiente**: mover un peso un poquito
$\varepsilon$ y medir cuánto cambia la pérdida,
$\frac{\partial L}{\partial \theta} \approx \frac{L(\theta+\varepsilon) - L(\theta-\varepsilon)}{2\varepsilon}$.
""")

code(r"""
# NBVAL_CHECK_OUTPUT
x_train = x_bits.astype(float)
y_train = y_xor.reshape(-1, 1).astype(float)

params = init_params(seed=42)
h, p = forward(params, x_train)
grads = backward(params, x_train, y_train, h, p)

eps = 1e-6
all_close = True
for name, value in params.items():
    numeric = np.zeros_like(value)
    for index in np.ndindex(value.shape):
        original = value[index]
        value[index] = original + eps
        loss_plus = mse_loss(forward(params, x_train)[1], y_train)
        value[index] = original - eps
        loss_minus = mse_loss(forward(params, x_train)[1], y_train)
        value[index] = original
        numeric[index] = (loss_plus - loss_minus) / (2 * eps)
    all_close &= bool(np.allclose(numeric, grads[name], atol=1e-8))
print("gradientes de la retropropagación == gradientes numéricos:", all_close)
""")

md(r"""
Las fórmulas coinciden. Ahora el bucle de entrenamiento: 5000 pasos de descenso del gradiente
con tasa de aprendizaje $\eta = 2$, usando los cuatro ejemplos en cada paso.
""")

code(r"""
def train_xor(seed, learning_rate=2.0, epochs=5000):
    params = init_params(seed)
    losses = []
    for _ in range(epochs):
        h, p = forward(params, x_train)                  # 1. forward pass
        losses.append(mse_loss(p, y_train))              # 2. loss
        grads = backward(params, x_train, y_train, h, p) # 3. backpropagation
        for name in params:                              # 4. update
            params[name] -= learning_rate * grads[name]
    return params, losses


params, losses = train_xor(seed=42)
print(f"pérdida inicial: {losses[0]:.3f}   pérdida final: {losses[-1]:.4f}")
""")

code(r"""
fig, ax = plt.subplots(figsize=(6, 3.6))
ax.plot(losses, linewidth=2)
ax.set_xlabel("paso de descenso del gradiente")
ax.set_ylabel("pérdida (MSE)")
ax.set_title("Entrenamiento de la red 2-2-1 en XOR")
ax.grid(alpha=0.3)
plt.show()
""")

md(r"""
La pérdida se queda un rato en una meseta (la red todavía no ha «descubierto» cómo usar la
capa oculta) y después cae. Veamos las predicciones:
""")

code(r"""
# NBVAL_CHECK_OUTPUT
_, p_final = forward(params, x_train)
learned_classes = (p_final[:, 0] >= 0.5).astype(int)
for xi, pi, ci, yi in zip(x_bits, p_final[:, 0], learned_classes, y_xor):
    print(f"  {tuple(int(v) for v in xi)} → {pi:.2f} → clase {ci} (correcta {yi})")
print(f"aciertos: {int((learned_classes == y_xor).sum())}/4")
""")

code(r"""
plot_decision_boundary(lambda pts: forward(params, pts)[1][:, 0], x_bits, y_xor,
                       title="Red 2-2-1 entrenada con descenso del gradiente")
""")

md(r"""
¡4 de 4! La red ha encontrado sola unos pesos que resuelven XOR. Un aviso honesto: con solo
dos neuronas ocultas, algunas inicializaciones se quedan atascadas en un **mínimo local**.
Probemos 20 semillas distintas:
""")

code(r"""
# NBVAL_CHECK_OUTPUT
solved = []
for seed in range(20):
    trained, _ = train_xor(seed)
    classes = (forward(trained, x_train)[1][:, 0] >= 0.5).astype(int)
    solved.append(bool((classes == y_xor).all()))
print(f"semillas que resuelven XOR: {sum(solved)} de 20")
""")

md(r"""
La mayoría lo consiguen, pero no todas. Por eso en la práctica se usan capas ocultas algo
más anchas de lo estrictamente necesario y optimizadores más robustos: son los temas de los
próximos cuadernos.
""")

# --------------------------------------------------------------------------- summary
md(r"""
## Resumen

- Una neurona calcula $z = \mathbf{w}\cdot\mathbf{x} + b$ y devuelve $f(z)$. Con
  $\mathbf{x}=(2,3)$, $\mathbf{w}=[0,1]$, $b=4$: $z = 7$ y $\sigma(7)\approx 0.999$.
- El **perceptrón** (escalón de Heaviside) aprende con la regla
  $\mathbf{w} \leftarrow \mathbf{w} + \eta(y-\hat{y})\mathbf{x}$ y solo traza **fronteras
  lineales**: aprende AND y OR, pero nunca XOR (como mucho 3 de 4 aciertos).
- Un **MLP** añade capas ocultas; una capa densa tiene $(n_{\text{entradas}}+1)\times n$
  parámetros (la red 3-4-2 tiene 26).
- La propagación hacia delante es multiplicar matrices y aplicar activaciones
  ($\sigma(3)\approx 0.9526$, $\sigma(0.9526)\approx 0.7216$).
- Una red 2-2-1 resuelve XOR, con pesos puestos a mano o **aprendidos** con descenso del
  gradiente: propagación, pérdida, retropropagación (regla de la cadena) y actualización.
""")

md(r"""
## Ejercicios de práctica

Estos ejercicios no puntúan: sirven para comprobar que lo has entendido. Escribe tu
respuesta en la celda, ejecútala y ejecuta la comprobación. Si te atascas, quita el `#` de
`practica.ejN.hint()` o, en último caso, de `practica.ejN.solution()`.
""")

md(r"""
### Ejercicio 1: una neurona sigmoide

Completa la función `neurona(x, w, b)` para que devuelva la salida de una neurona con
activación sigmoide: $\sigma(\mathbf{w}\cdot\mathbf{x} + b)$.
""")

code(r"""
def neurona(x, w, b):
    # Tu código aquí
    raise NotImplementedError
""")

code(r"""
practica.ej1.check(neurona)
# practica.ej1.hint()
# practica.ej1.solution()
""")

md(r"""
### Ejercicio 2: contar los parámetros de un MLP

Una red tiene 4 entradas, dos capas ocultas de 5 neuronas y 1 neurona de salida (4-5-5-1),
todas densas y con sesgo. ¿Cuántos parámetros tiene en total? Guarda el número en
`n_parametros` (puedes calcularlo con código).
""")

code(r"""
n_parametros = ...  # tu respuesta
""")

code(r"""
practica.ej2.check(n_parametros)
# practica.ej2.hint()
# practica.ej2.solution()
""")

md(r"""
### Ejercicio 3: un perceptrón que calcula NAND

NAND vale 0 solo cuando las dos entradas valen 1. Elige unos pesos `w_nand` (dos números) y
un sesgo `b_nand` para que `step(x @ w_nand + b_nand)` calcule NAND en los cuatro casos.
Puedes probar tu elección con `perceptron_predict(x_bits, w_nand, b_nand)`.
""")

code(r"""
w_nand = ...  # np.array([?, ?])
b_nand = ...  # un número
""")

code(r"""
practica.ej3.check(w_nand, b_nand)
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
