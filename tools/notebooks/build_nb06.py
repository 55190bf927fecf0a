"""Build notebooks/06_callbacks_y_buenas_practicas.ipynb (without outputs).

Usage: python tools/notebooks/build_nb06.py, then execute the notebook with
nbconvert so that its outputs are committed (nbval compares them).
"""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

import nbformat

ROOT = Path(__file__).resolve().parents[2]
TARGET = ROOT / "notebooks" / "06_callbacks_y_buenas_practicas.ipynb"

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
# 06 — Callbacks y buenas prácticas de entrenamiento

Hasta ahora hemos elegido el número de épocas «a ojo». En este cuaderno verás por qué eso
no funciona y cómo deja Keras que el propio entrenamiento decida cuándo parar y qué pesos
guardar.

Aprenderás:

1. a separar datos de **validación** y a reconocer el **sobreajuste** en las curvas de
   entrenamiento y validación;
2. a guardar los mejores pesos con **`ModelCheckpoint`** (y el formato `.weights.h5` de Keras 3);
3. a parar a tiempo con **`EarlyStopping`**;
4. a entrenar con los dos a la vez, recargar el mejor punto guardado y comprobar que coincide;
5. otros callbacks útiles: `ReduceLROnPlateau`, `CSVLogger` y `TensorBoard`;
6. a combatir el sobreajuste con **Dropout** y **regularización L2**.
""")

code("""
from course.setup import notebook_setup

notebook_setup(seed=42)

import tempfile
from pathlib import Path

import keras
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from course import plots
from course.datasets import make_xor_cloud
from course.practice import nb06 as practica

# Files written while training (checkpoints, logs) go to a temporary folder,
# never next to the notebook.
carpeta = Path(tempfile.mkdtemp(prefix="curso_nb06_"))
""")

md(r"""
## 1. ¿Cuántas épocas? Validación y sobreajuste

El número de épocas adecuado **no se puede saber de antemano**: depende de los datos, de la
red y del optimizador. Con pocas épocas la red no ha aprendido lo suficiente
(*infraajuste*); con demasiadas empieza a **memorizar** los ejemplos de entrenamiento, ruido
incluido, y generaliza peor (*sobreajuste*).

Para verlo separamos los datos en tres papeles:

- **entrenamiento**: con ellos se ajustan los pesos;
- **validación**: no se usan para ajustar pesos; se miden al final de cada época para
  decidir (cuándo parar, con qué modelo quedarse, qué hiperparámetros usar);
- **prueba**: solo al final, una vez, para informar del resultado.

Provocamos el sobreajuste a propósito: solo **40 puntos** de entrenamiento de una nube XOR
bastante ruidosa y una red grande (dos capas de 64 neuronas, más de 4000 parámetros). Los
200 puntos de validación salen del mismo problema, con otra semilla. Centramos las
coordenadas en cero como en el cuaderno 04.
""")

code(
    """
x_train, y_train = make_xor_cloud(n=40, noise=0.3, seed=10)
x_val, y_val = make_xor_cloud(n=200, noise=0.3, seed=11)
x_train, x_val = x_train - 0.5, x_val - 0.5
print("entrenamiento:", x_train.shape, "| validación:", x_val.shape)
print("clase 1 en entrenamiento:", int(y_train.sum()), "de", len(y_train))
""",
    check=True,
)

code(
    """
def crear_red(dropout=0.0, l2=0.0, seed=0):
    \"\"\"2 -> 64 -> 64 -> 1 network, optionally with Dropout after each hidden layer and L2.\"\"\"
    keras.utils.set_random_seed(seed)
    regularizador = keras.regularizers.L2(l2) if l2 else None
    capas = [keras.Input(shape=(2,))]
    for _ in range(2):
        capas.append(keras.layers.Dense(64, activation="relu", kernel_regularizer=regularizador))
        if dropout:
            capas.append(keras.layers.Dropout(dropout))
    capas.append(keras.layers.Dense(1, activation="sigmoid"))
    red = keras.Sequential(capas)
    red.compile(
        optimizer=keras.optimizers.Adam(learning_rate=0.01),
        loss="binary_crossentropy",
        metrics=["accuracy"],
    )
    return red


