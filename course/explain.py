"""Spanish explanations for Keras-2 idioms that fail (or warn) on Keras 3.

Much of the material students find online was written for Keras 2. On Keras 3
those idioms raise errors whose English messages rarely say what to change. This
module recognises the exceptions that today's Keras/TensorFlow really raise for
each pitfall of the course (by exception type and a message pattern, tolerant to
small wording changes) and adds, after the normal traceback, a short Spanish
explanation: what happened, why, and the corrected line.

Three ways to use it:

- ``%load_ext course.explain`` in a notebook, or :func:`enable` (called by
  :func:`course.notebook_setup.notebook_setup`): installs an IPython exception handler.
  A recognised error shows its usual traceback followed by the explanation (an
  HTML box in Jupyter, plain text in a terminal); any other exception passes
  through untouched. The ``input_shape=`` warning is shown as an explanation
  too (on stdout, never on stderr, so graded cells are not marked wrong).
- :func:`explain` (``exc -> str | None``) and :func:`explain_warning` for plain
  Python, scripts and tests.
- :func:`explanation_for` returns the :class:`Explanation` object itself (with
  ``text()``, ``html()`` and a Jupyter ``_repr_html_``).

Not covered here: ``keras.metrics.Accuracy()`` on predicted probabilities raises
nothing (it silently reports 0.0 because it compares values for exact equality);
the model checks in :mod:`course.checks` detect it instead.

This module never imports TensorFlow or Keras; it only reads exception types,
messages and tracebacks.
"""

from __future__ import annotations

import html
import linecache
import re
import traceback
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = [
    "Explanation",
    "PITFALLS",
    "disable",
    "enable",
    "explain",
    "explain_html",
    "explain_warning",
    "explanation_for",
    "load_ipython_extension",
    "unload_ipython_extension",
]


@dataclass(frozen=True)
class Explanation:
    """A Spanish explanation of one Keras-3 pitfall.

    Attributes:
        key: stable identifier of the pitfall (e.g. ``"optimizer_lr"``).
        title: one-line Spanish summary.
        what: what happened (Spanish).
        why: why Keras 3 behaves this way (Spanish).
        wrong: the offending line (the student's own line when it could be read).
        fix: the corrected line.
        note: optional extra advice (Spanish).
    """

    key: str
    title: str
    what: str
    why: str
    wrong: str
    fix: str
    note: str = ""

    def text(self) -> str:
        """Plain-text rendering (terminals, logs, ``str()``)."""
        rule = "-" * 72
        lines = [
            rule,
            f"Explicación del curso (Keras 3): {self.title}",
            "",
            f"Qué ha pasado: {self.what}",
            f"Por qué: {self.why}",
            "Cómo arreglarlo:",
            "    Antes:  " + self.wrong.replace("\n", "\n" + " " * 12),
            "    Ahora:  " + self.fix.replace("\n", "\n" + " " * 12),
        ]
        if self.note:
            lines += ["", f"Nota: {self.note}"]
        lines.append(rule)
        return "\n".join(lines)

    def html(self) -> str:
        """HTML rendering: a short coloured box for Jupyter."""

        def code(text: str) -> str:
            return html.escape(text)

        def prose(text: str) -> str:
            # `backticks` become inline code.
            parts = re.split(r"`([^`]*)`", text)
            out = []
            for i, part in enumerate(parts):
                if i % 2:
                    out.append(f"<code>{html.escape(part)}</code>")
                else:
                    out.append(html.escape(part))
            return "".join(out)

        note = (
            f"<p style='margin:6px 0 0 0'><b>Nota:</b> {prose(self.note)}</p>" if self.note else ""
        )
        pre = (
            "margin:2px 0; padding:4px 8px; border-radius:4px; "
            "font-family:monospace; white-space:pre-wrap;"
        )
        return (
            "<div class='course-explain' style='border-left:6px solid #1f6feb; "
            "background:#eef4ff; color:#111; padding:8px 12px; margin:6px 0; "
            "border-radius:4px; font-family:sans-serif; line-height:1.4'>"
            f"<p style='margin:0 0 6px 0; font-weight:bold'>Explicación del curso "
            f"(Keras 3): {prose(self.title)}</p>"
            f"<p style='margin:4px 0'><b>Qué ha pasado:</b> {prose(self.what)}</p>"
            f"<p style='margin:4px 0'><b>Por qué:</b> {prose(self.why)}</p>"
            "<p style='margin:4px 0 2px 0'><b>Cómo arreglarlo:</b></p>"
            f"<div style='{pre} background:#ffe9e9'>&#10007; {code(self.wrong)}</div>"
            f"<div style='{pre} background:#e6f6e6'>&#10003; {code(self.fix)}</div>"
            f"{note}</div>"
        )

    def __str__(self) -> str:
        return self.text()

    def __repr__(self) -> str:
        # IPython's plain-text display uses repr(): show the explanation itself.
        return self.text()

    def _repr_html_(self) -> str:
        return self.html()


