"""Build notebooks/04_optimizadores_y_entrenamiento.ipynb (without outputs).

Usage: python tools/notebooks/build_nb04.py, then execute the notebook with
nbconvert so that its outputs are committed (nbval compares them).
"""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

import nbformat

ROOT = Path(__file__).resolve().parents[2]
TARGET = ROOT / "notebooks" / "04_optimizadores_y_entrenamiento.ipynb"

cells: list = []


def md(text: str) -> None:
    cells.append(nbformat.v4.new_markdown_cell(dedent(text).strip("\n")))


def code(text: str, *, check: bool = False, raises: bool = False) -> None:
    source = dedent(text).strip("\n")
    if check:
        source = "# NBVAL_CHECK_OUTPUT\n" + source
    cell = nbformat.v4.new_code_cell(source)
    if raises:
        cell.metadata["tags"] = ["raises-exception"]
    cells.append(cell)


md(r"""
# 04 — Optimizadores y entrenamiento

Ya sabes cómo calcula una red su salida (cuaderno 01), qué activaciones usa (02) y cómo
se mide su error con una función de pérdida (03). Falta la pieza central: **cómo se
ajustan los pesos para que la pérdida baje**. De eso trata este cuaderno.

Aprenderás:

1. la regla del **descenso del gradiente** y cómo se ve sobre una superficie de pérdida;
2. el vocabulario de **época, lote (batch) e iteración**, y las variantes por lotes,
   mini-lotes y estocástica;
3. el efecto de la **tasa de aprendizaje**: demasiado baja, adecuada y demasiado alta;
4. los **optimizadores de Keras** (SGD con momento, RMSprop, Adam...) y sus valores por defecto;
5. la **retropropagación** como regla de la cadena;
6. el «hola mundo» de Keras: una neurona que aprende la recta $y = 2x - 1$.
""")

code("""
from course.setup import notebook_setup

notebook_setup(seed=42)

import math

import keras
import matplotlib.pyplot as plt
import numpy as np

from course import plots
from course.datasets import make_xor_cloud
from course.practice import nb04 as practica
""")

md(r"""
## 1. Entrenar es bajar por una ladera

Entrenar una red es buscar los parámetros $w$ (pesos y sesgos) que hacen mínimo el coste
$J(w)$. El **gradiente** $\nabla J(w)$ apunta hacia donde $J$ crece más deprisa, así que
damos un paso pequeño en sentido contrario:

$$w_{k+1} = w_k - \eta \, \nabla J(w_k)$$

- $w_k$ son los parámetros después de $k$ pasos;
- $\eta$ (eta) es la **tasa de aprendizaje** (*learning rate*): la longitud del paso;
- repetimos el paso muchas veces: es un método **iterativo**.

Empecemos con un solo parámetro. Si $J(w) = (w - 3)^2$, su derivada es $J'(w) = 2(w - 3)$ y
el mínimo está en $w = 3$. Con $\eta = 0.1$ cada paso hace
$w_{k+1} = w_k - 0.2\,(w_k - 3)$: la distancia al mínimo se multiplica por $0.8$. Partiendo
de $w_0 = 0$ eso da $w_k = 3\,(1 - 0.8^k)$. Comprobémoslo.
""")

code(
    """
def derivada_J(w):
    return 2 * (w - 3)


eta = 0.1
w = 0.0
valores = [w]
for _ in range(5):
    w = w - eta * derivada_J(w)
    valores.append(w)

print("w_0 ... w_5:", [round(v, 4) for v in valores])
formula = [3 * (1 - 0.8**k) for k in range(6)]
print("Coincide con 3·(1 − 0.8^k):", bool(np.allclose(valores, formula)))
""",
    check=True,
)

