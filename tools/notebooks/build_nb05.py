"""Build notebooks/05_flujo_de_trabajo_keras.ipynb (without outputs).

Usage: python tools/notebooks/build_nb05.py, then execute the notebook with
nbconvert so that its outputs are committed (nbval compares them).
"""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

import nbformat

ROOT = Path(__file__).resolve().parents[2]
TARGET = ROOT / "notebooks" / "05_flujo_de_trabajo_keras.ipynb"

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
# 05 — El flujo de trabajo en Keras

En los cuadernos anteriores has visto las piezas de una red: neuronas, activaciones,
pérdidas y optimizadores. Ahora las montamos con **Keras**, siguiendo siempre el mismo
flujo de cinco pasos.

Aprenderás:

1. el flujo **definir → compilar → entrenar → evaluar → predecir**;
2. a crear modelos **Sequential** (con una lista o con `.add`) empezando por `keras.Input`;
3. la **API funcional** (`keras.Model(inputs, outputs)`), con una red para XOR que tiene un
   atajo desde la entrada hasta la salida;
4. las **capas principales** (Dense, Activation, Flatten, Dropout, Reshape, Permute, Lambda);
5. a **contar parámetros** a mano y comprobarlo con Keras;
6. los argumentos importantes de `compile`, `fit`, `evaluate` y `predict`;
7. los **inicializadores**, **regularizadores** y **restricciones** de los pesos.

Por el camino verás tres trampas de código antiguo (Keras 2) que hoy fallan o engañan.
""")

code("""
from course.setup import notebook_setup

notebook_setup(seed=42)

import keras
import numpy as np

from course import plots
from course.datasets import IRIS_CLASSES, load_iris, load_xor, make_xor_cloud
from course.practice import nb05 as practica
""")

md(r"""
## 1. Cinco pasos: definir, compilar, entrenar, evaluar y predecir

| paso | qué haces | en Keras |
|---|---|---|
| 1. definir | eliges la arquitectura: capas, unidades, activaciones | `keras.Sequential([...])` o `keras.Model(...)` |
| 2. compilar | eliges optimizador, pérdida y métricas | `modelo.compile(...)` |
| 3. entrenar | ajustas los pesos con los datos de entrenamiento | `modelo.fit(x, y, ...)` |
| 4. evaluar | mides el resultado con datos que el modelo no ha visto | `modelo.evaluate(x, y)` |
| 5. predecir | usas el modelo con datos nuevos | `modelo.predict(x)` |

Lo recorremos con el conjunto **Iris**: 150 flores con 4 medidas cada una (largo y ancho
del sépalo y del pétalo) y 3 especies. `load_iris` ya lo reparte en entrenamiento y prueba,
con las etiquetas como enteros 0, 1, 2.
""")

code(
    """
(x_train, y_train), (x_test, y_test) = load_iris()
print("x_train:", x_train.shape, x_train.dtype, "| y_train:", y_train.shape, y_train.dtype)
print("x_test: ", x_test.shape, "| y_test:", y_test.shape)
print("clases:", np.unique(y_train).tolist(), "=", list(IRIS_CLASSES))
""",
    check=True,
)

md(r"""
**Paso 1, definir.** Un modelo `Sequential` es una pila de capas: la salida de cada una es
la entrada de la siguiente. La primera pieza, `keras.Input(shape=(4,))`, declara la forma de
**un** ejemplo (4 números), sin el tamaño del lote. Después, una capa oculta de 16 neuronas
ReLU y una capa de salida con una neurona por clase y softmax.
""")

code("""
keras.utils.set_random_seed(42)
modelo = keras.Sequential(
    [
        keras.Input(shape=(4,)),
        keras.layers.Dense(16, activation="relu"),
        keras.layers.Dense(3, activation="softmax"),
    ]
)
""")

md(r"""
**Paso 2, compilar.** Las etiquetas son enteros, así que la pérdida es la entropía cruzada
categórica *dispersa* (`sparse_categorical_crossentropy`, cuaderno 03); el optimizador,
Adam con una tasa de aprendizaje de 0.01 (cuaderno 04); y pedimos que se vigile la
exactitud (`accuracy`).
""")

code("""
modelo.compile(
    optimizer=keras.optimizers.Adam(learning_rate=0.01),
    loss="sparse_categorical_crossentropy",
    metrics=["accuracy"],
)
""")

md(r"""
**Paso 3, entrenar.** `fit` recorre los datos `epochs` veces en lotes de `batch_size`.
Con `validation_split=0.2` aparta el 20 % **final** de los datos de entrenamiento (sin
barajar) para medir, al acabar cada época, cómo va con ejemplos que no usa para aprender.
`fit` devuelve un objeto `History` con una lista de valores por época.
""")

code(
    """