# --------------------------------------------------------------------------
# Helpers reading the traceback and rewriting the student's line
# --------------------------------------------------------------------------

_LIBRARY_MARKERS = ("site-packages", "dist-packages")


def _is_library_file(filename: str) -> bool:
    if any(marker in filename for marker in _LIBRARY_MARKERS):
        return True
    import sysconfig

    stdlib = sysconfig.get_paths().get("stdlib")
    return bool(stdlib) and filename.startswith(stdlib)


def _frames(exc: BaseException) -> list[traceback.FrameSummary]:
    if exc.__traceback__ is None:
        return []
    try:
        return list(traceback.extract_tb(exc.__traceback__))
    except Exception:  # pragma: no cover - defensive: never fail while explaining
        return []


def _user_lines(exc: BaseException) -> list[str]:
    """Source lines of the traceback frames outside installed libraries, innermost last."""
    lines = []
    for frame in _frames(exc):
        filename = frame.filename or ""
        if _is_library_file(filename):
            continue
        line = frame.line
        if not line and frame.lineno:
            line = linecache.getline(filename, frame.lineno)
        if line and line.strip():
            lines.append(line.strip())
    return lines


def _user_line(exc: BaseException, pattern: str) -> str | None:
    """The innermost user line that matches ``pattern``."""
    regex = re.compile(pattern)
    for line in reversed(_user_lines(exc)):
        if regex.search(line):
            return line
    return None


def _function_names(exc: BaseException) -> list[str]:
    return [frame.name for frame in _frames(exc)]


def _split_top_level(text: str) -> list[str]:
    """Split ``text`` on commas that are not inside brackets or strings."""
    parts, depth, quote, current = [], 0, "", []
    for char in text:
        if quote:
            current.append(char)
            if char == quote:
                quote = ""
            continue
        if char in "'\"":
            quote = char
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        if char == "," and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def _call_args(line: str, start: int) -> tuple[str, int] | None:
    """Text between the parenthesis at ``start`` and its match, and the match index."""
    depth, quote = 0, ""
    for index in range(start, len(line)):
        char = line[index]
        if quote:
            if char == quote:
                quote = ""
            continue
        if char in "'\"":
            quote = char
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
            if depth == 0:
                return line[start + 1 : index], index
    return None


def _fix_add_line(line: str) -> str | None:
    """``model.add(Dense(5), activation="relu")`` -> ``model.add(Dense(5, activation="relu"))``."""
    match = re.search(r"\.add\s*\(", line)
    if not match:
        return None
    found = _call_args(line, match.end() - 1)
    if found is None:
        return None
    inner, end = found
    parts = _split_top_level(inner)
    if len(parts) < 2:
        return None
    layer, extra = parts[0].strip(), [p.strip() for p in parts[1:] if p.strip()]
    if not layer.endswith(")") or not extra:
        return None
    if layer.endswith("()"):
        new_layer = layer[:-1] + ", ".join(extra) + ")"
    else:
        new_layer = layer[:-1] + ", " + ", ".join(extra) + ")"
    return line[: match.end()] + new_layer + line[end:]


def _snake_to_camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))


def _weights_name(path: str) -> str:
    """``best_weights.h5`` -> ``best.weights.h5``; ``model.hdf5`` -> ``model.weights.h5``."""
    base = re.sub(r"\.(h5|hdf5|keras|weights)$", "", path.strip(), flags=re.IGNORECASE)
    base = re.sub(r"\.(h5|hdf5)$", "", base, flags=re.IGNORECASE)
    base = re.sub(r"[_\-.]?weights$", "", base, flags=re.IGNORECASE) or "pesos"
    if base.endswith(("/", "\\")):
        base += "pesos"
    return base + ".weights.h5"


# --------------------------------------------------------------------------
# The pitfalls
# --------------------------------------------------------------------------