md(r"""
Cada paso acerca $w$ a 3, pero cada vez un poco menos: cerca del mínimo la pendiente es
suave y los pasos se acortan solos.

## 2. La superficie de pérdida de un modelo con dos parámetros

Con dos parámetros ya podemos *dibujar* la pérdida. Tomemos el modelo más sencillo,
una recta $\hat y = w\,x + b$, y seis puntos $(x, y)$ que están exactamente sobre la recta
$y = 2x - 1$: $(-1, -3)$, $(0, -1)$, $(1, 1)$, $(2, 3)$, $(3, 5)$ y $(4, 7)$.

El coste es el error cuadrático medio (MSE) sobre los $N = 6$ puntos, y sus derivadas
parciales se obtienen derivando el cuadrado:

$$J(w, b) = \frac{1}{N}\sum_{i=1}^{N} (w\,x_i + b - y_i)^2, \qquad
\frac{\partial J}{\partial w} = \frac{2}{N}\sum_i (w\,x_i + b - y_i)\,x_i, \qquad
\frac{\partial J}{\partial b} = \frac{2}{N}\sum_i (w\,x_i + b - y_i).$$

El mínimo está en $(w, b) = (2, -1)$, donde la pérdida vale 0. En el origen,
$J(0, 0) = \frac{9 + 1 + 1 + 9 + 25 + 49}{6} = \frac{94}{6} \approx 15.6667$.
""")

code(
    """
xs = np.array([-1.0, 0.0, 1.0, 2.0, 3.0, 4.0])
ys = np.array([-3.0, -1.0, 1.0, 3.0, 5.0, 7.0])


def coste(w, b):
    \"\"\"MSE of the line w*x + b on (xs, ys); w and b may be numbers or whole grids.\"\"\"
    w = np.asarray(w, dtype=float)[..., None]
    b = np.asarray(b, dtype=float)[..., None]
    return np.mean((w * xs + b - ys) ** 2, axis=-1)


def gradiente(w, b):
    \"\"\"(dJ/dw, dJ/db) at one point (w, b).\"\"\"
    error = w * xs + b - ys
    return 2 * np.mean(error * xs), 2 * np.mean(error)


print("J(2, -1) =", round(float(coste(2.0, -1.0)), 4))
print("J(0, 0)  =", round(float(coste(0.0, 0.0)), 4))
print("J(0, 0) == 94/6:", bool(np.isclose(coste(0.0, 0.0), 94 / 6)))
""",
    check=True,
)

md(r"""
¿Están bien nuestras derivadas? Una comprobación clásica es compararlas con **diferencias
finitas**: mover un parámetro una cantidad diminuta $h$ y medir cuánto cambia $J$.
""")

code(
    """
w0, b0, h = 0.5, 1.5, 1e-6
dw, db = gradiente(w0, b0)
dw_num = (coste(w0 + h, b0) - coste(w0 - h, b0)) / (2 * h)
db_num = (coste(w0, b0 + h) - coste(w0, b0 - h)) / (2 * h)
print(f"dJ/dw: fórmula {dw:.4f}, diferencias finitas {float(dw_num):.4f}")
print(f"dJ/db: fórmula {db:.4f}, diferencias finitas {float(db_num):.4f}")
print("Las derivadas coinciden:", bool(np.isclose(dw, dw_num) and np.isclose(db, db_num)))
""",
    check=True,
)

md(r"""
Ahora el descenso del gradiente completo: partimos de $(w, b) = (-1, 3)$, lejos del mínimo,
y guardamos cada punto visitado para dibujar el **camino del optimizador**.
""")

code(
    """
def descenso_gradiente(w, b, eta, pasos):
    \"\"\"Full-batch gradient descent; returns the visited points, shape (pasos + 1, 2).\"\"\"
    camino = [(w, b)]
    for _ in range(pasos):
        dw, db = gradiente(w, b)
        w, b = w - eta * dw, b - eta * db
        camino.append((w, b))
    return np.array(camino)


camino = descenso_gradiente(-1.0, 3.0, eta=0.05, pasos=150)
w_final, b_final = camino[-1]
print(f"Tras 150 pasos: w = {w_final:.3f}, b = {b_final:.3f}, J = {float(coste(w_final, b_final)):.5f}")
print("Llega al mínimo (2, -1):", bool(np.allclose(camino[-1], [2.0, -1.0], atol=0.01)))
""",
    check=True,
)