historia = modelo.fit(x_train, y_train, epochs=60, batch_size=16, validation_split=0.2, verbose=0)
print("Series guardadas en historia.history:", sorted(historia.history))
print("Épocas:", len(historia.epoch), "| parámetros de fit:", historia.params)
""",
    check=True,
)

md(r"""
`historia.params` confirma la cuenta del cuaderno 04: quedan 96 ejemplos para entrenar
(120 menos el 20 % de validación) y $\lceil 96/16 \rceil = 6$ pasos por época. Dibujamos las
curvas de entrenamiento y de validación:
""")

code("""
plots.plot_history(historia, title="Iris: curvas de entrenamiento y validación")
""")

md(r"""
**Paso 4, evaluar.** Con los datos de **prueba**, que el modelo nunca ha visto,
`evaluate` devuelve una lista: primero la pérdida y después cada métrica, en el orden en
que las pediste en `compile`.
""")

code(
    """
resultado = modelo.evaluate(x_test, y_test, verbose=0)
perdida_test, exactitud_test = resultado
print("evaluate devuelve", type(resultado).__name__, "con", len(resultado), "valores: [pérdida, exactitud]")
print("exactitud en prueba >= 0.9:", exactitud_test >= 0.9)
""",
    check=True,
)

code("""
print(f"pérdida en prueba = {perdida_test:.3f}, exactitud en prueba = {exactitud_test:.3f}")
""")

md(r"""
**Paso 5, predecir.** `predict` no devuelve clases sino, para cada ejemplo, la salida de la
red: con softmax, **una probabilidad por clase** (cada fila suma 1). La clase predicha es la
de mayor probabilidad: `argmax` por filas.
""")

code("""
probabilidades = modelo.predict(x_test[:5], verbose=0)
print("forma:", probabilidades.shape)
print(np.round(probabilidades, 3))
""")

code(
    """
print("cada fila suma 1:", bool(np.allclose(probabilidades.sum(axis=1), 1.0, atol=1e-5)))
clases = probabilidades.argmax(axis=1)
print("clase predicha:", [IRIS_CLASSES[c] for c in clases])
print("clase real:    ", [IRIS_CLASSES[c] for c in y_test[:5]])
""",
)

md(r"""
## 2. El modelo Sequential, con una lista o con `.add`

Un `Sequential` se puede escribir de dos formas equivalentes: pasándole la lista de capas
(como arriba) o creándolo vacío y añadiendo las capas una a una con `.add`. Las dos
construyen la misma red:
""")

code(
    """
con_lista = keras.Sequential(
    [
        keras.Input(shape=(4,)),
        keras.layers.Dense(16, activation="relu"),
        keras.layers.Dense(3, activation="softmax"),
    ]
)

con_add = keras.Sequential()
con_add.add(keras.Input(shape=(4,)))
con_add.add(keras.layers.Dense(16, activation="relu"))
con_add.add(keras.layers.Dense(3, activation="softmax"))

print("parámetros con lista:", con_lista.count_params(), "| con .add:", con_add.count_params())
print("misma forma de salida:", con_lista.output_shape == con_add.output_shape, con_add.output_shape)
""",
    check=True,
)

md(r"""
### Trampa: `input_shape=` en la primera capa

En código de Keras 2 la forma de la entrada se daba a la primera capa con
`input_shape=(4,)`. Keras 3 todavía lo acepta, pero **avisa**: ya no es la forma
recomendada. Ejecuta la celda y lee el aviso:
""")

code("""
antiguo = keras.Sequential(
    [
        keras.layers.Dense(16, activation="relu", input_shape=(4,)),
        keras.layers.Dense(3, activation="softmax"),
    ]
)
""")

md(r"""
La corrección es la que ya usamos: `keras.Input(shape=(4,))` como primer elemento.
El resultado es la misma red, sin aviso:
""")

code(
    """
corregido = keras.Sequential(
    [
        keras.Input(shape=(4,)),
        keras.layers.Dense(16, activation="relu"),
        keras.layers.Dense(3, activation="softmax"),
    ]
)
print("mismos parámetros:", corregido.count_params() == antiguo.count_params(), corregido.count_params())
""",
    check=True,
)

md(r"""
## 3. La API funcional: una red para XOR con atajo

`Sequential` solo sirve para pilas lineales de capas. Cuando una capa recibe varias
entradas, o la salida se ramifica, se usa la **API funcional**: cada capa se *llama* sobre
un tensor y devuelve otro, y al final se crea el modelo indicando sus entradas y salidas
con `keras.Model(inputs=..., outputs=...)`.

Vamos a construir una red clásica para XOR con **una sola neurona oculta** (tanh). El
truco es que la neurona de salida ve **las dos entradas originales y además la neurona
oculta**:

$$h = \tanh(v_1 x_1 + v_2 x_2 + c), \qquad \hat y = \sigma(w_1 x_1 + w_2 x_2 + w_3 h + b).$$