red_base = crear_red()
print("parámetros:", red_base.count_params())
""",
    check=True,
)

md(r"""
Entrenamos 40 épocas con lotes de 4 y `validation_data`, para que Keras mida la pérdida de
validación al final de cada época:
""")

code("""
historia_base = red_base.fit(
    x_train, y_train, validation_data=(x_val, y_val), epochs=40, batch_size=4, verbose=0
)
plots.plot_history(historia_base, title="Sobreajuste: entrenamiento frente a validación")
""")

code(
    """
perdida = np.array(historia_base.history["loss"])
perdida_val = np.array(historia_base.history["val_loss"])
mejor = int(perdida_val.argmin())
print("la pérdida de entrenamiento acaba cerca de 0 (< 0.05):", bool(perdida[-1] < 0.05))
print("la mejor época de validación está en la primera mitad:", mejor + 1 <= 20)
print("la pérdida de validación final es más del doble de su mínimo:", bool(perdida_val[-1] > 2 * perdida_val[mejor]))
""",
    check=True,
)

code("""
print(f"mejor época de validación: {mejor + 1}, con val_loss = {perdida_val[mejor]:.3f}")
print(f"época 40: loss = {perdida[-1]:.4f}, val_loss = {perdida_val[-1]:.3f}")
""")

md(r"""
Es la firma del sobreajuste: la curva de entrenamiento baja casi hasta 0 mientras la de
validación, tras un mínimo temprano, **sube**. Todo lo que se entrena después de ese mínimo
empeora el modelo para datos nuevos.

Fíjate en que la exactitud de validación apenas cambia: lo que empeora es la **confianza**.
Para llevar la pérdida de entrenamiento a 0, la red aprende a dar probabilidades de casi 0 o
casi 1 a cada punto de entrenamiento, ruidosos incluidos; con datos nuevos, sus errores llegan
con esa misma seguridad y la entropía cruzada los castiga mucho. En la frontera de decisión se
ve en las transiciones bruscas entre colores saturados y en los quiebros que hace para dejar
algunos puntos ruidosos de su lado.
""")

code("""
plots.plot_decision_boundary(
    red_base, x_train, y_train, title="Red sobreajustada tras 40 épocas (puntos de entrenamiento)"
)
""")

md(r"""
Lo ideal sería quedarnos con los pesos de la mejor época y dejar de entrenar poco después.
Eso es exactamente lo que hacen dos **callbacks**: objetos que `fit` llama al final de cada
época (o de cada lote) y que pueden guardar el modelo, detener el entrenamiento, cambiar la
tasa de aprendizaje...

## 2. `ModelCheckpoint`: guardar los mejores pesos

`keras.callbacks.ModelCheckpoint(filepath, ...)` guarda el modelo durante el entrenamiento.
Sus argumentos principales:

- `filepath`: el archivo. En Keras 3 **debe terminar en `.weights.h5`** si solo se guardan los
  pesos (`save_weights_only=True`), o en **`.keras`** si se guarda el modelo completo
  (arquitectura, pesos y estado del optimizador). Puede llevar campos como
  `"pesos_{epoch:02d}.weights.h5"`;
- `monitor`: la cantidad vigilada (por defecto `"val_loss"`);
- `mode`: `"min"` si menor es mejor (pérdidas), `"max"` si mayor es mejor (exactitud),
  o `"auto"` para que Keras lo deduzca del nombre;
- `save_best_only=True`: solo sobrescribe el archivo cuando la cantidad vigilada mejora;
- `save_weights_only=True`: guarda solo los pesos (archivo más pequeño; para recargarlos hay que
  volver a construir la misma arquitectura).

### Trampa: `'best_weights.h5'` con `save_weights_only=True`

En Keras 2 bastaba con terminar en `.h5`. En Keras 3 esa línea falla al crear el callback:
""")

code(
    """
guardado = keras.callbacks.ModelCheckpoint("best_weights.h5", save_weights_only=True)
""",
    raises=True,
)

md(r"""
La corrección es terminar el nombre en `.weights.h5` (o guardar el modelo completo en un
`.keras`). Lo escribimos en la carpeta temporal del cuaderno:
""")

code(
    """