code("""
plots.plot_loss_surface(
    coste,
    camino,
    w_range=(-2.0, 4.0),
    b_range=(-4.0, 4.0),
    log_scale=True,
    title="MSE de la recta w·x + b y camino del descenso del gradiente",
)
""")

md(r"""
Las curvas de nivel son elipses alargadas: la pérdida es mucho más sensible a $w$ que a
$b$ (los valores de $x$ llegan a 4). Por eso el camino primero corrige $w$ deprisa y después
recorre despacio el fondo del valle hasta la estrella, que marca el final.

## 3. Por lotes, por mini-lotes o estocástico

Para calcular el gradiente exacto hay que recorrer **todos** los ejemplos. Con millones de
ejemplos eso es caro, así que en la práctica se estima con una parte:

| variante | ejemplos por paso | pasos por época | camino |
|---|---|---|---|
| descenso **por lotes** (*batch*) | todos ($N$) | 1 | suave, pero cada paso es caro |
| **mini-lotes** (*mini-batch*) | $B$ (p. ej. 32) | $\lceil N / B \rceil$ | algo de ruido, muy eficiente |
| **estocástico** (SGD puro) | 1 | $N$ | muy ruidoso |

Vocabulario que usa Keras:

- **época** (*epoch*): una pasada completa por todos los ejemplos de entrenamiento;
- **lote** (*batch*): los ejemplos con los que se calcula un gradiente; su tamaño es
  `batch_size`;
- **iteración** o **paso** (*step*): una actualización de los pesos, es decir, un lote.

Por tanto, iteraciones por época $= \lceil N / B \rceil$ (el último lote puede quedar
incompleto, pero también cuenta). Por ejemplo:

- 1000 ejemplos con lotes de 20 → $1000 / 20 = 50$ iteraciones por época;
- 24 ejemplos con lotes de 4 → $24 / 4 = 6$ iteraciones por época;
- si no indicas `batch_size`, Keras usa **32**: las 60 000 imágenes de entrenamiento de
  Fashion-MNIST dan $60\,000 / 32 = 1875$ pasos por época.
""")

code(
    """
def iteraciones_por_epoca(n_ejemplos, batch_size):
    return math.ceil(n_ejemplos / batch_size)


print("1000 ejemplos, lotes de 20 ->", iteraciones_por_epoca(1000, 20))
print("  24 ejemplos, lotes de 4  ->", iteraciones_por_epoca(24, 4))
print("60000 ejemplos, lotes de 32 ->", iteraciones_por_epoca(60_000, 32))
""",
    check=True,
)

md(r"""
No hace falta creerlo: se lo preguntamos a Keras. Un **callback** (lo verás a fondo en el
cuaderno 06) es un objeto al que `fit` avisa en cada momento del entrenamiento; este cuenta
los lotes de una época. El tercer caso no indica `batch_size`, así que usa el de Keras.
""")

code(
    """
class ContadorDePasos(keras.callbacks.Callback):
    \"\"\"Counts the training steps (batches) of the last epoch.\"\"\"

    def on_epoch_begin(self, epoch, logs=None):
        self.pasos = 0

    def on_train_batch_end(self, batch, logs=None):
        self.pasos += 1


def pasos_en_keras(n_ejemplos, batch_size=None):
    modelo = keras.Sequential([keras.Input(shape=(1,)), keras.layers.Dense(1)])
    modelo.compile(optimizer="sgd", loss="mse")
    x = np.zeros((n_ejemplos, 1), dtype="float32")
    contador = ContadorDePasos()
    modelo.fit(x, x, batch_size=batch_size, epochs=1, verbose=0, callbacks=[contador])
    return contador.pasos


print("Keras, 1000 ejemplos con batch_size=20:", pasos_en_keras(1000, 20))
print("Keras, 24 ejemplos con batch_size=4:   ", pasos_en_keras(24, 4))
print("Keras, 60000 ejemplos sin batch_size:  ", pasos_en_keras(60_000))
""",
    check=True,
)