Para dar a la salida las tres señales a la vez hay que **concatenar** la entrada
(2 valores) con la salida oculta (1 valor) en un vector de 3 valores.

### Trampa: `tf.concat` sobre tensores de Keras

En tutoriales antiguos se concatena con la función de TensorFlow `tf.concat`. Con
Keras 3 eso falla, porque `entrada` y `oculta` no son tensores con datos sino
**marcadores simbólicos** (`KerasTensor`) que describen la forma del modelo:
""")

code(
    """
import tensorflow as tf

entrada = keras.Input(shape=(2,))
oculta = keras.layers.Dense(1, activation="tanh")(entrada)
unidas = tf.concat([entrada, oculta], axis=1)
""",
    raises=True,
)

md(r"""
La corrección es usar la **capa** `keras.layers.Concatenate`, que sí sabe trabajar con
tensores simbólicos:
""")

code(
    """
keras.utils.set_random_seed(1)
entrada = keras.Input(shape=(2,), name="entrada")
oculta = keras.layers.Dense(1, activation="tanh", name="oculta")(entrada)
unidas = keras.layers.Concatenate(name="entrada_y_oculta")([entrada, oculta])
salida = keras.layers.Dense(1, activation="sigmoid", name="salida")(unidas)
modelo_xor = keras.Model(inputs=entrada, outputs=salida, name="xor_con_atajo")

print("forma de la concatenación:", unidas.shape)
print("capas:", [capa.name for capa in modelo_xor.layers])
print("parámetros:", modelo_xor.count_params(), "= (2 + 1)·1 en la oculta + (3 + 1)·1 en la salida")
""",
    check=True,
)

md(r"""
Para ver la estructura, `summary()` lista cada capa con la forma de su salida, su número de
parámetros y (en los modelos funcionales) de qué capa recibe los datos:
""")

code("""
modelo_xor.summary()
""")

md(r"""
`keras.utils.plot_model` dibuja el mismo grafo como imagen, pero necesita dos programas
opcionales, el paquete `pydot` y Graphviz. Comprobamos si están antes de usarlo:
""")

code("""
import importlib.util
import shutil
import tempfile
from pathlib import Path

if importlib.util.find_spec("pydot") is not None and shutil.which("dot") is not None:
    ruta_imagen = Path(tempfile.mkdtemp()) / "modelo_xor.png"
    display(keras.utils.plot_model(modelo_xor, to_file=str(ruta_imagen), show_shapes=True))
else:
    print(
        "plot_model no está disponible: faltan pydot y/o Graphviz. No pasa nada, summary() "
        "da la misma información en texto (para instalarlos: pip install pydot y el paquete "
        "graphviz de tu sistema)."
    )
""")

md(r"""
Ahora los pasos 2 a 5 con la tabla de verdad de XOR: 4 ejemplos, todos en un lote
(`batch_size=4`), Adam con una tasa alta (0.1) porque el problema es diminuto, y
150 épocas.
""")

code("""
x_xor, y_xor = load_xor()
modelo_xor.compile(
    optimizer=keras.optimizers.Adam(learning_rate=0.1),
    loss="binary_crossentropy",
    metrics=["accuracy"],
)
historia_xor = modelo_xor.fit(x_xor, y_xor, epochs=150, batch_size=4, verbose=0)
print(f"pérdida final: {historia_xor.history['loss'][-1]:.4f}")
""")

code(
    """
prob_xor = modelo_xor.predict(x_xor, verbose=0)[:, 0]
clase_xor = (prob_xor > 0.5).astype(int)
for entradas, clase, real in zip(x_xor.astype(int).tolist(), clase_xor, y_xor):
    print(f"entrada {entradas} -> predicción {clase} (real {real})")
print(f"aciertos: {int((clase_xor == y_xor).sum())}/4")
""",
    check=True,
)

code("""
plots.plot_decision_boundary(modelo_xor, x_xor, y_xor, title="XOR con una neurona oculta y un atajo")
""")

md(r"""
Con una sola neurona oculta, gracias al atajo, la red separa las cuatro esquinas: la
frontera está formada por rectas paralelas, y la franja diagonal central, donde están (0, 0)
y (1, 1), es la de la clase 0. Un perceptrón, con una sola recta, no podría.

## 4. Las capas principales

### `Dense`: la capa totalmente conectada

Cada neurona está conectada con todas las entradas: calcula $\text{activación}(x W + b)$.
Sus argumentos más usados y sus valores por defecto:

- `units`: número de neuronas (obligatorio);
- `activation`: por defecto ninguna (lineal);
- `use_bias`: si suma el sesgo $b$ (por defecto `True`);
- `kernel_initializer` (por defecto `glorot_uniform`) y `bias_initializer` (por defecto
  `zeros`): cómo se eligen los pesos iniciales;