ruta_pesos = carpeta / "best.weights.h5"
guardado = keras.callbacks.ModelCheckpoint(
    ruta_pesos,
    monitor="val_loss",
    mode="min",
    save_best_only=True,
    save_weights_only=True,
)
print("archivo:", Path(guardado.filepath).name)
print("monitor:", guardado.monitor, "| save_best_only:", guardado.save_best_only)
""",
    check=True,
)

md(r"""
## 3. `EarlyStopping`: parar a tiempo

`keras.callbacks.EarlyStopping(...)` detiene el entrenamiento cuando la cantidad vigilada deja
de mejorar:

- `monitor` y `mode`: como en `ModelCheckpoint` (por defecto `"val_loss"`);
- `patience`: cuántas épocas seguidas sin mejora se toleran antes de parar (por defecto 0);
- `min_delta`: la mejora mínima que cuenta como mejora (por defecto 0);
- `restore_best_weights`: si es `True`, al terminar devuelve al modelo los pesos de la mejor
  época. **Por defecto es `False`**: el modelo se queda con los pesos de la última época, los de
  `patience` épocas después de la mejor;
- `start_from_epoch`: épocas iniciales en las que todavía no se vigila.

Con `epochs` grande y `EarlyStopping`, `epochs` pasa a ser solo un **máximo**.
""")

code(
    """
parada = keras.callbacks.EarlyStopping(
    monitor="val_loss", mode="min", patience=10, restore_best_weights=True
)
print("monitor:", parada.monitor, "| patience:", parada.patience, "| restore_best_weights:", parada.restore_best_weights)
""",
    check=True,
)

md(r"""
## 4. Entrenar con los dos callbacks y recargar el mejor punto

Entrenamos una red nueva para la nube XOR, igual que la de la sección 1, con un máximo de
**200 épocas**, lotes de 4 y los dos callbacks. Añadimos un tercero, `CSVLogger`, que escribe
los valores de cada época en un archivo CSV.
""")

code("""
ruta_csv = carpeta / "entrenamiento.csv"
registro = keras.callbacks.CSVLogger(ruta_csv)

red_xor = crear_red()
historia_xor = red_xor.fit(
    x_train,
    y_train,
    validation_data=(x_val, y_val),
    epochs=200,
    batch_size=4,
    verbose=0,
    callbacks=[guardado, parada, registro],
)
""")

code(
    """
epocas = len(historia_xor.history["loss"])
mejor_epoca = int(np.argmin(historia_xor.history["val_loss"])) + 1
print("se detuvo mucho antes de 200 épocas:", epocas < 100)
print("paró justo `patience` épocas después de la mejor:", epocas == mejor_epoca + parada.patience)
print("la mejor época coincide con la que guarda EarlyStopping:", mejor_epoca == parada.best_epoch + 1)
print("el archivo de pesos existe:", ruta_pesos.exists())
""",
    check=True,
)

code("""
print(f"épocas entrenadas: {epocas} (de 200 como máximo); mejor época: {mejor_epoca}")
print(f"mejor val_loss: {min(historia_xor.history['val_loss']):.4f}")
""")

md(r"""
Ahora lo importante: **recargar el punto guardado**. Construimos la misma arquitectura con
pesos iniciales distintos, cargamos el archivo con `load_weights` y evaluamos con los datos de
validación. Debe dar lo mismo que el modelo entrenado (al que `restore_best_weights=True` ya
devolvió los pesos de la mejor época) y que la mejor `val_loss` del historial.
""")

code(
    """
recargada = crear_red(seed=123)  # same architecture, different initial weights
antes = recargada.evaluate(x_val, y_val, verbose=0)
recargada.load_weights(ruta_pesos)

perdida_recargada, exactitud_recargada = recargada.evaluate(x_val, y_val, verbose=0)
perdida_entrenada, exactitud_entrenada = red_xor.evaluate(x_val, y_val, verbose=0)
mejor_val_loss = min(historia_xor.history["val_loss"])