md(r"""
¿Cómo se ven las tres variantes sobre nuestra superficie? Implementamos los mini-lotes en
NumPy: en cada época barajamos los ejemplos, los partimos en lotes de tamaño $B$ y damos un
paso con el gradiente de cada lote. Con $B = 6$ (todos) es el descenso por lotes; con $B = 1$,
el estocástico. Las tres corren 25 épocas con la misma $\eta = 0.05$.
""")

code(
    """
def descenso_mini_lotes(w, b, eta, epocas, batch_size, seed=0):
    rng = np.random.default_rng(seed)
    camino = [(w, b)]
    for _ in range(epocas):
        orden = rng.permutation(len(xs))
        for inicio in range(0, len(xs), batch_size):
            lote = orden[inicio : inicio + batch_size]
            error = w * xs[lote] + b - ys[lote]
            dw, db = 2 * np.mean(error * xs[lote]), 2 * np.mean(error)
            w, b = w - eta * dw, b - eta * db
            camino.append((w, b))
    return np.array(camino)


caminos = {
    "por lotes (B = 6)": descenso_mini_lotes(-1.0, 3.0, 0.05, 25, batch_size=6),
    "mini-lotes (B = 2)": descenso_mini_lotes(-1.0, 3.0, 0.05, 25, batch_size=2),
    "estocástico (B = 1)": descenso_mini_lotes(-1.0, 3.0, 0.05, 25, batch_size=1),
}
for nombre, c in caminos.items():
    print(f"{nombre:20s}: {len(c) - 1:3d} pasos en 25 épocas")
""",
    check=True,
)

code("""
plots.plot_loss_surface(
    coste,
    caminos,
    w_range=(-2.0, 4.0),
    b_range=(-4.0, 4.0),
    log_scale=True,
    title="Mismas 25 épocas: por lotes, mini-lotes y estocástico",
)
""")

md(r"""
Con el mismo número de épocas, los mini-lotes y el estocástico dan muchos más pasos y
llegan más cerca del mínimo, a cambio de un camino en zigzag: cada lote «ve» solo una parte
de los datos. En redes reales se usan mini-lotes: aprovechan bien la CPU o la GPU y el ruido
incluso ayuda a salir de zonas planas.

## 4. La tasa de aprendizaje: ni poco ni mucho

La tasa $\eta$ es el hiperparámetro más importante del entrenamiento. Repetimos el descenso
por lotes desde el mismo punto con tres tasas:

- $\eta = 0.005$: **demasiado baja**, avanza, pero muy despacio;
- $\eta = 0.05$: **adecuada**;
- $\eta = 0.2$: **demasiado alta**, cada paso salta al otro lado del valle y más arriba:
  la pérdida **diverge**.
""")

code(
    """
tasas = {"demasiado baja": 0.005, "adecuada": 0.05, "demasiado alta": 0.2}
caminos_eta = {}
for etiqueta, tasa in tasas.items():
    caminos_eta[f"η = {tasa} ({etiqueta})"] = descenso_gradiente(-1.0, 3.0, eta=tasa, pasos=80)

for nombre, c in caminos_eta.items():
    inicial, final = float(coste(*c[0])), float(coste(*c[-1]))
    print(f"{nombre:28s}: J inicial = {inicial:.2f}, J tras 80 pasos = {final:.3g}")

perdidas = {nombre: coste(c[:, 0], c[:, 1]) for nombre, c in caminos_eta.items()}
baja, buena, alta = perdidas.values()
print("η = 0.005 todavía lejos del mínimo (J > 1):", bool(baja[-1] > 1))
print("η = 0.05 casi en el mínimo (J < 0.01):", bool(buena[-1] < 0.01))
print("η = 0.2 diverge (J final > J inicial):", bool(alta[-1] > alta[0]))
""",
    check=True,
)