def _match_add_kwargs(exc: BaseException) -> Explanation | None:
    if not isinstance(exc, TypeError):
        return None
    match = re.search(
        r"\badd\(\)\s+got an unexpected keyword argument\s+['\"`]?(\w+)", str(exc), re.IGNORECASE
    )
    if not match:
        return None
    kw = match.group(1)
    line = _user_line(exc, r"\.add\s*\(")
    fixed = _fix_add_line(line) if line else None
    if line is None or fixed is None:
        line = f'model.add(Dense(5), {kw}="sigmoid")'
        fixed = f'model.add(Dense(5, {kw}="sigmoid"))'
    return Explanation(
        key="sequential_add_kwargs",
        title=f"`{kw}` va dentro de la capa, no en `model.add()`",
        what=(
            f"Has pasado `{kw}=` a `model.add()`. Ese método solo recibe una capa, "
            f"así que Python no sabe qué hacer con `{kw}`."
        ),
        why=(
            f"`{kw}` es un argumento de la capa (por ejemplo de `Dense`), y se fija al "
            "crearla. Es un paréntesis mal cerrado muy habitual en apuntes antiguos: "
            "Keras 3 comprueba los argumentos y lo rechaza con un TypeError."
        ),
        wrong=line,
        fix=fixed,
        note="Cierra el paréntesis de la capa después de todos sus argumentos.",
    )


def _match_optimizer_lr(exc: BaseException) -> Explanation | None:
    if not isinstance(exc, ValueError):
        return None
    message = str(exc)
    if not re.search(r"not\s+recogni[sz]ed", message, re.IGNORECASE):
        return None
    match = re.search(r"['\"]lr['\"]\s*:\s*([^,}]+)", message)
    if not match:
        return None
    value = match.group(1).strip()
    line = _user_line(exc, r"\blr\s*=")
    if line:
        fixed = re.sub(r"\blr\s*=", "learning_rate=", line)
    else:
        line = f"optimizer = keras.optimizers.Adam(lr={value})"
        fixed = f"optimizer = keras.optimizers.Adam(learning_rate={value})"
    return Explanation(
        key="optimizer_lr",
        title="el argumento `lr` ya no existe: usa `learning_rate`",
        what=(f"Has creado un optimizador con `lr={value}` y Keras no reconoce el argumento `lr`."),
        why=(
            "Keras 2 aceptaba `lr` como alias antiguo de la tasa de aprendizaje. "
            "Keras 3 eliminó ese alias y rechaza cualquier argumento que no conozca."
        ),
        wrong=line,
        fix=fixed,
        note="Lo mismo vale para SGD, RMSprop, Adagrad y el resto de optimizadores.",
    )


def _match_loss_called(exc: BaseException) -> Explanation | None:
    if not isinstance(exc, TypeError):
        return None
    match = re.search(
        r"(\w+)\(\)\s+missing\s+\d*\s*required positional arguments?:?.*\by_true\b",
        str(exc),
        re.IGNORECASE,
    )
    if not match:
        return None
    name = match.group(1)
    camel = _snake_to_camel(name)
    line = _user_line(exc, rf"\b{re.escape(name)}\s*\(\s*\)")
    if line:
        fixed = re.sub(
            rf"(\b[\w.]*\.)?{re.escape(name)}\s*\(\s*\)",
            lambda m: (m.group(1) or "") + camel + "()",
            line,
            count=1,
        )
    else:
        line = f"model.compile(optimizer='adam', loss=keras.losses.{name}())"
        fixed = f"model.compile(optimizer='adam', loss=keras.losses.{camel}())"
    return Explanation(
        key="loss_called",
        title=f"`{name}()` se ha llamado sin datos",
        what=(
            f"Has escrito `{name}()` con paréntesis. Así se ejecuta la función en ese "
            "momento, sin las etiquetas (`y_true`) ni las predicciones (`y_pred`) que necesita."
        ),
        why=(
            f"En Keras 3, `{name}` (en minúscula) es una función que calcula la pérdida a "
            "partir de `y_true` e `y_pred`. `compile` quiere la función sin llamar, su "
            f"nombre como texto (`'{name}'`) o un objeto de la clase `{camel}()`, que sí "
            "se crea con paréntesis."
        ),
        wrong=line,
        fix=fixed,
        note=(f"También vale `loss='{name}'` o `loss=keras.losses.{name}` (sin paréntesis)."),
    )