print("antes de cargar los pesos era distinta:", not np.isclose(antes[0], perdida_recargada))
print("recargada == modelo con los mejores pesos:", bool(np.isclose(perdida_recargada, perdida_entrenada)))
print("recargada == mejor val_loss del historial:", bool(np.isclose(perdida_recargada, mejor_val_loss, rtol=1e-4)))
print("misma exactitud:", bool(np.isclose(exactitud_recargada, exactitud_entrenada)))
""",
    check=True,
)

code("""
print(f"val_loss del modelo recargado: {perdida_recargada:.4f}, exactitud: {exactitud_recargada:.3f}")
""")

md(r"""
Las curvas de este entrenamiento, con la mejor época marcada, y el CSV que escribió
`CSVLogger` (una fila por época):
""")

code("""
plots.plot_history(historia_xor, title="Con EarlyStopping y ModelCheckpoint")
""")

code("""
tabla = pd.read_csv(ruta_csv)
print("columnas:", list(tabla.columns))
tabla.tail().round(4)
""")

md(r"""
## 5. Otros callbacks útiles

- **`ReduceLROnPlateau(monitor="val_loss", factor=0.5, patience=5, min_lr=1e-5)`**: cuando la
  cantidad vigilada se estanca `patience` épocas, multiplica la tasa de aprendizaje por
  `factor`. Pasos más cortos para afinar cerca del mínimo.
- **`CSVLogger(ruta)`**: guarda el historial en un CSV (lo acabas de ver); útil si el
  entrenamiento se corta a mitad.
- **`TensorBoard(log_dir=...)`**: escribe registros para **TensorBoard**, el panel web de
  TensorFlow que dibuja curvas en vivo, histogramas de pesos y el grafo del modelo. Se abre
  con `tensorboard --logdir <carpeta>` en un terminal, o dentro de Jupyter con
  `%load_ext tensorboard` seguido de `%tensorboard --logdir <carpeta>`.
- Otros: `LearningRateScheduler` (la tasa según la época), `TerminateOnNaN` (para si la
  pérdida es `nan`), `BackupAndRestore` (retoma un entrenamiento interrumpido).

Todos se pasan igual, en la lista `callbacks=[...]` de `fit`:
""")

code(
    """
reducir = keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.5, patience=5, min_lr=1e-5)
tablero = keras.callbacks.TensorBoard(log_dir=carpeta / "logs")
print("ReduceLROnPlateau: factor", reducir.factor, "| patience", reducir.patience, "| min_lr", reducir.min_lr)
print("TensorBoard escribe en la carpeta:", Path(tablero.log_dir).name)
""",
    check=True,
)

md(r"""
## 6. Dropout y L2 contra el sobreajuste

Parar a tiempo es una defensa. Otra es hacer que la red **no pueda** memorizar tan fácilmente:

- **Dropout** (`keras.layers.Dropout(0.5)` tras cada capa oculta): en cada paso de
  entrenamiento apaga al azar la mitad de las neuronas, así que ninguna puede depender de
  otras concretas; la red aprende patrones más robustos. Al predecir no apaga nada.
- **Regularización L2** (`kernel_regularizer=keras.regularizers.L2(0.005)`): suma
  $\lambda \sum w^2$ a la pérdida, de modo que los pesos grandes (y las fronteras retorcidas
  que necesitan) salen caros.

Repetimos el experimento de la sección 1 (mismos datos, misma red, mismas 40 épocas) con
cada técnica:
""")

code("""
historias = {"sin regularizar": historia_base.history}
for nombre, opciones in {"Dropout(0.5)": {"dropout": 0.5}, "L2(0.005)": {"l2": 0.005}}.items():
    red = crear_red(**opciones)
    historias[nombre] = red.fit(
        x_train, y_train, validation_data=(x_val, y_val), epochs=40, batch_size=4, verbose=0
    ).history

for nombre, h in historias.items():
    print(
        f"{nombre:16s} loss final {h['loss'][-1]:.3f} | val_loss mínima {min(h['val_loss']):.3f} "
        f"| val_loss final {h['val_loss'][-1]:.3f} | val_accuracy final {h['val_accuracy'][-1]:.2f}"
    )
""")

code("""
fig, ax = plt.subplots(figsize=(8, 4.2), layout="constrained")
for nombre, h in historias.items():
    ax.plot(range(1, len(h["val_loss"]) + 1), h["val_loss"], label=f"{nombre} (validación)")