code("""
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4.2), layout="constrained")
colores = ["#ff7f0e", "#ff4fd8", "0.3"]  # the colours of the paths in the right panel
for (nombre, valores_j), color in zip(perdidas.items(), colores):
    ax1.plot(valores_j, marker=".", color=color, label=nombre)
ax1.set_yscale("log")
ax1.set_xlabel("paso")
ax1.set_ylabel("pérdida J (escala logarítmica)")
ax1.set_title("Pérdida en cada paso")
ax1.legend()
plots.plot_loss_surface(
    coste,
    {nombre: c[:12] for nombre, c in caminos_eta.items()},
    w_range=(-4.0, 8.0),
    b_range=(-4.0, 5.0),
    log_scale=True,
    ax=ax2,
    title="Los 12 primeros pasos de cada tasa",
)
plt.show()
""")

md(r"""
La tasa alta (línea gris a la izquierda, camino blanco a la derecha) no es «más rápida»: es
inservible, porque cada paso rebota más lejos que el anterior. En redes reales la divergencia se ve como una pérdida que crece época a época y
acaba en `nan`.

Como punto de partida razonable: con **Adam**, $\eta$ entre $10^{-4}$ y $10^{-3}$ (su valor
por defecto es $10^{-3}$); con **SGD**, alrededor de $10^{-2}$. Si la pérdida sube o da `nan`,
divide la tasa por 10; si baja con desesperante lentitud, multiplícala.

## 5. Los optimizadores de Keras

Todos parten del descenso del gradiente y cambian *cómo* se usa el gradiente:

- **SGD con momento**: acumula una «velocidad» que suaviza el zigzag y acelera en los valles
  largos, como una bola que rueda:
  $v_{k+1} = \beta\, v_k - \eta\, \nabla J(w_k)$, $\;w_{k+1} = w_k + v_{k+1}$ (con $\beta \approx 0.9$).
  Con **Nesterov**, el gradiente se evalúa en el punto al que la velocidad nos va a llevar,
  lo que corrige antes los excesos.
- **Adagrad**: cada parámetro tiene su propia tasa, dividida por la raíz de la suma de todos
  sus gradientes al cuadrado; útil con datos dispersos, pero la tasa solo puede bajar.
- **Adadelta** y **RMSprop**: como Adagrad, pero con una media móvil de los gradientes al
  cuadrado, así que la tasa efectiva no se apaga.
- **Adam**: momento + RMSprop, con una corrección de sesgo para los primeros pasos:
  $m_k = \beta_1 m_{k-1} + (1-\beta_1) g_k$, $\;v_k = \beta_2 v_{k-1} + (1-\beta_2) g_k^2$,
  $\;w_{k+1} = w_k - \eta\, \hat m_k / (\sqrt{\hat v_k} + \epsilon)$.
- **Adamax**: variante de Adam con la norma del máximo; **Nadam**: Adam con Nesterov.
- **Ftrl**: pensado para modelos lineales enormes y dispersos (publicidad, recomendación).

Cada optimizador es una clase de `keras.optimizers`. En vez de memorizar sus tasas por
defecto, se las preguntamos a los propios objetos:
""")

code(
    """
nombres = ["SGD", "RMSprop", "Adagrad", "Adadelta", "Adam", "Adamax", "Nadam", "Ftrl"]
for nombre in nombres:
    optimizador = getattr(keras.optimizers, nombre)()
    print(f"keras.optimizers.{nombre + '()':11s} learning_rate por defecto = {float(optimizador.learning_rate):g}")
""",
    check=True,
)