def _match_keras_tensor(exc: BaseException) -> Explanation | None:
    if not isinstance(exc, (ValueError, TypeError)):
        return None
    message = str(exc)
    if not (
        re.search(r"KerasTensor", message)
        and re.search(r"(TensorFlow|TF|tf\.)\s*(function|op)", message, re.IGNORECASE)
    ):
        return None
    line = _user_line(exc, r"\btf\.\w+")
    fixed = None
    if line:
        match = re.search(r"\btf\.concat\s*\(", line)
        if match:
            found = _call_args(line, match.end() - 1)
            if found:
                args = [a.strip() for a in _split_top_level(found[0])]
                tensors = args[0]
                axis = args[1] if len(args) > 1 else ""
                axis = re.sub(r"^axis\s*=\s*", "", axis)
                axis_arg = "" if axis in ("", "-1") else f"axis={axis}"
                fixed = (
                    line[: match.start()]
                    + f"keras.layers.Concatenate({axis_arg})({tensors})"
                    + line[found[1] + 1 :]
                )
        else:
            op = re.search(r"\btf\.(?:math\.)?(\w+)\s*\(", line)
            if op:
                fixed = re.sub(r"\btf\.(?:math\.)?(\w+)\s*\(", r"keras.ops.\1(", line, count=1)
    if line is None or fixed is None:
        line = "merged = tf.concat([inputs, hidden], axis=1)"
        fixed = "merged = keras.layers.Concatenate()([inputs, hidden])"
    return Explanation(
        key="keras_tensor_tf_function",
        title="una función de TensorFlow no acepta tensores simbólicos de Keras",
        what=(
            "Al construir el modelo has pasado un `KerasTensor` (la salida de `keras.Input` "
            "o de una capa) a una función de TensorFlow como `tf.concat`."
        ),
        why=(
            "En Keras 3 los tensores del modelo funcional son marcadores simbólicos (forma y "
            "tipo, sin datos) y Keras puede funcionar sobre TensorFlow, JAX o PyTorch. "
            "Solo las capas de `keras.layers` y las operaciones de `keras.ops` saben "
            "trabajar con ellos."
        ),
        wrong=line,
        fix=fixed,
        note=(
            "Para unir tensores usa la capa `Concatenate` (o `keras.ops.concatenate`); para "
            "otras operaciones, su equivalente en `keras.ops`."
        ),
    )


def _rewrite_user_line(
    exc: BaseException,
    patterns: tuple[str, ...],
    old: str,
    new: str,
    default: tuple[str, str],
) -> tuple[str, str]:
    """The student's own line that caused ``exc`` and that line with ``old`` -> ``new``.

    The first of ``patterns`` that finds a line of the student's code wins; when
    none does (or the line does not hold ``old``), ``default`` (a generic wrong
    and fixed line) is returned instead.
    """
    for pattern in patterns:
        line = _user_line(exc, pattern)
        if line is not None:
            break
    else:
        return default
    if old not in line:
        return default
    return line, line.replace(old, new, 1)


def _match_weights_h5(exc: BaseException) -> Explanation | None:
    if not isinstance(exc, ValueError):
        return None
    message = str(exc)
    if not re.search(r"must end (in|with)\s*`?\.weights\.h5", message, re.IGNORECASE):
        return None
    found = re.search(r"filepath\s*=\s*(\S+?)\.?$", message.strip())
    path = found.group(1) if found else "best_weights.h5"
    good = _weights_name(path)
    is_checkpoint = "ModelCheckpoint" in message or "ModelCheckpoint" in " ".join(_user_lines(exc))
    short_bad = path.rsplit("/", 1)[-1]
    if is_checkpoint:
        default = (
            f'keras.callbacks.ModelCheckpoint("{path}", save_weights_only=True)',
            f'keras.callbacks.ModelCheckpoint("{good}", save_weights_only=True)',
        )
    else:
        default = (f'model.save_weights("{path}")', f'model.save_weights("{good}")')
    line, fixed = _rewrite_user_line(
        exc,
        (re.escape(short_bad), r"ModelCheckpoint|save_weights"),
        short_bad,
        good.rsplit("/", 1)[-1],
        default,
    )
    return Explanation(
        key="weights_h5",
        title="un fichero de pesos debe terminar en `.weights.h5`",
        what=(
            f"Has pedido guardar solo los pesos en `{path}`, pero Keras 3 exige que ese "
            "nombre termine en `.weights.h5`."
        ),
        why=(
            "Keras 2 aceptaba cualquier `.h5`. Keras 3 decide por la extensión qué se guarda: "
            "`.weights.h5` guarda solo los pesos y `.keras` el modelo completo "
            "(arquitectura, pesos y estado del optimizador)."
        ),
        wrong=line,
        fix=fixed,
        note=(
            "Si quieres guardar el modelo entero, quita `save_weights_only=True` y usa un "
            "nombre terminado en `.keras`."
        ),
    )