- `kernel_regularizer`, `bias_regularizer`: penalizaciones de los pesos (sección 7);
- `kernel_constraint`, `bias_constraint`: restricciones de los pesos (sección 7).

Se los preguntamos a la propia capa con `get_config()`:
""")

code(
    """
configuracion = keras.layers.Dense(8).get_config()
for clave in ["units", "activation", "use_bias", "kernel_regularizer", "kernel_constraint"]:
    print(f"{clave:20s} = {configuracion[clave]}")
for clave in ["kernel_initializer", "bias_initializer"]:
    print(f"{clave:20s} = {configuracion[clave]['class_name']}")
""",
    check=True,
)

md(r"""
### `Activation`, `Flatten` y `Dropout`

- `Activation` aplica una activación como capa aparte (útil para ver la salida antes de la
  activación).
- `Flatten` aplana cada ejemplo en un vector: una imagen de 28×28 se convierte en 784 valores.
  No tiene parámetros; el tamaño del lote no cambia.
- `Dropout(rate)` pone a cero, **solo durante el entrenamiento**, una fracción `rate` de las
  salidas elegida al azar, y multiplica las demás por $1/(1 - \text{rate})$ para que la media
  no cambie. Al predecir no hace nada. Lo usaremos contra el sobreajuste en el cuaderno 06.

Las capas se pueden llamar directamente sobre arrays para ver qué hacen:
""")

code(
    """
print("Activation('relu'):", keras.layers.Activation("relu")(np.array([[-2.0, 0.0, 3.0]])).numpy())
print("Flatten: (5, 28, 28) ->", tuple(keras.layers.Flatten()(np.zeros((5, 28, 28))).shape))

apagado = keras.layers.Dropout(0.5)
unos = np.ones((1, 10), dtype="float32")
en_prediccion = apagado(unos, training=False).numpy()
en_entrenamiento = apagado(unos, training=True).numpy()
print("Dropout al predecir no cambia nada:", bool(np.array_equal(en_prediccion, unos)))
print("Dropout al entrenar solo deja ceros y doses:", bool(np.isin(en_entrenamiento, [0.0, 2.0]).all()))
""",
    check=True,
)

code("""
print("Dropout(0.5) al entrenar, un ejemplo:", en_entrenamiento)
""")

md(r"""
### `Reshape` y `Permute`

`Reshape(forma)` reorganiza los valores de cada ejemplo en otra forma con **el mismo número
de valores**. Por ejemplo, una entrada de 4×4, aplanada y pasada por `Dense(16)`, da 16
valores que `Reshape((2, 8))` convierte en una matriz de 2×8.

¡Ojo con el `Flatten`! `Dense` actúa solo sobre el **último** eje: sin aplanar, `Dense(16)`
sobre una entrada 4×4 da una salida 4×16 (64 valores), que no cabe en 2×8.
""")

code(
    """
remodelado = keras.Sequential(
    [
        keras.Input(shape=(4, 4)),
        keras.layers.Flatten(),
        keras.layers.Dense(16),
        keras.layers.Reshape((2, 8)),
    ]
)
for capa in remodelado.layers:
    print(f"{type(capa).__name__:8s} salida {capa.output.shape}")

try:
    keras.Sequential([keras.Input(shape=(4, 4)), keras.layers.Dense(16), keras.layers.Reshape((2, 8))])
except ValueError:
    print("Sin Flatten: Dense(16) da (None, 4, 16), 64 valores que no caben en (2, 8) -> ValueError")
""",
    check=True,
)

md(r"""
`Permute(orden)` reordena los ejes de cada ejemplo (los numera desde 1, sin contar el lote).
`Permute((2, 1))` intercambia los dos ejes: una secuencia de 10 pasos con 64 valores cada uno,
(10, 64), pasa a ser (64, 10).
""")

code(
    """
permutado = keras.Sequential([keras.Input(shape=(10, 64)), keras.layers.Permute((2, 1))])
print("Permute((2, 1)): (None, 10, 64) ->", permutado.output_shape)
""",
    check=True,
)

md(r"""
### `Lambda`

`Lambda` convierte una función cualquiera de `keras.ops` en una capa, sin parámetros.
Es cómoda para operaciones sencillas; para guardar y cargar el modelo con seguridad es mejor
escribir una capa propia, porque Keras no carga funciones `lambda` de un archivo salvo que
se lo permitas expresamente.
""")

code(
    """
valor_absoluto = keras.layers.Lambda(lambda t: keras.ops.abs(t))
print("Lambda(abs):", keras.ops.convert_to_numpy(valor_absoluto(np.array([[-1.5, 2.0, -0.25]]))))
""",
    check=True,
)

md(r"""
### Otras familias de capas (lo que viene después)