md(r"""
Solo SGD usa por defecto $0.01$; los demás, $0.001$. El momento y Nesterov son argumentos
de `SGD`:
""")

code(
    """
sgd_nesterov = keras.optimizers.SGD(learning_rate=0.01, momentum=0.9, nesterov=True)
print("learning_rate:", round(float(sgd_nesterov.learning_rate), 6))
print("momentum:", sgd_nesterov.momentum, "| nesterov:", sgd_nesterov.nesterov)
""",
    check=True,
)

md(r"""
### Cuidado: `lr=` ya no existe

Muchos tutoriales (y apuntes) escritos para Keras 2 crean el optimizador con `lr=`. En
Keras 3 ese argumento desapareció y la línea falla. Ejecuta la celda para ver el error
real y la explicación:
""")

code(
    """
optimizador = keras.optimizers.Adam(lr=0.001)
""",
    raises=True,
)

md("La corrección es escribir el nombre completo del argumento, `learning_rate=`:")

code(
    """
optimizador = keras.optimizers.Adam(learning_rate=0.001)
print("learning_rate:", round(float(optimizador.learning_rate), 6))
""",
    check=True,
)

md(r"""
### SGD, RMSprop y Adam sobre el mismo problema

Comparemos tres optimizadores con sus tasas por defecto en un problema de clasificación:
una nube de 200 puntos con forma de XOR (el problema que un perceptrón no puede resolver).
Restamos 0.5 a las coordenadas para que los datos queden centrados en cero, algo que casi
siempre facilita el entrenamiento. La red es pequeña, `2 → 16 (ReLU) → 1 (sigmoide)`, y para
ser justos las tres parten de **los mismos pesos iniciales** (volvemos a fijar la semilla antes
de crear cada modelo). Cada una entrena 40 épocas con lotes de 8.
""")

code("""
x_nube, y_nube = make_xor_cloud(n=200, noise=0.2, seed=0)
x_nube = x_nube - 0.5  # centre the four corners around zero


def crear_red(optimizador):
    keras.utils.set_random_seed(0)  # same initial weights for every optimiser
    red = keras.Sequential(
        [
            keras.Input(shape=(2,)),
            keras.layers.Dense(16, activation="relu"),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    red.compile(optimizer=optimizador, loss="binary_crossentropy", metrics=["accuracy"])
    return red


historias = {}
for nombre in ["SGD", "RMSprop", "Adam"]:
    red = crear_red(getattr(keras.optimizers, nombre)())
    historias[nombre] = red.fit(x_nube, y_nube, epochs=40, batch_size=8, verbose=0).history
    print(
        f"{nombre:8s}: pérdida final {historias[nombre]['loss'][-1]:.3f}, "
        f"exactitud final {historias[nombre]['accuracy'][-1]:.2f}"
    )
""")

code("""
fig, ax = plt.subplots(figsize=(7, 4), layout="constrained")
for nombre, historia in historias.items():
    ax.plot(range(1, len(historia["loss"]) + 1), historia["loss"], label=nombre)
ax.set_xlabel("época")
ax.set_ylabel("pérdida de entrenamiento (entropía cruzada binaria)")
ax.set_title("Mismo problema, mismos pesos iniciales, tres optimizadores")
ax.legend()
plt.show()
""")