def _match_save_extension(exc: BaseException) -> Explanation | None:
    if not isinstance(exc, ValueError):
        return None
    message = str(exc)
    if not (
        re.search(r"(invalid|unsupported).*extension", message, re.IGNORECASE)
        and "keras" in message
    ):
        return None
    found = re.search(r"filepath\s*=\s*(\S+?)\.?$", message.strip())
    path = found.group(1) if found else "mi_modelo"
    short = path.rsplit("/", 1)[-1]
    line, fixed = _rewrite_user_line(
        exc,
        (r"\.save\s*\(",),
        short,
        short + ".keras",
        (f'model.save("{short}")', f'model.save("{short}.keras")'),
    )
    return Explanation(
        key="save_extension",
        title="`model.save()` necesita la extensión `.keras`",
        what=f"Has guardado el modelo en `{path}`, un nombre sin extensión reconocida.",
        why=(
            "Keras 2 guardaba por defecto una carpeta SavedModel. Keras 3 guarda el modelo "
            "completo en un único fichero `.keras` (o `.h5`, formato antiguo); para "
            "exportar un SavedModel existe `model.export()`."
        ),
        wrong=line,
        fix=fixed,
    )


def _shape_from(message: str, name: str) -> tuple[str, ...] | None:
    match = re.search(rf"{name}\.shape\s*=\s*\(([^)]*)\)", message)
    if not match:
        return None
    return tuple(p.strip() for p in match.group(1).split(",") if p.strip())


def _shape_text(shape: tuple[str, ...]) -> str:
    return "(" + ", ".join(shape) + ("," if len(shape) == 1 else "") + ")"


def _match_rank_labels(exc: BaseException) -> Explanation | None:
    if not isinstance(exc, ValueError):
        return None
    message = str(exc)
    if not re.search(r"target.{0,5}\s+and\s+.{0,5}output.{0,5}\s+must have the same rank", message):
        return None
    target = _shape_from(message, "target")
    output = _shape_from(message, "output")
    if target is None or output is None or len(target) >= len(output):
        return None
    classes = output[-1] if output else "C"
    names = " ".join(_function_names(exc))
    line = _user_line(exc, r"\.fit\s*\(|\.evaluate\s*\(|\.train_on_batch\s*\(") or (
        "model.fit(x_train, y_train, epochs=5)"
    )
    if "binary_crossentropy" in names or "BinaryCrossentropy" in names:
        title = "entropía cruzada binaria con una salida de varias clases"
        what = (
            f"El modelo termina en {classes} neuronas (softmax, una por clase) y las "
            "etiquetas son enteros (0, 1, 2, ...), pero la pérdida es "
            "`binary_crossentropy`, pensada para una sola salida sigmoid (sí/no)."
        )
        wrong = 'model.compile(optimizer="adam", loss="binary_crossentropy", ...)'
    else:
        title = "etiquetas enteras con `categorical_crossentropy`"
        what = (
            f"El modelo termina en {classes} neuronas (softmax) y las etiquetas son enteros, "
            "pero `categorical_crossentropy` espera etiquetas one-hot (un vector por ejemplo)."
        )
        wrong = 'model.compile(optimizer="adam", loss="categorical_crossentropy", ...)'
    return Explanation(
        key="loss_label_rank",
        title=title,
        what=what,
        why=(
            f"Keras 3 compara la forma de las etiquetas {_shape_text(target)} con la de la "
            f"salida {_shape_text(output)} y exige el mismo número de dimensiones. Para varias clases "
            "con etiquetas enteras la pérdida correcta es la entropía cruzada categórica "
            "dispersa (`sparse_categorical_crossentropy`)."
        ),
        wrong=wrong,
        fix='model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", ...)',
        note=(
            f"El error aparece al ejecutar `{line}`, pero lo que hay que cambiar es la "
            "pérdida en `compile`. Con etiquetas one-hot usa `categorical_crossentropy`; "
            "`binary_crossentropy` solo para una salida sigmoid de 1 neurona."
        ),
    )