| familia | ejemplos en `keras.layers` | para qué |
|---|---|---|
| convolucionales | `Conv1D`, `Conv2D`, `Conv3D` | imágenes, señales: detectan patrones locales |
| de *pooling* | `MaxPooling2D`, `AveragePooling2D`, `GlobalAveragePooling2D` | reducen el tamaño de los mapas |
| recurrentes | `SimpleRNN`, `LSTM`, `GRU` | secuencias: texto, series temporales |
| de normalización | `BatchNormalization`, `LayerNormalization` | estabilizan y aceleran el entrenamiento |
| de fusión | `Concatenate`, `Add`, `Multiply`, `Average` | unen varias ramas (como nuestra red XOR) |
| de *embedding* | `Embedding` | convierten palabras o categorías en vectores |

## 5. Contar parámetros

Una capa `Dense` con $n$ entradas y $u$ unidades tiene un peso por cada conexión y un sesgo
por neurona:

$$\text{parámetros} = n \cdot u + u = (n + 1)\cdot u .$$

**Ejemplo 1.** Entrada de tamaño 4 → `Dense(3)` → `Dense(4)`:
$(4+1)\cdot 3 = 15$ y $(3+1)\cdot 4 = 16$, en total **31 parámetros**; la entrada tiene
tamaño 4 y la salida tamaño 4.
""")

code(
    """
pequena = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(3), keras.layers.Dense(4)])
print("por capa:", [capa.count_params() for capa in pequena.layers])
print("total:", pequena.count_params(), "| a mano:", (4 + 1) * 3 + (3 + 1) * 4)
print("entrada:", pequena.input_shape, "| salida:", pequena.output_shape)
""",
    check=True,
)

md(r"""
**Ejemplo 2.** La red que usaremos para Fashion-MNIST: imágenes de 28×28 →
`Flatten` (784 valores, sin parámetros) → `Dense(128)` → `Dense(10)`:
$(784+1)\cdot 128 = 100\,480$ y $(128+1)\cdot 10 = 1\,290$, en total **101 770 parámetros**.
""")

code(
    """
mlp = keras.Sequential(
    [
        keras.Input(shape=(28, 28)),
        keras.layers.Flatten(),
        keras.layers.Dense(128, activation="relu", name="oculta"),
        keras.layers.Dense(10, activation="softmax", name="salida"),
    ]
)
por_capa = [capa.count_params() for capa in mlp.layers]
a_mano = (28 * 28 + 1) * 128 + (128 + 1) * 10
print("por capa (Flatten, Dense, Dense):", por_capa)
print(f"total: {mlp.count_params():,} | a mano: {a_mano:,}")
print("coinciden:", mlp.count_params() == a_mano == 101_770)
""",
    check=True,
)

md(r"""
Casi todos los parámetros están en la primera capa densa: aplanar imágenes y conectarlas a
todo es caro. Las capas convolucionales resuelven justo eso.

## 6. `compile`, `fit`, `evaluate` y `predict` a fondo

**`compile(optimizer, loss, metrics)`**

- `optimizer`: un nombre (`"adam"`, con los valores por defecto) o un objeto para elegir
  la tasa: `keras.optimizers.Adam(learning_rate=0.01)`.
- `loss`: un nombre (`"binary_crossentropy"`), una función (`keras.losses.binary_crossentropy`)
  o un objeto (`keras.losses.BinaryCrossentropy()`). Es lo que se minimiza.
- `metrics`: una lista de lo que solo se vigila, por ejemplo `["accuracy"]`.

**`fit(x, y, ...)`**

- `epochs` y `batch_size` (32 si no lo indicas);
- `validation_split=0.2`: usa el 20 % final de `x`, **sin barajar** (si tus datos están
  ordenados por clase, baraja antes); `validation_data=(x_val, y_val)`: un conjunto de
  validación que eliges tú. Si das los dos, manda `validation_data`;
- `shuffle=True` (por defecto): baraja los ejemplos de entrenamiento en cada época;
- `verbose`: 0 (silencio), 1 (barra de progreso), 2 (una línea por época);
- devuelve un `History`: `historia.history` es un diccionario con una lista por métrica.

**`evaluate(x, y)`** devuelve `[pérdida, métrica_1, ...]` (un solo número si no hay
métricas); **`predict(x)`** devuelve la salida de la red (probabilidades con sigmoide o
softmax): para obtener clases, umbral 0.5 o `argmax`.

Veamos `validation_data` con un problema binario: una nube de puntos con forma de XOR
(centrada en cero) y un conjunto de validación generado aparte.
""")

code(
    """
x_nube, y_nube = make_xor_cloud(n=200, noise=0.2, seed=1)
x_val, y_val = make_xor_cloud(n=100, noise=0.2, seed=2)
x_nube, x_val = x_nube - 0.5, x_val - 0.5
print("entrenamiento:", x_nube.shape, "| validación:", x_val.shape)
""",
    check=True,
)

md(r"""
### Trampa: `keras.metrics.Accuracy()` con probabilidades