md(r"""
Con sus valores por defecto, RMSprop y Adam bajan la pérdida bastante más deprisa que SGD:
adaptan el paso de cada peso a la escala de su gradiente. Por eso la recomendación habitual
es **empezar con Adam (o RMSprop)** y probar otros solo si hay motivo.

## 6. Retropropagación: la regla de la cadena, bien organizada

Todos estos optimizadores necesitan el gradiente de la pérdida respecto a **cada** peso.
Para una neurona $z = w x + b$, $a = \sigma(z)$ con pérdida $L = (a - y)^2$, la regla de la
cadena multiplica las derivadas de cada eslabón:

$$\frac{\partial L}{\partial w} = \frac{\partial L}{\partial a}\cdot\frac{\partial a}{\partial z}\cdot\frac{\partial z}{\partial w}
= 2(a - y)\cdot \sigma(z)\,\bigl(1 - \sigma(z)\bigr)\cdot x .$$

En una red con muchas capas, la **retropropagación** (*backpropagation*) calcula estos
productos desde la pérdida hacia atrás, capa a capa, y reutiliza los factores comunes: el
gradiente de todos los pesos cuesta lo mismo que un par de pasadas hacia delante. Keras lo
hace por ti (con TensorFlow por debajo, mediante `tf.GradientTape`). Comprobemos a mano un
caso con $x = 1.5$, $y = 1$, $w = 0.8$, $b = -0.5$:
""")

code(
    """
import tensorflow as tf

x, y, w, b = 1.5, 1.0, 0.8, -0.5
z = w * x + b
a = 1 / (1 + np.exp(-z))
dL_da = 2 * (a - y)
da_dz = a * (1 - a)
dz_dw = x
dL_dw = dL_da * da_dz * dz_dw
print(f"z = {z:.4f}, a = {a:.4f}")
print(f"dL/da = {dL_da:.4f}, da/dz = {da_dz:.4f}, dz/dw = {dz_dw:.4f}")
print(f"dL/dw por la regla de la cadena = {dL_dw:.4f}")

w_tf = tf.Variable(w, dtype=tf.float64)
with tf.GradientTape() as cinta:
    perdida = (tf.sigmoid(w_tf * x + b) - y) ** 2
dL_dw_tf = float(cinta.gradient(perdida, w_tf))
print(f"dL/dw calculado por TensorFlow = {dL_dw_tf:.4f}")
print("Coinciden:", bool(np.isclose(dL_dw, dL_dw_tf)))
""",
    check=True,
)

md(r"""
## 7. El «hola mundo» de Keras: aprender $y = 2x - 1$

Juntamos todo en el ejemplo más pequeño posible: los seis puntos de la sección 2, **una
sola neurona** (`Dense(1)`, lineal, es decir, $\hat y = w x + b$), el optimizador **SGD**, la
pérdida **MSE** y **500 épocas**. Como los seis ejemplos caben en un lote, cada época es un
paso de descenso del gradiente por lotes, igual que en nuestra versión en NumPy.
""")

code("""
keras.utils.set_random_seed(42)
modelo = keras.Sequential([keras.Input(shape=(1,)), keras.layers.Dense(1)])
modelo.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01), loss="mse")
historia = modelo.fit(xs, ys, epochs=500, verbose=0)
print(f"Pérdida en la época 1: {historia.history['loss'][0]:.3f}")
print(f"Pérdida en la época 500: {historia.history['loss'][-1]:.6f}")
""")

code("""
plots.plot_history(historia, title="Hola mundo: pérdida MSE durante 500 épocas")
""")

md(r"""
La recta verdadera da $2 \cdot 10 - 1 = 19$ para $x = 10$. ¿Qué predice el modelo? ¿Y qué
peso y sesgo ha aprendido?
""")

code(
    """
prediccion = float(modelo.predict(np.array([[10.0]]), verbose=0)[0, 0])
peso, sesgo = modelo.layers[0].get_weights()
peso, sesgo = float(peso[0, 0]), float(sesgo[0])
print(f"Predicción para x = 10: {prediccion:.1f}")
print(f"Peso aprendido: {peso:.1f}   Sesgo aprendido: {sesgo:.1f}")
print("|predicción − 19| < 0.5:", abs(prediccion - 19) < 0.5)
print("peso ≈ 2 (±0.05):", abs(peso - 2) < 0.05)
print("sesgo ≈ −1 (±0.05):", abs(sesgo + 1) < 0.05)
""",
    check=True,
)