def _match_sparse_onehot(exc: BaseException) -> Explanation | None:
    if not isinstance(exc, ValueError):
        return None
    message = str(exc)
    if not re.search(r"output.{0,5}\s+must have rank.{0,40}target\.ndim\s*-\s*1", message):
        return None
    target = _shape_from(message, "target")
    shape = _shape_text(target) if target else "(n, C)"
    return Explanation(
        key="sparse_with_onehot",
        title="`sparse_categorical_crossentropy` con etiquetas one-hot",
        what=(
            f"Las etiquetas tienen forma {shape} (one-hot, un vector por ejemplo), pero "
            "`sparse_categorical_crossentropy` espera un número entero de clase por ejemplo."
        ),
        why=(
            "Keras 3 comprueba que las etiquetas de la versión dispersa tengan una dimensión menos que "
            "la salida del modelo."
        ),
        wrong='model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", ...)',
        fix='model.compile(optimizer="adam", loss="categorical_crossentropy", ...)',
        note=(
            "También puedes conservar la pérdida y convertir las etiquetas a enteros con "
            "`y = y.argmax(axis=1)`."
        ),
    )


_LEGACY_FIT_ARGS = {"nb_epoch": "epochs", "nb_val_samples": "validation_steps"}


def _match_fit_legacy(exc: BaseException) -> Explanation | None:
    if not isinstance(exc, TypeError):
        return None
    match = re.search(
        r"\bfit\(\)\s+got an unexpected keyword argument\s+['\"`]?(\w+)", str(exc), re.IGNORECASE
    )
    if not match or match.group(1) not in _LEGACY_FIT_ARGS:
        return None
    old, new = match.group(1), _LEGACY_FIT_ARGS[match.group(1)]
    line = _user_line(exc, rf"\b{old}\s*=")
    if line:
        fixed = re.sub(rf"\b{old}\s*=", f"{new}=", line)
    else:
        line = f"model.fit(x, y, {old}=10)"
        fixed = f"model.fit(x, y, {new}=10)"
    return Explanation(
        key="fit_legacy_argument",
        title=f"`{old}` ahora se llama `{new}`",
        what=f"Has llamado a `fit` con `{old}=`, un nombre de argumento de Keras 1.",
        why=f"Ese nombre desapareció hace tiempo; Keras 3 solo conoce `{new}`.",
        wrong=line,
        fix=fixed,
    )


def _match_predict_classes(exc: BaseException) -> Explanation | None:
    if not isinstance(exc, AttributeError):
        return None
    match = re.search(r"has no attribute ['\"](predict_classes|predict_proba)['\"]", str(exc))
    if not match:
        return None
    method = match.group(1)
    line = _user_line(exc, rf"\.{method}\s*\(")
    if method == "predict_classes":
        fixed = None
        call = re.search(r"([\w.\[\]]+)\.predict_classes\s*\(", line) if line else None
        found = _call_args(line, call.end() - 1) if call and line else None
        if line and call and found:
            args, end = found
            fixed = (
                line[: call.start()]
                + f"np.argmax({call.group(1)}.predict({args}), axis=1)"
                + line[end + 1 :]
            )
        if line is None or fixed is None:
            line, fixed = (
                "y_pred = model.predict_classes(x_test)",
                "y_pred = np.argmax(model.predict(x_test), axis=1)",
            )
        note = (
            "Con una única salida sigmoid usa `(model.predict(x) > 0.5).astype(int)` en lugar "
            "de `argmax`."
        )
    else:
        if line:
            fixed = line.replace(".predict_proba", ".predict", 1)
        else:
            line, fixed = (
                "p = model.predict_proba(x_test)",
                "p = model.predict(x_test)",
            )
        note = ""
    return Explanation(
        key="predict_classes",
        title=f"`{method}()` ya no existe",
        what=f"Has llamado a `model.{method}()`, un método que Keras eliminó.",
        why=(
            "En Keras 3 `model.predict()` devuelve siempre las salidas de la red "
            "(probabilidades con softmax o sigmoid); la clase la calculas tú a partir de ellas."
        ),
        wrong=line,
        fix=fixed,
        note=note,
    )


#: The recognisers, tried in order. Each takes an exception and returns an
#: :class:`Explanation` or ``None``.
PITFALLS: tuple[Callable[[BaseException], Explanation | None], ...] = (
    _match_add_kwargs,
    _match_optimizer_lr,
    _match_loss_called,
    _match_keras_tensor,
    _match_weights_h5,
    _match_save_extension,
    _match_rank_labels,
    _match_sparse_onehot,
    _match_fit_legacy,
    _match_predict_classes,
)

#: Exception types that any recogniser can match (the IPython handler is
#: installed for these only; everything else never reaches it).
_HANDLED_TYPES: tuple[type[BaseException], ...] = (TypeError, ValueError, AttributeError)