Es tentador escribir `metrics=[keras.metrics.Accuracy()]`. No da ningún error… pero
`Accuracy` cuenta cuántas veces la predicción es **exactamente igual** a la etiqueta, y una
sigmoide devuelve probabilidades como 0.93, que nunca son exactamente 1. Mira qué mide:
""")

code(
    """
def red_binaria():
    keras.utils.set_random_seed(0)
    return keras.Sequential(
        [
            keras.Input(shape=(2,)),
            keras.layers.Dense(16, activation="relu"),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )


modelo_bin = red_binaria()
modelo_bin.compile(
    optimizer=keras.optimizers.Adam(learning_rate=0.01),
    loss="binary_crossentropy",
    metrics=[keras.metrics.Accuracy()],
)
historia_bin = modelo_bin.fit(
    x_nube, y_nube, validation_data=(x_val, y_val), epochs=30, batch_size=16, verbose=0
)
print("accuracy en las 3 últimas épocas:", historia_bin.history["accuracy"][-3:])
print("val_accuracy en las 3 últimas épocas:", historia_bin.history["val_accuracy"][-3:])
""",
    check=True,
)

md(r"""
¡Siempre 0.0! Y sin embargo la red ha aprendido, como vas a ver enseguida. La corrección es
usar la métrica que compara *clases* y no valores: `keras.metrics.BinaryAccuracy()` (umbral
0.5) para una salida sigmoide, `SparseCategoricalAccuracy()` o `CategoricalAccuracy()` para
softmax; o simplemente el nombre `"accuracy"`, con el que Keras elige la adecuada según la
pérdida. Lo comprobamos midiendo las predicciones del mismo modelo con las dos métricas:
""")

code(
    """
prob_val = modelo_bin.predict(x_val, verbose=0)

exacta = keras.metrics.Accuracy()
exacta.update_state(y_val, prob_val)
binaria = keras.metrics.BinaryAccuracy()
binaria.update_state(y_val, prob_val)
umbral = keras.metrics.Accuracy()
umbral.update_state(y_val, (prob_val[:, 0] > 0.5).astype("int64"))

print(f"Accuracy() con probabilidades: {float(exacta.result()):.1f}")
print("BinaryAccuracy() >= 0.9:", float(binaria.result()) >= 0.9)
print("Accuracy() tras aplicar el umbral coincide con BinaryAccuracy():",
      bool(np.isclose(float(umbral.result()), float(binaria.result()))))
""",
    check=True,
)

code(
    """
modelo_bin = red_binaria()
modelo_bin.compile(
    optimizer=keras.optimizers.Adam(learning_rate=0.01),
    loss="binary_crossentropy",
    metrics=[keras.metrics.BinaryAccuracy(name="accuracy")],
)
historia_bin = modelo_bin.fit(
    x_nube, y_nube, validation_data=(x_val, y_val), epochs=30, batch_size=16, verbose=0
)
print(f"exactitud de validación en la última época: {historia_bin.history['val_accuracy'][-1]:.2f}")
""",
)

code("""
plots.plot_history(historia_bin, title="Nube XOR con BinaryAccuracy y validation_data")
""")

md(r"""
## 7. Inicializadores, regularizadores y restricciones

### Inicializadores: los pesos de partida

Antes de entrenar, cada peso necesita un valor. Si todos empiezan igual (por ejemplo a 0),
todas las neuronas de una capa calculan lo mismo y reciben el mismo gradiente: nunca se
diferencian. Por eso los pesos se inicializan al azar, con una escala pensada para que las
señales no crezcan ni se apaguen capa a capa. `keras.initializers` ofrece:

- constantes: `Zeros`, `Ones`, `Constant(valor)` (buenas para sesgos, no para pesos);
- al azar con escala fija: `RandomNormal`, `RandomUniform`, `TruncatedNormal` (normal sin
  valores a más de 2 desviaciones);
- con escala según el tamaño de la capa ($n_\text{in}$ entradas, $n_\text{out}$ salidas):
  `GlorotUniform`/`GlorotNormal` (la opción por defecto de `Dense`, pensada para tanh y
  sigmoide), `HeNormal`/`HeUniform` (para ReLU), `LecunUniform`/`LecunNormal` (para SELU);
- con estructura: `Orthogonal` (matriz ortogonal) e `Identity` (matriz identidad).

Generamos una matriz de 200×100 con cada uno (con semilla) y miramos sus estadísticas:
""")

code("""
forma = (200, 100)  # n_in = 200 entradas, n_out = 100 salidas
inicializadores = {
    "Zeros()": keras.initializers.Zeros(),
    "Ones()": keras.initializers.Ones(),
    "Constant(0.5)": keras.initializers.Constant(0.5),
    "RandomNormal(stddev=0.05)": keras.initializers.RandomNormal(stddev=0.05, seed=0),
    "RandomUniform(-0.05, 0.05)": keras.initializers.RandomUniform(-0.05, 0.05, seed=0),
    "TruncatedNormal(stddev=0.05)": keras.initializers.TruncatedNormal(stddev=0.05, seed=0),
    "GlorotUniform()": keras.initializers.GlorotUniform(seed=0),
    "GlorotNormal()": keras.initializers.GlorotNormal(seed=0),
    "HeNormal()": keras.initializers.HeNormal(seed=0),
    "HeUniform()": keras.initializers.HeUniform(seed=0),
    "LecunUniform()": keras.initializers.LecunUniform(seed=0),
    "Orthogonal()": keras.initializers.Orthogonal(seed=0),
    "Identity()": keras.initializers.Identity(),
}
matrices = {}
for nombre, inicializador in inicializadores.items():
    matrices[nombre] = keras.ops.convert_to_numpy(inicializador(forma))
    m = matrices[nombre]
    print(f"{nombre:29s} media {m.mean():+.3f}  desv. {m.std():.3f}  mín {m.min():+.3f}  máx {m.max():+.3f}")
""")

md(r"""
Algunas propiedades que se pueden comprobar con las fórmulas:

- `GlorotUniform` toma valores uniformes en $\pm\sqrt{6/(n_\text{in}+n_\text{out})} = \pm\sqrt{6/300} \approx \pm 0.141$;
- `HeNormal` tiene desviación típica $\sqrt{2/n_\text{in}} = \sqrt{2/200} = 0.1$;
- `TruncatedNormal(stddev=0.05)` nunca pasa de $2 \cdot 0.05 = 0.1$ en valor absoluto;
- las columnas de `Orthogonal` son ortonormales: $W^\top W = I$.
""")

code(
    """
limite_glorot = np.sqrt(6 / (200 + 100))
print("Glorot uniforme dentro de ±0.141:", bool(np.abs(matrices["GlorotUniform()"]).max() <= limite_glorot))
print("He normal con desv. ≈ 0.1 (±5 %):", bool(np.isclose(matrices["HeNormal()"].std(), 0.1, rtol=0.05)))
print("TruncatedNormal dentro de ±0.1:", bool(np.abs(matrices["TruncatedNormal(stddev=0.05)"]).max() <= 0.1))
W = matrices["Orthogonal()"]
print("Orthogonal cumple WᵀW = I:", bool(np.allclose(W.T @ W, np.eye(100), atol=1e-4)))
""",
    check=True,
)

md(r"""
En una capa se eligen con `kernel_initializer` y `bias_initializer`. Con todos los pesos a 1
y el sesgo a 0.5, la capa suma sus entradas y añade 0.5: para la entrada $(1, 2)$ cada
neurona da $1 + 2 + 0.5 = 3.5$.
""")

code(
    """
capa_fija = keras.layers.Dense(
    3, kernel_initializer="ones", bias_initializer=keras.initializers.Constant(0.5)
)
print(capa_fija(np.array([[1.0, 2.0]])).numpy())
""",
    check=True,
)

md(r"""
### Regularizadores: penalizar pesos grandes

Un regularizador suma a la pérdida un término que crece con el tamaño de los pesos, y así
empuja hacia modelos más sencillos (lo usaremos contra el sobreajuste en el cuaderno 06):

$$\text{L1: } \lambda \sum |w|, \qquad \text{L2: } \lambda \sum w^2, \qquad \text{L1L2: ambos.}$$

Con $W = \begin{pmatrix} 0.5 & -1 \\ 2 & 0 \end{pmatrix}$ y $\lambda = 0.01$:
L1 $= 0.01 \cdot 3.5 = 0.035$, L2 $= 0.01 \cdot 5.25 = 0.0525$ y L1L2 $= 0.0875$.
""")

code(
    """
W = np.array([[0.5, -1.0], [2.0, 0.0]], dtype="float32")
l1 = float(keras.regularizers.L1(0.01)(W))
l2 = float(keras.regularizers.L2(0.01)(W))
l1l2 = float(keras.regularizers.L1L2(l1=0.01, l2=0.01)(W))
print(f"L1 = {l1:.4f}, L2 = {l2:.4f}, L1L2 = {l1l2:.4f}")
print("coinciden con el cálculo a mano:", bool(np.allclose([l1, l2, l1l2], [0.035, 0.0525, 0.0875])))
""",
    check=True,
)

md(r"""
En una capa se ponen con `kernel_regularizer` (o `bias_regularizer`). Keras guarda la
penalización en `capa.losses` y la suma a la pérdida en cada paso de entrenamiento:
""")

code(
    """
capa_l2 = keras.layers.Dense(2, kernel_regularizer=keras.regularizers.L2(0.01))
capa_l2.build((None, 2))
capa_l2.set_weights([W, np.zeros(2, dtype="float32")])
print(f"penalización que añade la capa: {float(capa_l2.losses[0]):.4f}")
""",
    check=True,
)

md(r"""
### Restricciones: límites que se aplican tras cada paso

Una restricción no cambia la pérdida: después de cada actualización, **corrige** los pesos
para que cumplan una condición. Las de `keras.constraints`:

- `NonNeg()`: pesos no negativos (los negativos pasan a 0);
- `UnitNorm(axis=0)`: cada columna (los pesos que llegan a una neurona) con norma 1;
- `MaxNorm(max_value)`: norma de cada columna como mucho `max_value`;
- `MinMaxNorm(min_value, max_value)`: norma entre los dos límites.

Las aplicamos a una matriz cuyas columnas tienen normas 5 y 1:
""")

code(
    """
W = np.array([[3.0, -0.6], [-4.0, 0.8]], dtype="float32")
print("normas de las columnas de W:", np.linalg.norm(W, axis=0).round(3))
restricciones = {
    "NonNeg()": keras.constraints.NonNeg(),
    "UnitNorm(axis=0)": keras.constraints.UnitNorm(axis=0),
    "MaxNorm(2)": keras.constraints.MaxNorm(max_value=2.0),
    "MinMaxNorm(1.5, 2)": keras.constraints.MinMaxNorm(min_value=1.5, max_value=2.0),
}
for nombre, restriccion in restricciones.items():
    corregida = keras.ops.convert_to_numpy(restriccion(W))
    print(f"{nombre:19s} -> {np.round(corregida.astype(float), 3).tolist()}  normas {np.linalg.norm(corregida, axis=0).round(3)}")
""",
    check=True,
)

md(r"""
En una capa: `keras.layers.Dense(64, kernel_constraint=keras.constraints.MaxNorm(3))`.
`MaxNorm` se combina a menudo con `Dropout`.

## Resumen

- Todo modelo de Keras sigue el flujo **definir → compilar → entrenar → evaluar → predecir**.
- `keras.Sequential` apila capas (lista o `.add`); empieza siempre con
  `keras.Input(shape=...)`, no con `input_shape=` (aviso en Keras 3).
- La **API funcional** llama a cada capa sobre un tensor y crea el modelo con
  `keras.Model(inputs, outputs)`; para unir ramas se usa la capa `Concatenate`, no `tf.concat`.
- Capas principales: `Dense` (por defecto `glorot_uniform` y sesgo a cero), `Activation`,
  `Flatten`, `Dropout`, `Reshape`, `Permute`, `Lambda`.
- Una `Dense` tiene $(n+1)\cdot u$ parámetros: 4 → 3 → 4 suma 31; 28×28 → 128 → 10 suma 101 770.
- `fit` devuelve un `History`; `evaluate`, `[pérdida, métricas...]`; `predict`, probabilidades
  (clase con umbral o `argmax`).
- `keras.metrics.Accuracy()` con probabilidades da 0.0: usa `BinaryAccuracy`,
  `SparseCategoricalAccuracy` o `"accuracy"`.
- Inicializadores, regularizadores (L1, L2) y restricciones (NonNeg, UnitNorm, MaxNorm,
  MinMaxNorm) controlan cómo empiezan y cómo crecen los pesos.

## Ejercicios de práctica

Escribe tu respuesta en la celda indicada y ejecuta la comprobación. Si te atascas, quita el
`#` de `hint()` (pista) o de `solution()` (solución).

### Ejercicio 1: contar parámetros

¿Cuántos parámetros tiene la red con entrada de tamaño 10 → `Dense(8)` → `Dense(4)` →
`Dense(1)`? Calcúlalo a mano (o con una expresión de Python) y guárdalo en `n_parametros`.
""")

code("""
n_parametros = ...  # tu respuesta
""")

code("""
practica.ej1.check(n_parametros)
# practica.ej1.hint()
# practica.ej1.solution()
""")

md("""
### Ejercicio 2: un modelo Sequential para 3 clases

Crea en `modelo_iris` un `keras.Sequential` para Iris: entrada de 4 valores, una capa oculta de
16 neuronas con ReLU y una capa de salida con softmax para las 3 clases. Compílalo con
Adam (`"adam"`), la pérdida adecuada para etiquetas enteras y la métrica `"accuracy"`.
""")

code("""
modelo_iris = ...  # tu modelo
""")

code("""
practica.ej2.check(modelo_iris)
# practica.ej2.hint()
# practica.ej2.solution()
""")

md("""
### Ejercicio 3: un modelo funcional con atajo

Con la API funcional, crea en `modelo_atajo` una red con entrada de 2 valores, una capa
oculta de **2** neuronas tanh y una neurona de salida sigmoide que reciba la entrada
concatenada con la capa oculta (como la red XOR de la sección 3). No hace falta compilarla
ni entrenarla.
""")

code("""
modelo_atajo = ...  # tu modelo
""")

code("""
practica.ej3.check(modelo_atajo)
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