ax.plot(range(1, 41), historias["sin regularizar"]["loss"], "k:", label="sin regularizar (entrenamiento)")
ax.set_xlabel("época")
ax.set_ylabel("pérdida (entropía cruzada binaria)")
ax.set_title("Pérdida de validación con y sin regularización")
ax.legend()
plt.show()
""")

code(
    """
final_base = historias["sin regularizar"]["val_loss"][-1]
for nombre in ["Dropout(0.5)", "L2(0.005)"]:
    print(f"{nombre}: val_loss final menor que sin regularizar:", historias[nombre]["val_loss"][-1] < final_base)
""",
    check=True,
)

md(r"""
Con Dropout o L2 la pérdida de entrenamiento ya no llega a 0 (la red memoriza menos) y la de
validación sube mucho menos tras su mínimo. En la práctica se combinan: una red con algo de
Dropout o L2, validación para vigilarla, `EarlyStopping` con `restore_best_weights=True` y
`ModelCheckpoint` para no perder el mejor punto.

## Resumen

- El número de épocas no se conoce de antemano: aparta datos de **validación** y mira sus
  curvas. Si la pérdida de entrenamiento baja y la de validación sube, hay **sobreajuste**.
- `ModelCheckpoint(filepath, monitor, mode, save_best_only, save_weights_only)` guarda el
  mejor punto; en Keras 3 un archivo de pesos termina en **`.weights.h5`** (o `.keras` para el
  modelo completo): `'best_weights.h5'` da `ValueError`.
- `EarlyStopping(monitor, patience, mode, restore_best_weights)` para cuando no hay mejora;
  `restore_best_weights=True` devuelve los mejores pesos (por defecto no lo hace).
- Para recargar pesos guardados: misma arquitectura + `load_weights(ruta)`; la evaluación
  coincide con la de la mejor época.
- `ReduceLROnPlateau`, `CSVLogger` y `TensorBoard` completan la caja de herramientas.
- **Dropout** y **L2** reducen el sobreajuste; se combinan con la parada temprana.

## Ejercicios de práctica

Escribe tu respuesta en la celda indicada y ejecuta la comprobación. Si te atascas, quita el
`#` de `hint()` (pista) o de `solution()` (solución).

### Ejercicio 1: configurar EarlyStopping y ModelCheckpoint

Crea en `mis_callbacks` una lista con dos callbacks:

- un `EarlyStopping` que vigile `"val_loss"`, con paciencia 5 y que recupere los mejores pesos;
- un `ModelCheckpoint` que vigile `"val_loss"`, guarde solo cuando mejora y solo los pesos, en
  un archivo llamado `mejor.weights.h5`.
""")

code("""
mis_callbacks = ...  # tu lista de callbacks
""")

code("""
practica.ej1.check(mis_callbacks)
# practica.ej1.hint()
# practica.ej1.solution()
""")

md(r"""
### Ejercicio 2: leer una curva de validación

Un entrenamiento con `EarlyStopping(monitor="val_loss", patience=3)` y `epochs=10` obtendría
estas pérdidas de validación, una por época (la primera es la época 1), si nadie lo parase:

`0.69, 0.52, 0.41, 0.38, 0.40, 0.39, 0.42, 0.45, 0.47, 0.50`

Guarda en `mejor_epoca` el número de la mejor época y en `epoca_parada` el número de la
última época que llega a entrenarse antes de que `EarlyStopping` lo detenga.
""")

code("""
mejor_epoca = ...  # tu respuesta
epoca_parada = ...  # tu respuesta
""")

code("""
practica.ej2.check(mejor_epoca, epoca_parada)
# practica.ej2.hint()
# practica.ej2.solution()
""")

md(r"""
### Ejercicio 3: ¿qué no ayuda contra el sobreajuste?

Guarda en `respuesta` la opción que **no** reduce el sobreajuste: `"añadir Dropout"`,
`"añadir regularización L2"`, `"parar antes con EarlyStopping"` o
`"entrenar muchas más épocas"`.
""")

code("""
respuesta = ...  # una de las cuatro opciones, entre comillas
""")

code("""
practica.ej3.check(respuesta)
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