def explanation_for(exc: BaseException) -> Explanation | None:
    """The :class:`Explanation` for ``exc`` (or its cause/context chain), or ``None``."""
    if not isinstance(exc, BaseException):
        raise TypeError(
            "explanation_for() espera una excepción, por ejemplo la capturada con "
            f"`except Exception as e`; ha recibido {type(exc).__name__}."
        )
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        for recogniser in PITFALLS:
            try:
                found = recogniser(current)
            except Exception:  # pragma: no cover - a recogniser must never break a traceback
                found = None
            if found is not None:
                return found
        current = current.__cause__ or current.__context__
    return None


def explain(exc: BaseException) -> str | None:
    """Spanish plain-text explanation of a known Keras-3 pitfall, or ``None``.

    Args:
        exc: the exception, e.g. from ``except Exception as exc: print(explain(exc))``.

    Returns:
        The explanation (what happened, why, the corrected line) or ``None`` when the
        exception is not one of the course's known pitfalls.
    """
    found = explanation_for(exc)
    return found.text() if found is not None else None


def explain_html(exc: BaseException) -> str | None:
    """Like :func:`explain`, rendered as an HTML box (for Jupyter)."""
    found = explanation_for(exc)
    return found.html() if found is not None else None


# --------------------------------------------------------------------------
# Warnings
# --------------------------------------------------------------------------

_INPUT_SHAPE_WARNING = re.compile(r"\binput_(shape|dim)\b.{0,40}(argument|layer)", re.IGNORECASE)


def _fix_input_shape_line(line: str) -> str | None:
    """``keras.Sequential([Dense(3, input_shape=(4,))])`` -> ``[keras.Input(shape=(4,)), Dense(3)]``."""
    match = re.search(r"\binput_(shape|dim)\s*=\s*", line)
    if not match:
        return None
    start = match.end()
    if match.group(1) == "shape":
        if start >= len(line) or line[start] not in "([":
            return None
        found = _call_args(line, start)
        if found is None:
            return None
        inner, end = found
        inner = inner.strip()
        shape = f"({inner})" if inner.endswith(",") or "," in inner else f"({inner},)"
        value_end = end + 1
    else:
        number = re.match(r"[\w.]+", line[start:])
        if not number:
            return None
        shape = f"({number.group(0)},)"
        value_end = start + number.end()
    # Remove the argument and the comma that joins it to its neighbours.
    before, after = line[: match.start()], line[value_end:]
    if re.search(r",\s*$", before):
        before = re.sub(r",\s*$", "", before)
    elif re.match(r"\s*,\s*", after):
        after = re.sub(r"^\s*,\s*", "", after)
    cleaned = before + after
    keras_input = f"keras.Input(shape={shape})"
    sequential = re.search(r"Sequential\s*\(\s*\[", cleaned)
    if sequential:
        return cleaned[: sequential.end()] + keras_input + ", " + cleaned[sequential.end() :]
    add = re.match(r"(\s*)([\w.\[\]]+)\.add\s*\(", cleaned)
    if add:
        return f"{add.group(2)}.add({keras_input})\n{cleaned.strip()}"
    return None


def _warning_explanation(message: str, line: str | None = None) -> Explanation | None:
    if not _INPUT_SHAPE_WARNING.search(message):
        return None
    fixed = _fix_input_shape_line(line) if line else None
    if line is None or fixed is None:
        line = "model = keras.Sequential([keras.layers.Dense(16, input_shape=(4,)), ...])"
        fixed = "model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(16), ...])"
    return Explanation(
        key="input_shape_warning",
        title="declara la entrada con `keras.Input`, no con `input_shape=`",
        what=(
            "Has dado `input_shape=` (o `input_dim=`) a la primera capa. El modelo funciona, "
            "pero Keras 3 avisa de que es una forma antigua."
        ),
        why=(
            "En Keras 3 la forma de la entrada se declara con un objeto `keras.Input`, que "
            "sirve igual para modelos Sequential y funcionales; las capas ya no deberían "
            "recibir la forma de la entrada."
        ),
        wrong=line,
        fix=fixed,
    )


def _calling_user_line(pattern: str) -> str | None:
    """The innermost line of user code on the current stack that matches ``pattern``."""
    regex = re.compile(pattern)
    for frame in reversed(traceback.extract_stack()):
        if _is_library_file(frame.filename or "") or frame.filename == __file__:
            continue
        if frame.line and regex.search(frame.line):
            return frame.line.strip()
    return None