md(r"""
El modelo no da *exactamente* 19: ha visto solo seis puntos y ha entrenado un número
finito de pasos, así que sus parámetros están muy cerca de $(2, -1)$ pero no son idénticos.
Una red no almacena la fórmula: la **aproxima** a partir de los datos.

## Resumen

- Entrenar es minimizar el coste con pasos $w_{k+1} = w_k - \eta\,\nabla J(w_k)$; la superficie
  de pérdida y el camino del optimizador ayudan a verlo.
- Una **época** recorre todos los ejemplos; un **lote** (`batch_size`, 32 por defecto en
  Keras) produce una **iteración**: hay $\lceil N/B \rceil$ iteraciones por época
  (1000/20 → 50, 24/4 → 6, 60 000/32 → 1875).
- La **tasa de aprendizaje** decide el éxito: demasiado baja es lenta, demasiado alta diverge.
- Keras ofrece SGD (con momento y Nesterov), RMSprop, Adagrad, Adadelta, Adam, Adamax, Nadam
  y Ftrl; SGD usa $\eta = 0.01$ por defecto y los demás $0.001$. Empieza con Adam o RMSprop.
- En Keras 3 la tasa se pasa siempre como `learning_rate=` (no `lr=`).
- La **retropropagación** obtiene el gradiente con la regla de la cadena.
- Una sola neurona entrenada con SGD y MSE aprende $y = 2x - 1$: peso ≈ 2, sesgo ≈ −1.

## Ejercicios de práctica

Cada ejercicio tiene una celda para tu respuesta y otra que la comprueba. Si te atascas,
quita el `#` de `hint()` para ver una pista o de `solution()` para ver la solución.

### Ejercicio 1: iteraciones por época

Entrenas con 2500 ejemplos y `batch_size=64`. ¿Cuántas iteraciones (pasos) hace Keras en
cada época? Guarda el número en `iteraciones`.
""")

code("""
iteraciones = ...  # tu respuesta
""")

code("""
practica.ej1.check(iteraciones)
# practica.ej1.hint()
# practica.ej1.solution()
""")

md("""
### Ejercicio 2: diagnosticar la tasa de aprendizaje

Una compañera entrena una red y obtiene estas pérdidas en las cuatro primeras épocas:
`0.9 → 4.7 → 310 → nan`. ¿Cómo es su tasa de aprendizaje? Guarda en `diagnostico` una de
estas opciones: `"demasiado baja"`, `"adecuada"` o `"demasiado alta"`.
""")

code("""
diagnostico = ...  # "demasiado baja", "adecuada" o "demasiado alta"
""")

code("""
practica.ej2.check(diagnostico)
# practica.ej2.hint()
# practica.ej2.solution()
""")

md("""
### Ejercicio 3: un paso de descenso del gradiente

Completa la función `paso_descenso(w, grad, eta)`, que recibe los pesos `w` (un array), el
gradiente `grad` (un array de la misma forma) y la tasa de aprendizaje `eta`, y devuelve
los pesos después de un paso de descenso del gradiente.
""")

code('''
def paso_descenso(w, grad, eta):
    """Pesos tras un paso de descenso del gradiente con tasa de aprendizaje eta."""
    raise NotImplementedError  # sustituye esta línea por tu código
''')

code("""
practica.ej3.check(paso_descenso)
# practica.ej3.hint()
# practica.ej3.solution()
""")


def main() -> None:
    for index, cell in enumerate(cells):
        cell.id = f"{TARGET.name[:2]}-{index:03d}"  # stable ids: clean diffs on rebuild
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
        "name": "python3",
    }
    nb.metadata["language_info"] = {"name": "python"}
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, TARGET)
    print(f"wrote {TARGET.relative_to(ROOT)} ({len(cells)} cells)")


if __name__ == "__main__":
    main()