def explain_warning(warning: Warning | warnings.WarningMessage | str) -> str | None:
    """Spanish explanation of a known Keras-3 warning (``input_shape=``), or ``None``.

    Accepts the warning object, a ``warnings.WarningMessage`` (as recorded by
    ``warnings.catch_warnings(record=True)``) or its message text.
    """
    if isinstance(warning, warnings.WarningMessage):
        text = str(warning.message)
    elif isinstance(warning, (Warning, str)):
        text = str(warning)
    else:
        raise TypeError(
            "explain_warning() espera un aviso (Warning) o su texto; ha recibido "
            f"{type(warning).__name__}."
        )
    found = _warning_explanation(text)
    return found.text() if found is not None else None


# --------------------------------------------------------------------------
# IPython integration
# --------------------------------------------------------------------------

_STATE: dict[str, Any] = {}


def _display(explanation: Explanation) -> None:
    from IPython.display import display

    display(explanation)


def _custom_exc(shell: Any, etype: type, value: BaseException, tb: Any, tb_offset: Any = None):
    """IPython custom exception handler: normal traceback, then the explanation."""
    previous = _STATE.get("previous")
    found = explanation_for(value)
    if found is None and previous is not None:
        prev_types, prev_handler = previous
        if prev_types and isinstance(value, prev_types):
            return prev_handler(etype, value, tb, tb_offset=tb_offset)
    if isinstance(value, SyntaxError):
        shell.showsyntaxerror()
    else:
        shell.showtraceback((etype, value, tb), tb_offset=tb_offset, running_compiled_code=True)
    if found is not None:
        _display(found)
    return None


def _showwarning(message, category, filename, lineno, file=None, line=None) -> None:
    found = None
    if issubclass(category, UserWarning):
        found = _warning_explanation(str(message), _calling_user_line(r"\binput_(shape|dim)\s*="))
    if found is not None and _STATE.get("shell") is not None:
        _display(found)
        return
    original = _STATE.get("showwarning") or warnings._showwarning_orig  # type: ignore[attr-defined]
    original(message, category, filename, lineno, file, line)


def load_ipython_extension(ip: Any) -> None:
    """Install the explainer into the IPython shell ``ip`` (``%load_ext course.explain``).

    Idempotent: loading it twice installs one handler.
    """
    # Show the input_shape warning even where TensorFlow's warnings are silenced
    # (course._env.quiet_tensorflow): it is part of the lesson, and it goes to
    # stdout as an explanation, never to stderr. Re-inserted on every call so a
    # re-run set-up cell keeps it ahead of the "ignore" filters.
    warnings.filterwarnings("always", message=r".*\binput_(shape|dim)\b", category=UserWarning)
    if _STATE.get("shell") is ip:
        return
    if _STATE.get("shell") is not None:
        unload_ipython_extension(_STATE["shell"])
    previous = None
    if getattr(ip, "custom_exceptions", ()) and getattr(ip, "CustomTB", None) is not None:
        previous = (ip.custom_exceptions, ip.CustomTB)
    types = _HANDLED_TYPES + tuple(
        t for t in (previous[0] if previous else ()) if t not in _HANDLED_TYPES
    )
    _STATE["previous"] = previous
    ip.set_custom_exc(types, _custom_exc)
    _STATE["shell"] = ip
    if warnings.showwarning is not _showwarning:
        _STATE["showwarning"] = warnings.showwarning
        warnings.showwarning = _showwarning


def unload_ipython_extension(ip: Any) -> None:
    """Remove the explainer from ``ip`` (``%unload_ext course.explain``)."""
    if _STATE.get("shell") is not ip:
        return
    previous = _STATE.pop("previous", None)
    if previous is not None:
        ip.custom_exceptions, ip.CustomTB = previous
    else:
        ip.set_custom_exc((), None)
    _STATE.pop("shell", None)
    if warnings.showwarning is _showwarning:
        warnings.showwarning = _STATE.pop("showwarning", None) or warnings._showwarning_orig  # type: ignore[attr-defined]
    warnings.filters[:] = [
        f
        for f in warnings.filters
        if not (f[0] == "always" and f[1] is not None and "input_(shape|dim)" in f[1].pattern)
    ]


def enable() -> bool:
    """Install the explainer into the running IPython, if any.

    Returns ``True`` when installed (inside IPython/Jupyter), ``False`` in plain
    Python, where :func:`explain` can still be called by hand.
    """
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython ships with Jupyter
        return False
    ip = get_ipython()
    if ip is None:
        return False
    load_ipython_extension(ip)
    return True


def disable() -> None:
    """Remove the explainer from the running IPython (no-op elsewhere)."""
    shell = _STATE.get("shell")
    if shell is not None:
        unload_ipython_extension(shell)
