"""The adversarial corpus: hostile and careless submissions graded with honest ones.

One course with the real a01 (NumPy only) and a toy assignment whose test cell
returns a student-controlled partial score. Every case below is a student; all
a01 students (controls included) are graded in ONE batch with ``jobs=2``, then the
toy students in a second batch. The "Must hold" list of the safe-grading issue
is checked on the result:

- the batch completes and the gradebook has exactly one submission per student;
- every control scores full marks; every exploit scores 0 on the cells it
  attacks, or is flagged and withheld from the export;
- ``source_assignments/``, ``release/``, the other students' folders and the
  master gradebook are untouched by student code (the gradebook is hashed before
  and after every merge: only the grading process writes it);
- every autograded notebook is under 2 MB and holds no hidden-test source;
- a second grading gives identical per-cell scores; a resubmission recomputes.

Set ``COURSE_CORPUS_TABLE=path`` to write the table (case, score, flagged,
reason shown to the student) as Markdown.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import os
import struct
import subprocess
import sys
import zlib
from collections.abc import Callable
from pathlib import Path

import nbformat
import pytest

pytestmark = [pytest.mark.nbgrader, pytest.mark.adversarial]

A01 = "a01_perceptron"
A03 = "a03_keras_xor"
A02 = "a02_activaciones_y_perdidas"
A04 = "a04_iris_y_envios"
A05 = "a05_fashion_mnist_callbacks"
#: Attack 4 of issue 21: a blank a03 whose first cell makes every check pass in the
#: kernel (main: exercises 1, 3 and 4, 8 points, could only be checked there).
EVALUATE_PATCH = (
    "import course.checks._exercise as _ej\n"
    "from course.checks import Correct\n\n"
    "_ej.Problem.evaluate = lambda self, *a, **k: Correct('tu respuesta', 'correcta', 'la correcta')\n"
)
TOY = "a91_parcial"
MAX_A01 = 10.0
TESTS = ["test_ej1", "test_ej2", "test_ej3", "test_ej4", "test_ej5", "test_ej6", "test_ej7"]
HIDDEN_MARKER = "default_rng(2024)"  # a line of a01's hidden tests
#: An environment variable of the instructor's session (a token, a password...).
INSTRUCTOR_SECRET = ("COURSE_TEST_TOKEN_INSTRUCTOR", "clave-del-instructor-7f3a9")


def _limits():
    from course.grading.sandbox import Limits

    # A smaller memory limit per kernel tree and writable area than the defaults:
    # the machine running the corpus is shared.
    return Limits(notebook_seconds=90.0, tree_memory_mb=2048, writable_mb=256)


LIMITS = _limits()


# --------------------------------------------------------------------------- helpers


def _cell(nb: nbformat.NotebookNode, grade_id: str) -> nbformat.NotebookNode:
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id:
            return cell
    raise KeyError(grade_id)


def prepend(grade_id: str, code: str) -> Callable:
    def edit(nb):
        cell = _cell(nb, grade_id)
        cell.source = code + "\n" + cell.source
        return nb

    return edit


def append(grade_id: str, code: str) -> Callable:
    def edit(nb):
        cell = _cell(nb, grade_id)
        cell.source = cell.source + "\n" + code
        return nb

    return edit


def replace(grade_id: str, old: str, new: str) -> Callable:
    def edit(nb):
        cell = _cell(nb, grade_id)
        if old not in cell.source:
            raise ValueError(f"{old!r} not in {grade_id}")
        cell.source = cell.source.replace(old, new)
        return nb

    return edit


WRONG_EJ1 = replace("ej1_suma_ponderada", "return np.dot(w, x) + b", "return 0.0")
# Makes exercise 1's check always pass, in the kernel, without any flagged pattern.
PATCH_EJ1 = "vars(a01.ej1.problem)['check'] = lambda *a, **k: None"

# --- the five attacks of issue 21: on main the key was in the kernel's memory ------
# Each answers exercise 7 with the wrong option "a" (the key is "b") and lets the
# trick put the key in its place. Graded today: the kernel runs no hidden test
# and holds no key, so the trusted process checks "a" against "b": 0 points.
WRONG_XOR = replace("ej7_respuesta", 'respuesta_xor = "b"', 'respuesta_xor = "a"')
# 1. A profile hook swaps the answer for ``hidden["key"]`` in the check's frame
#    (main: the swapped answer was also what the kernel recorded, so the
#    re-check confirmed it).
PROFILE_SWAP = """
import ctypes, sys

def _cambia(frame, event, arg):
    if event == "call":
        oculto, respuesta = frame.f_locals.get("hidden"), frame.f_locals.get("answer")
        if isinstance(oculto, dict) and oculto.get("key") and isinstance(respuesta, tuple):
            frame.f_locals["answer"] = respuesta[:-1] + (oculto["key"],)
            ctypes.pythonapi.PyFrame_LocalsToFast(ctypes.py_object(frame), ctypes.c_int(0))

sys.setprofile(_cambia)
"""
# 2. Alias imports patch the choice check everywhere and make the recorder write
#    the key as the answer.
ALIAS_PATCH = """
import importlib

_sin_comprobar = lambda *a, **k: None
for _nombre in ("course.checks." + "_values", "course.checks", "course.assignments.a01"):
    setattr(importlib.import_module(_nombre), "check_choice", _sin_comprobar)
try:
    _testigo = importlib.import_module("course.grading." + "witness")
    _graba = _testigo.Recording.around

    def _graba_la_clave(self, exercise, answer, hidden, proceed):
        if answer is not None and hidden.get("key"):
            answer = tuple(answer[:-1]) + (hidden["key"],)
        return _graba(self, exercise, answer, hidden, proceed)

    _testigo.Recording.around = _graba_la_clave
except Exception:
    pass
"""
# 3. A display formatter for Incorrect finds the key (the cell's source or the
#    check's frames), flips the result and rewrites what is recorded.
FORMATTER_FLIP = """
import ctypes, linecache, re, sys
from IPython import get_ipython
from course.checks import Incorrect

def _clave():
    textos = list(get_ipython().user_ns.get("In", []))[-1:]
    frame = sys._getframe()
    while frame is not None:
        textos.append("".join(linecache.getlines(frame.f_code.co_filename)))
        oculto = frame.f_locals.get("hidden")
        if isinstance(oculto, dict) and oculto.get("key"):
            return oculto["key"]
        frame = frame.f_back
    for texto in textos:
        hallada = re.search(r'key="(\\w)"', texto)
        if hallada:
            return hallada.group(1)
    return None

def _formato(resultado):
    clave = _clave()
    if clave:
        resultado.kind = "correct"
        frame = sys._getframe()
        while frame is not None:
            if frame.f_code.co_name == "around" and "record" in frame.f_locals:
                frame.f_locals["answer"] = tuple(frame.f_locals["answer"][:-1]) + (clave,)
                ctypes.pythonapi.PyFrame_LocalsToFast(ctypes.py_object(frame), ctypes.c_int(0))
            frame = frame.f_back
    return "<b>Correcto</b>"

get_ipython().display_formatter.formatters["text/html"].for_type(Incorrect, _formato)
"""
# 5. The package's own reference functions assigned as the answers (each cell's
#    whole code replaced; exercises 6 and 7 then use these functions too).
REFERENCES_AS_ANSWERS = {
    "ej1_suma_ponderada": "from course.assignments import a01 as _a01\n\n"
    "suma_ponderada = _a01._weighted_sum",
    "ej2_escalon": "escalon = _a01._step",
    "ej3_sigmoide": "sigmoide = _a01._sigmoid",
    "ej4_neurona": "neurona = _a01._neuron\n"
    "salida_ejemplo = neurona(np.array([2.0, 3.0]), np.array([0.0, 1.0]), 4.0, sigmoide)",
    "ej5_capa": "capa = _a01._layer\nh = capa(x_red, W1, b1, sigmoide)\n"
    "salida = float(capa(h, W2, b2, sigmoide)[0])",
}


# The same attack on the other assignments (issue 21, point 2): on main each of these
# names was a reference of the package, importable in the kernel, and scored full
# marks on its exercises. Graded from the blank release with only these cells set.
OTHER_REFERENCES_AS_ANSWERS = {
    "referencias_a02": (
        A02,
        {
            "ej1_sigmoide": "sigmoide = a02._keras_activation('sigmoid')",
            "ej2_tanh": "tangente_hiperbolica = a02._keras_activation('tanh')",
            "ej3_relu": "relu = a02._keras_activation('relu')",
            "ej4_leaky": "leaky_relu = a02._leaky_reference",
            "ej8_cce": "cce = a02._keras_loss('CategoricalCrossentropy')",
        },
        ["test_ej1", "test_ej2", "test_ej3", "test_ej4", "test_ej8"],
    ),
    # Keras's own functions as the answers: the statement asks for NumPy. On main
    # they passed in the kernel and the trusted re-check held the submission.
    "keras_como_respuesta_a02": (
        A02,
        {
            "ej1_sigmoide": "import keras\n\nsigmoide = keras.activations.sigmoid",
            "ej3_relu": "relu = keras.activations.relu",
        },
        ["test_ej1", "test_ej3"],
    ),
    "referencias_a04": (
        A04,
        {
            "ej3_preparar": "def preparar_envios(df):\n"
            "    columnas = [c for _, c in a04._expected_columns(df)]\n"
            "    return np.column_stack(columnas), df[a04.TARGET]",
        },
        ["test_ej3"],
    ),
    "referencias_a05": (
        A05,
        {
            "ej1_preparar": "from course.assignments import a05 as _a05\n\n"
            "preparar_imagenes = _a05._reference_scaling"
        },
        ["test_ej1"],
    ),
}


def set_sources(sources: dict[str, str]) -> Callable:
    def edit(nb):
        for grade_id, code in sources.items():
            _cell(nb, grade_id).source = code
        return nb

    return edit


def chain(*edits: Callable) -> Callable:
    def edit(nb):
        for e in edits:
            nb = e(nb)
        return nb

    return edit


def tag(grade_id: str, name: str) -> Callable:
    def edit(nb):
        _cell(nb, grade_id).metadata["tags"] = [name]
        return nb

    return edit


def set_meta(target: str, **values) -> Callable:
    def edit(nb):
        _cell(nb, target).metadata["nbgrader"].update(values)
        return nb

    return edit


def delete_cell(grade_id: str) -> Callable:
    def edit(nb):
        nb.cells = [
            c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") != grade_id
        ]
        return nb

    return edit


def duplicate_id(grade_id: str, onto: str) -> Callable:
    def edit(nb):
        meta = copy.deepcopy(_cell(nb, grade_id).metadata["nbgrader"])
        _cell(nb, onto).metadata["nbgrader"] = meta
        return nb

    return edit


def to_markdown(grade_id: str) -> Callable:
    def edit(nb):
        for i, cell in enumerate(nb.cells):
            if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id:
                new = nbformat.v4.new_markdown_cell(cell.source)
                new.metadata = cell.metadata
                nb.cells[i] = new
        return nb

    return edit


def add_cell(code: str) -> Callable:
    """A new student code cell at the end of the notebook (after every test cell)."""

    def edit(nb):
        nb.cells.append(nbformat.v4.new_code_cell(code))
        return nb

    return edit


def _png(size: int) -> str:
    """A valid, incompressible-ish PNG of ``size`` x ``size`` pixels, base64."""
    rows = b"".join(b"\x00" + os.urandom(size * 3) for _ in range(size))
    ihdr = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    png = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )
    return base64.b64encode(png).decode()


def _tree_limits_active() -> bool:
    from course.grading.sandbox import cgroup_support, namespaces_available

    return bool(cgroup_support()) and namespaces_available()


#: Replaces every notebook the kernel can find (its own, nbgrader's output) by a
#: link to a file of the instructor; nbgrader used to write and chmod through it.
SYMLINK_ATTACK = (
    "import os, glob\n"
    "objetivos = {'fuente': '__CURSO__/source_' + 'assignments/a01_perceptron/a01_perceptron.ipynb',\n"
    "             'gradebook': '__CURSO__/gradebook.db', 'marca': '__MARCA__'}\n"
    "for nb in set(glob.glob('*.ipynb') + glob.glob('../**/*.ipynb', recursive=True)\n"
    "              + glob.glob('/tmp/**/autograded/**/*.ipynb', recursive=True)):\n"
    "    try:\n        os.remove(nb)\n        os.symlink(objetivos['__OBJETIVO__'], nb)\n"
    "    except Exception as e:\n        print(nb, type(e).__name__)\n"
    "try:\n    os.symlink(objetivos['__OBJETIVO__'], 'a01_perceptron.ipynb')\n"
    "except Exception as e:\n    print(type(e).__name__)"
)

# Each case: (name, kind, edit, attacked cells, must_flag, extra)
# kind: "control" (full marks) or "exploit" (attacked cells 0, or flagged+withheld).
# extra: "raw:<text>" writes the file as-is, "rename", "timestamp", "v3", "extra_files".
CASES: list[tuple[str, str, Callable | None, list[str], bool, str]] = [
    ("control_1", "control", None, [], False, ""),
    ("control_2", "control", None, [], False, ""),
    (
        "control_avisos_stderr",
        "control",
        prepend(
            "ej1_suma_ponderada",
            "import logging, sys\nlogging.getLogger('tensorflow').warning('W tensorflow: aviso')\n"
            "print('oneDNN custom operations are on', file=sys.stderr)",
        ),
        [],
        False,
        "",
    ),
    ("control_nbformat_v3", "control", None, [], False, "v3"),
    ("control_cuaderno_renombrado", "control", None, [], False, "rename"),
    ("control_timestamp_basura", "control", None, [], False, "timestamp"),
    ("control_archivos_extra", "control", None, [], False, "extra_files"),
    (
        "etiqueta_skip_execution",
        "exploit",
        chain(WRONG_EJ1, tag("test_ej1", "skip-execution")),
        ["test_ej1"],
        False,
        "",
    ),
    (
        "etiqueta_raises_exception",
        "exploit",
        chain(WRONG_EJ1, tag("test_ej1", "raises-exception")),
        ["test_ej1"],
        False,
        "",
    ),
    (
        "transformador_de_entrada",
        "exploit",
        chain(
            WRONG_EJ1,
            append(
                "ej1_suma_ponderada",
                "get_ipython().input_transformers_cleanup.append(lambda lines: [])",
            ),
        ),
        TESTS,
        True,
        "",
    ),
    (
        "displayhook_en_funcion",
        "exploit",
        replace(
            "ej1_suma_ponderada",
            "return np.dot(w, x) + b",
            "import sys\n    sys.displayhook('ok')\n    return 0.0",
        ),
        ["test_ej1"],
        True,
        "",
    ),
    (
        "eq_siempre_cierto",
        "exploit",
        replace(
            "ej1_suma_ponderada",
            "return np.dot(w, x) + b",
            "class Todo(float):\n        def __eq__(self, other):\n            return True\n"
            "        __hash__ = float.__hash__\n    return Todo(0.0)",
        ),
        ["test_ej1"],
        True,
        "",
    ),
    (
        "comprobador_parcheado",
        "exploit",
        chain(WRONG_EJ1, append("ej1_suma_ponderada", "a01.ej1.check = lambda *a, **k: None")),
        ["test_ej1"],
        True,
        "",
    ),
    (
        "modulo_sombra_escrito",
        "exploit",
        chain(
            WRONG_EJ1,
            append(
                "ej1_suma_ponderada",
                "open('numpy.py', 'w').write('raise SystemExit')\n"
                "open('course.py', 'w').write('x = 1')",
            ),
        ),
        ["test_ej1"],
        False,
        "",
    ),
    (
        "grade_id_duplicado",
        "exploit",
        chain(WRONG_EJ1, duplicate_id("test_ej1", "ej2_escalon")),
        ["test_ej1"],
        False,
        "",
    ),
    (
        "grade_id_renombrado",
        "exploit",
        chain(WRONG_EJ1, set_meta("test_ej1", grade_id="test_ej1_mio")),
        ["test_ej1"],
        False,
        "",
    ),
    (
        "schema_y_puntos_editados",
        "exploit",
        chain(WRONG_EJ1, set_meta("test_ej1", schema_version=99, points=1000, grade=False)),
        ["test_ej1"],
        False,
        "",
    ),
    ("celda_de_prueba_borrada", "exploit", delete_cell("test_ej2"), ["test_ej2"], False, ""),
    (
        "celda_de_prueba_a_markdown",
        "exploit",
        chain(WRONG_EJ1, to_markdown("test_ej1")),
        ["test_ej1"],
        False,
        "",
    ),
    ("os_exit", "exploit", prepend("ej4_neurona", "import os\nos._exit(0)"), TESTS[3:], True, ""),
    (
        "bucle_que_ignora_sigint",
        "exploit",
        prepend(
            "ej5_capa",
            "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass",
        ),
        TESTS[4:],
        True,
        "",
    ),
    (
        "bucle_infinito",
        "exploit",
        prepend("ej6_perceptron", "while True:\n    pass"),
        TESTS[5:],
        False,
        "",
    ),
    (
        "memoria_agotada",
        "exploit",
        replace(
            "ej1_suma_ponderada",
            "return np.dot(w, x) + b",
            "basura = np.ones(2**40)\n    return np.dot(w, x) + b",
        ),
        ["test_ej1"],
        False,
        "",
    ),
    (
        "disco_agotado",
        "exploit",
        prepend(
            "ej7_xor",
            "with open('relleno.bin', 'wb') as f:\n    for _ in range(400):\n        f.write(b'0' * 2**20)",
        ),
        ["test_ej7"],
        False,
        "",
    ),
    (
        "fork_masivo",
        "exploit",
        prepend(
            "ej7_xor",
            "import os, time\nfor _ in range(200):\n    if os.fork() == 0:\n        time.sleep(60)\n        os._exit(0)",
        ),
        ["test_ej7"],
        True,
        "",
    ),
    (
        "red",
        "exploit",
        replace(
            "ej1_suma_ponderada",
            "return np.dot(w, x) + b",
            "import urllib.request\n    urllib.request.urlopen('https://pypi.org', timeout=5)\n"
            "    return np.dot(w, x) + b",
        ),
        ["test_ej1"],
        True,
        "",
    ),
    (
        "input_en_funcion",
        "exploit",
        replace(
            "ej1_suma_ponderada",
            "return np.dot(w, x) + b",
            "input('¿peso?')\n    return np.dot(w, x) + b",
        ),
        ["test_ej1"],
        False,
        "",
    ),
    (
        "sys_exit",
        "exploit",
        prepend("ej1_suma_ponderada", "import sys\nsys.exit(0)"),
        ["test_ej1"],
        False,
        "",
    ),
    ("json_truncado", "exploit", None, TESTS, False, "truncate"),
    ("archivo_vacio", "exploit", None, TESTS, False, "raw:"),
    (
        "salida_de_10_MB",
        "exploit",
        prepend("ej1_suma_ponderada", "print('x' * 10_000_000)"),
        [],
        False,
        "",
    ),
    (
        "imagen_enorme",
        "exploit",
        prepend(
            "ej1_suma_ponderada",
            "from IPython.display import Image, display\ndisplay(Image(data=__import__('base64').b64decode(PNG)))",
        ),
        [],
        True,
        "png",
    ),
    (
        "lee_soluciones_y_pruebas",
        "exploit",
        append(
            "ej1_suma_ponderada",
            "import glob\nfor p in glob.glob('/tmp/**/*.ipynb', recursive=True) + glob.glob('../../../**/*', recursive=True):\n"
            "    try:\n        print(p, open(p, errors='replace').read()[:20000])\n    except Exception as e:\n        print(p, e)",
        ),
        [],
        True,
        "",
    ),
    (
        "lee_las_tareas_del_proyecto",
        "exploit",
        append(
            "ej1_suma_ponderada",
            # The project's own source assignments sit beside the imported package
            # (editable install): no pattern of the scan names them here.
            "import pathlib, course\n"
            "raiz = pathlib.Path(course.__file__).resolve().parents[1] / ('source' + '_assignments')\n"
            "for p in raiz.rglob('*.ipynb'):\n"
            "    try:\n"
            "        if ('BEGIN ' + 'HIDDEN') in p.read_text():\n"
            "            print('FUGA_' + 'DE_SOLUCIONES', p)\n"
            "    except Exception as e:\n"
            "        print(p, e)",
        ),
        [],
        False,
        "",
    ),
    (
        "escribe_en_el_curso",
        "exploit",
        append(
            "ej1_suma_ponderada",
            "import os, glob\nfor d in glob.glob('/tmp/**/submitted', recursive=True) + glob.glob('/tmp/**/source_assignments/*', recursive=True):\n"
            "    try:\n        os.makedirs(os.path.join(d, 'zz_fantasma'), exist_ok=True)\n"
            "        open(os.path.join(d, 'zz_fantasma', 'x.txt'), 'w').write('x')\n    except Exception as e:\n        print(e)\n"
            "for p in glob.glob('/tmp/**/submitted/control_1/*/*.ipynb', recursive=True):\n"
            "    try:\n        open(p, 'w').write('{}')\n    except Exception as e:\n        print(e)",
        ),
        [],
        True,
        "",
    ),
    (
        "sqlite_gradebook",
        "exploit",
        append(
            "ej1_suma_ponderada",
            "import sqlite3, glob\nfor p in glob.glob('/tmp/**/gradebook.db', recursive=True) + ['../../../gradebook.db']:\n"
            "    try:\n        con = sqlite3.connect(p)\n        con.execute('UPDATE grade SET auto_score = 100')\n        con.commit()\n"
            "    except Exception as e:\n        print(p, e)",
        ),
        [],
        True,
        "",
    ),
    (
        "set_custom_exc",
        "exploit",
        chain(
            WRONG_EJ1,
            append(
                "ej1_suma_ponderada",
                "get_ipython().set_custom_exc((BaseException,), lambda *a, **k: None)",
            ),
        ),
        ["test_ej1"],
        True,
        "",
    ),
    (
        "builtins_parcheado",
        "exploit",
        chain(
            WRONG_EJ1,
            append(
                "ej1_suma_ponderada",
                "import builtins\nbuiltins.AssertionError = type('X', (Exception,), {})",
            ),
        ),
        ["test_ej1"],
        True,
        "",
    ),
    # Run-time patches that no pattern of the static scan names: caught by the
    # trusted hidden tests outside the kernel (course.grading.hidden_tests).
    (
        "parche_que_el_escaneo_no_ve",
        "exploit",
        chain(WRONG_EJ1, append("ej1_suma_ponderada", PATCH_EJ1)),
        ["test_ej1"],
        True,
        "",
    ),
    (
        "parche_y_registro_desactivado",
        "exploit",
        chain(
            WRONG_EJ1,
            append(
                "ej1_suma_ponderada",
                "import os\nos.environ.pop('COURSE_WITNESS_DIR', None)\n" + PATCH_EJ1,
            ),
        ),
        TESTS,  # no record from here on: no later cell can be confirmed
        True,
        "",
    ),
    # --- the five attacks of issue 21 (hidden tests and keys out of the kernel) ------
    (
        "perfil_cambia_la_respuesta",
        "exploit",
        chain(WRONG_XOR, append("ej7_respuesta", PROFILE_SWAP)),
        ["test_ej7"],
        False,
        "",
    ),
    (
        "alias_parchea_la_comprobacion",
        "exploit",
        chain(WRONG_XOR, append("ej7_respuesta", ALIAS_PATCH)),
        ["test_ej7"],
        False,
        "",
    ),
    (
        "formateador_lee_la_clave",
        "exploit",
        chain(WRONG_XOR, append("ej7_respuesta", FORMATTER_FLIP)),
        ["test_ej7"],
        False,
        "",
    ),
    (
        "referencias_del_paquete",
        "exploit",
        set_sources(REFERENCES_AS_ANSWERS),
        TESTS,  # exercises 6 and 7 call these functions too
        False,
        "",
    ),
    # --- the attacks of the "student cannot touch the grader" issue ------------------
    # Placeholders __CURSO__, __PROYECTO__ and __MARCA__ are replaced by the real paths
    # (an attacker who knows the instructor's layout).
    (
        "enlace_al_cuaderno_fuente",
        "exploit",
        append("ej1_suma_ponderada", SYMLINK_ATTACK.replace("__OBJETIVO__", "fuente")),
        [],
        False,
        "",
    ),
    (
        "enlace_al_gradebook",
        "exploit",
        append("ej1_suma_ponderada", SYMLINK_ATTACK.replace("__OBJETIVO__", "gradebook")),
        [],
        False,
        "",
    ),
    (
        "enlace_fuera_del_curso",
        "exploit",
        append("ej1_suma_ponderada", SYMLINK_ATTACK.replace("__OBJETIVO__", "marca")),
        [],
        False,
        "",
    ),
    ("json_muy_anidado", "exploit", None, TESTS, False, "deep_json"),
    (
        "expresion_muy_anidada",
        "exploit",
        append("ej1_suma_ponderada", "x = " + "+".join(["1"] * 50_000)),
        TESTS,
        False,
        "",
    ),
    (
        "registro_fifo",
        "exploit",
        replace(
            "ej1_suma_ponderada",
            "return np.dot(w, x) + b",
            "return np.dot(w, x) + b\n\n\n"
            "import os, sys\n"
            "import course.grading.answers as _exportador\n\n"
            "def _export(names, folder):\n"
            "    os.makedirs(folder)\n"
            "    os.mkfifo(os.path.join(folder, 'record.json'))\n\n"
            "_exportador.export = _export",
        ),
        TESTS,  # every later answer export is refused
        True,
        "",
    ),
    (
        "escribe_en_dev_sys_cgroup",
        "exploit",
        append(
            "ej1_suma_ponderada",
            "import glob\nfor p in ['/dev/shm/course_fuga', '/dev/course_fuga', '/sys/course_fuga',\n"
            "          '/sys/fs/cgroup/course_fuga', '/sys/fs/cgroup/memory/course_fuga']"
            " + glob.glob('/sys/fs/cgroup/**/memory.limit_in_bytes', recursive=True)[:50]:\n"
            "    try:\n        open(p, 'w').write('9223372036854771712' if 'limit' in p else 'x' * 2**20)\n"
            "        print('ESCRITO', p)\n    except Exception as e:\n        print(p, type(e).__name__)",
        ),
        [],
        False,
        "",
    ),
    (
        "variable_del_instructor",
        "exploit",
        append(
            "ej1_suma_ponderada",
            "import os\nprint({k: v for k, v in os.environ.items()})\n"
            "print(open('/proc/1/environ', 'rb').read())",
        ),
        [],
        False,
        "",
    ),
    (
        "lee_git_y_paquete",
        "exploit",
        append(
            "ej1_suma_ponderada",
            "import pathlib, subprocess\nfor p in ['__PROYECTO__/.git/HEAD', '__PROYECTO__/.git/config',\n"
            "          '__PROYECTO__/course/simulated/a01.py',\n"
            "          '__PROYECTO__/source_' + 'assignments/a01_perceptron/a01_perceptron.ipynb']:\n"
            "    try:\n        print('FUGA_' + 'PROYECTO', p, pathlib.Path(p).read_text()[:300])\n"
            "    except Exception as e:\n        print(p, type(e).__name__)\n"
            "try:\n    import course.simulated.a01 as v\n    print('FUGA_' + 'PROYECTO', v.__file__)\n"
            "except Exception as e:\n    print(type(e).__name__)\n"
            "print(subprocess.run(['git', '-C', '__PROYECTO__', 'show', 'HEAD:source_' + "
            "'assignments/a01_perceptron/a01_perceptron.ipynb'], capture_output=True, text=True).stdout[:300])",
        ),
        [],
        False,
        "",
    ),
    (
        "lee_otros_cursos_e_informes",
        "exploit",
        append(
            "ej1_suma_ponderada",
            "import glob\nfor p in glob.glob('__CURSO__/../**/*', recursive=True) + "
            "glob.glob('__CURSO__/informes/*') + glob.glob('/proc/*/cmdline'):\n"
            "    try:\n        print(p, open(p, errors='replace').read()[:3000])\n"
            "    except Exception as e:\n        print(p, type(e).__name__)",
        ),
        [],
        True,
        "",
    ),
    (
        "llena_home",
        "exploit",
        append(
            "ej1_suma_ponderada",
            "import os\nescritos = 0\ntry:\n    for i in range(100):\n"
            "        with open(os.path.expanduser(f'~/relleno{i}.bin'), 'wb') as f:\n"
            "            for _ in range(10):\n                f.write(b'0' * 2**20)\n"
            "        escritos += 10\nexcept OSError as e:\n    print(type(e).__name__)\n"
            "print('HOME_MB', escritos)",
        ),
        [],
        False,
        "",
    ),
    (
        "historial_de_entradas",
        "exploit",
        add_cell(
            # stdout: what the input history and the history manager hold (the
            # student's own cells); stderr: the sources IPython cached for every cell.
            "import base64, codecs, linecache, sys\n"
            "historia = '\\n'.join(list(In) + list(_ih) + [str(v) for v in Out.values()])\n"
            "historia += '\\n'.join(str(h) for h in "
            "get_ipython().history_manager.get_range(raw=True))\n"
            "print(codecs.encode(historia, 'rot13')[:12000])\n"
            "print('B64:' + base64.b64encode(historia.encode()).decode()[:12000])\n"
            "print(historia[::-1][:12000])\n"
            "celdas = '\\n'.join(''.join(v[2]) for k, v in list(linecache.cache.items())\n"
            "                    if (k.startswith('<') or 'ipykernel_' in k) and len(v) > 2)\n"
            "print(codecs.encode(celdas, 'rot13')[:30000], file=sys.stderr)"
        ),
        [],
        True,
        "",
    ),
]

if _tree_limits_active():
    # Only where the kernel tree has its own memory limit: 9 GiB otherwise.
    CASES.append(
        (
            "tres_hijos_de_3_GiB",
            "exploit",
            prepend(
                "ej7_xor",
                "import os, time\nhijos = []\nfor _ in range(3):\n    pid = os.fork()\n"
                "    if pid == 0:\n        a = np.ones(3 * 2**30 // 8)\n        time.sleep(3)\n"
                "        os._exit(0)\n    hijos.append(pid)\n"
                "completos = sum(os.waitstatus_to_exitcode(os.waitpid(p, 0)[1]) == 0 for p in hijos)\n"
                "print('HIJOS_COMPLETOS', completos)",
            ),
            ["test_ej7"],
            False,
            "",
        )
    )
REFUTED_CASES = ["parche_que_el_escaneo_no_ve", "parche_y_registro_desactivado"]

# Toy assignment: the test cell's value is the student's partial score.
TOY_CASES: list[tuple[str, str, float, bool]] = [
    ("parcial_control", "return 1.0", 1.0, False),
    ("parcial_numpy_medio", "return np.float64(0.5)", 0.5, False),
    ("parcial_nan", "return float('nan')", 0.0, False),
    ("parcial_numpy_cero", "return np.float64(0.0)", 0.0, False),
    ("parcial_negativo", "return -1.0", 0.0, False),
    ("parcial_mayor_que_maximo", "return 5.0", 0.0, False),
    ("parcial_booleano", "return True", 0.0, False),
    ("parcial_texto", "return '1.0'", 0.0, False),
]


# --------------------------------------------------------------------------- fixtures


def _toy_source() -> nbformat.NotebookNode:
    def cell(kind, source, **meta):
        c = (
            nbformat.v4.new_code_cell(source)
            if kind == "code"
            else nbformat.v4.new_markdown_cell(source)
        )
        if meta:
            m = {"schema_version": 3, "locked": False, "solution": False, "grade": False}
            m.update(meta)
            c.metadata["nbgrader"] = m
        return c

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.cells = [
        cell("markdown", "# Puntuación parcial (1 punto)", grade_id="intro", locked=True),
        cell("code", "import numpy as np", grade_id="imports", locked=True),
        cell(
            "code",
            "def parcial():\n    ### BEGIN SOLUTION\n    return 1.0\n    ### END SOLUTION",
            grade_id="parcial_sol",
            solution=True,
        ),
        cell("code", "parcial()", grade_id="parcial_test", grade=True, locked=True, points=1),
    ]
    return nb


def _tree_hash(path: Path) -> str:
    digest = hashlib.sha256()
    if not path.exists():
        return "missing"
    for p in sorted(path.rglob("*")):
        digest.update(str(p.relative_to(path)).encode())
        if p.is_file():
            digest.update(p.read_bytes())
    return digest.hexdigest()


def _file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else "missing"


def _project_root() -> Path:
    import course

    return Path(course.__file__).resolve().parents[1]


def _write_case(
    course: Path,
    name: str,
    edit,
    extra: str,
    solution: nbformat.NotebookNode,
    marker: Path | None = None,
) -> None:
    folder = course / "submitted" / name / A01
    folder.mkdir(parents=True, exist_ok=True)
    nb = copy.deepcopy(solution)
    if edit is not None:
        nb = edit(nb)
    places = {"__CURSO__": str(course), "__PROYECTO__": str(_project_root())}
    places["__MARCA__"] = str(marker or course / "marca.txt")
    for cell in nb.cells:
        for key, value in places.items():
            cell.source = cell.source.replace(key, value)
    target = folder / f"{A01}.ipynb"
    (folder / "timestamp.txt").write_text("2026-11-20 10:00:00.000000 UTC", encoding="utf-8")
    if extra.startswith("raw:"):
        target.write_text(extra[4:], encoding="utf-8")
    elif extra == "deep_json":
        deep = "[" * 100_000 + "]" * 100_000
        target.write_text(
            '{"cells": [], "metadata": {"x": ' + deep + '}, "nbformat": 4, "nbformat_minor": 5}',
            encoding="utf-8",
        )
    elif extra == "truncate":
        text = nbformat.writes(nb)
        target.write_text(text[: len(text) // 2], encoding="utf-8")
    elif extra == "v3":
        target.write_text(nbformat.writes(nbformat.convert(nb, 3), version=3), encoding="utf-8")
    elif extra == "rename":
        nbformat.write(nb, folder / "mi_tarea_final (1).ipynb")
    else:
        if extra == "png":
            _cell(nb, "ej1_suma_ponderada").source = (
                f"PNG = {_png(1400)!r}\n" + _cell(nb, "ej1_suma_ponderada").source
            )
        nbformat.write(nb, target)
    if extra == "timestamp":
        (folder / "timestamp.txt").write_bytes(b"\x00\xffno es una fecha\n" * 50)
    if extra == "extra_files":
        (folder / "course.py").write_text("raise SystemExit('sombra')\n", encoding="utf-8")
        (folder / "numpy.py").write_text("raise SystemExit('sombra')\n", encoding="utf-8")
        (folder / "sitecustomize.py").write_text("import os; os._exit(3)\n", encoding="utf-8")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    from course.grading import autograde
    from course.grading.coursedir import new_course
    from course.grading.nbgrader_api import ensure_generated
    from course.simulated.submissions import solution_submission

    course = new_course(
        tmp_path_factory.mktemp("adversario") / "curso", ["a01", "a02", "a03", "a04", "a05"]
    )
    (course / "source_assignments" / TOY).mkdir(parents=True)
    nbformat.write(_toy_source(), course / "source_assignments" / TOY / f"{TOY}.ipynb")
    for aid in (A01, TOY, A03, A02, A04, A05):
        ensure_generated(course, aid)
    source_nb = nbformat.read(course / "source_assignments" / A01 / f"{A01}.ipynb", as_version=4)
    release_nb = nbformat.read(course / "release" / A01 / f"{A01}.ipynb", as_version=4)
    solution = solution_submission(source_nb, release_nb)
    # Outside the course: a marker file, a sibling course with another student's
    # notebook, the course's reports; an instructor's secret in the environment.
    outside = course.parent
    marker = outside / "marca_fuera_del_curso.txt"
    marker.write_text("MARCA_INTACTA\n", encoding="utf-8")
    sibling = outside / "otro_curso" / "submitted" / "ajena" / A01
    sibling.mkdir(parents=True)
    (sibling / f"{A01}.ipynb").write_text('{"SECRETO_DE_OTRO_CURSO": 1}', encoding="utf-8")
    (course / "informes").mkdir()
    (course / "informes" / "notas.csv").write_text("alumno,nota\nSECRETO_INFORME,9\n")
    os.environ[INSTRUCTOR_SECRET[0]] = INSTRUCTOR_SECRET[1]
    for name, _kind, edit, _att, _flag, extra in CASES:
        _write_case(course, name, edit, extra, solution, marker)
    a03_blank = nbformat.read(course / "release" / A03 / f"{A03}.ipynb", as_version=4)
    _cell(a03_blank, "ej1_crear_modelo").source = (
        EVALUATE_PATCH + "\n" + _cell(a03_blank, "ej1_crear_modelo").source
    )
    (course / "submitted" / "evaluate_parcheado" / A03).mkdir(parents=True)
    nbformat.write(a03_blank, course / "submitted" / "evaluate_parcheado" / A03 / f"{A03}.ipynb")
    for name, (aid, sources, _attacked) in OTHER_REFERENCES_AS_ANSWERS.items():
        attacked_nb = set_sources(sources)(
            nbformat.read(course / "release" / aid / f"{aid}.ipynb", as_version=4)
        )
        (course / "submitted" / name / aid).mkdir(parents=True)
        nbformat.write(attacked_nb, course / "submitted" / name / aid / f"{aid}.ipynb")
    toy_release = nbformat.read(course / "release" / TOY / f"{TOY}.ipynb", as_version=4)
    for name, body, _exp, _flag in TOY_CASES:
        nb = copy.deepcopy(toy_release)
        _cell(nb, "parcial_sol").source = f"def parcial():\n    {body}"
        (course / "submitted" / name / TOY).mkdir(parents=True)
        nbformat.write(nb, course / "submitted" / name / TOY / f"{TOY}.ipynb")

    before = {
        "source": _tree_hash(course / "source_assignments"),
        "release": _tree_hash(course / "release"),
        "submitted": _tree_hash(course / "submitted"),
        "config": _file_hash(course / "nbgrader_config.py"),
        "marker": _file_hash(marker),
        "sibling": _tree_hash(outside / "otro_curso"),
        "informes": _tree_hash(course / "informes"),
    }
    # The master gradebook may only change inside a merge: hash it around each one.
    db = course / "gradebook.db"
    outside_writes: list[str] = []
    last = {"hash": _file_hash(db)}
    from course.grading import publish

    real_publish = publish.publish

    def checked_publish(course_, assignment, result, bundle):
        if _file_hash(db) != last["hash"]:
            outside_writes.append(result.student)
        published = real_publish(course_, assignment, result, bundle)
        last["hash"] = _file_hash(db)
        return published

    publish.publish = checked_publish
    try:
        run = autograde.grade_assignment(
            course, A01, jobs=2, timeout=300, progress=False, echo=print, limits=LIMITS
        )
        toy_run = autograde.grade_assignment(
            course, TOY, jobs=2, timeout=300, progress=False, echo=print, limits=LIMITS
        )
        a03_run = autograde.grade_assignment(
            course, A03, jobs=1, timeout=300, progress=False, echo=print, limits=LIMITS
        )
        others = {
            aid: autograde.grade_assignment(
                course, aid, jobs=2, timeout=300, progress=False, echo=print, limits=LIMITS
            )
            for aid in (A02, A04, A05)
        }
    finally:
        publish.publish = real_publish
        os.environ.pop(INSTRUCTOR_SECRET[0], None)
    after = {
        "source": _tree_hash(course / "source_assignments"),
        "release": _tree_hash(course / "release"),
        "submitted": _tree_hash(course / "submitted"),
        "config": _file_hash(course / "nbgrader_config.py"),
        "marker": _file_hash(marker),
        "sibling": _tree_hash(outside / "otro_curso"),
        "informes": _tree_hash(course / "informes"),
    }
    table_path = os.environ.get("COURSE_CORPUS_TABLE")
    if table_path:
        _write_table(Path(table_path), run, toy_run)
    return {
        "course": course,
        "run": run,
        "toy": toy_run,
        "a03": a03_run,
        "others": others,
        "before": before,
        "after": after,
        "outside_writes": outside_writes,
    }


def _student_reason(result) -> str:
    reasons = [f"{c.grade_id}: {c.reason}" for c in result.cells if c.reason]
    return "; ".join(list(dict.fromkeys(result.notes)) + reasons)[:300] or "—"


def _write_table(path: Path, run, toy_run) -> None:
    lines = [
        "| caso | nota | señalada | confirmadas fuera | motivo mostrado al alumno |",
        "|---|---|---|---|---|",
    ]
    for result in [*run.results, *toy_run.results]:
        flagged = "sí (retenida)" if result.review == "pendiente" else "no"
        reason = _student_reason(result).replace("|", "/").replace("\n", " ")
        verdicts = list(result.verdicts.values())
        outside = f"{verdicts.count('confirmed')}/{len(verdicts)}" if verdicts else "—"
        if "refuted" in verdicts:
            outside += f" ({verdicts.count('refuted')} refutada)"
        lines.append(
            f"| {result.student} | {result.score:g}/{result.max_score:g} | {flagged} | "
            f"{outside} | {reason} |"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _by_student(run) -> dict:  # noqa: D103
    return {r.student: r for r in run.results}


# --------------------------------------------------------------------------- tests


def test_corpus_is_large_enough():
    assert len(CASES) + len(TOY_CASES) >= 30
    assert sum(1 for c in CASES if c[1] == "exploit") >= 25


def test_one_row_per_student(corpus):
    from course.grading.nbgrader_api import gradebook

    course = corpus["course"]
    with gradebook(course) as gb:
        for aid, cases in ((A01, [c[0] for c in CASES]), (TOY, [c[0] for c in TOY_CASES])):
            subs = sorted(s.student.id for s in gb.find_assignment(aid).submissions)
            assert subs == sorted(cases)
    assert len(corpus["run"].results) == len(CASES)


@pytest.mark.parametrize("case", [c for c in CASES if c[1] == "control"], ids=lambda c: c[0])
def test_controls_get_full_marks(corpus, case):
    result = _by_student(corpus["run"])[case[0]]
    assert result.score == MAX_A01, [(c.grade_id, c.score, c.reason) for c in result.cells]
    if case[5] == "rename":
        # Graded in full, and held for review with the reason (issue 19: a renamed
        # notebook is an unusual submission the instructor must see).
        assert result.review == "pendiente" and result.anomalies, result.flags
        assert all("otro nombre" in a for a in result.anomalies), result.anomalies
    else:
        assert result.review == "", result.flags


@pytest.mark.parametrize("case", [c for c in CASES if c[1] == "exploit"], ids=lambda c: c[0])
def test_exploits_score_zero_or_are_withheld(corpus, case):
    name, _kind, _edit, attacked, must_flag, _extra = case
    result = _by_student(corpus["run"])[name]
    scores = {c.grade_id: c for c in result.cells}
    flagged = result.review == "pendiente"
    if must_flag:
        assert flagged, f"{name} should be flagged for review"
    for gid in attacked:
        assert scores[gid].score == 0 or flagged, (gid, scores[gid].score, result.flags)
        if scores[gid].score == 0:
            assert scores[gid].reason, f"{name}/{gid}: a zero needs a reason for the student"
    # Cells that were not attacked keep what the (correct) code earns. Exercise 4
    # (neurona) calls exercise 1's function, so an attack on test_ej1 reaches it.
    reached = set(attacked) | ({"test_ej4"} if "test_ej1" in attacked else set())
    for gid in TESTS:
        if gid not in reached:
            assert scores[gid].score == scores[gid].max_score, (gid, scores[gid].reason)


@pytest.mark.parametrize(
    "name",
    [
        "perfil_cambia_la_respuesta",
        "alias_parchea_la_comprobacion",
        "formateador_lee_la_clave",
        "referencias_del_paquete",
    ],
)
def test_attacks_on_keys_in_the_kernel_score_zero(corpus, name):
    """Issue 21: tricks that took the key (or the reference) from the kernel score 0.

    On main each scored full marks on the attacked cells, confirmed by the
    re-check: the kernel ran the hidden test with ``key=`` in its memory, and the
    package's reference functions were importable there.
    """
    attacked = {c[0]: c[3] for c in CASES}[name]
    result = _by_student(corpus["run"])[name]
    scores = {c.grade_id: c for c in result.cells}
    for gid in attacked:
        assert scores[gid].score == 0, (gid, scores[gid].score, scores[gid].reason)
        assert scores[gid].reason


@pytest.mark.parametrize("name", sorted(OTHER_REFERENCES_AS_ANSWERS))
def test_references_as_answers_score_zero_in_every_assignment(corpus, name):
    """Issue 21: a02's, a04's and a05's references are not importable in the kernel
    either (on main each of these submissions scored its attacked exercises in full,
    or, for Keras's own functions, was held after passing in the kernel)."""
    aid, _sources, attacked = OTHER_REFERENCES_AS_ANSWERS[name]
    result = _by_student(corpus["others"][aid])[name]
    scores = {c.grade_id: c for c in result.cells}
    for gid in attacked:
        assert scores[gid].score == 0, (gid, scores[gid].score, scores[gid].reason)
        assert scores[gid].reason
    assert result.score == 0, [(c.grade_id, c.score) for c in result.cells]
    # Caught in the kernel itself: nothing passed there that failed outside.
    assert result.review != "pendiente", result.flags
    if name == "keras_como_respuesta_a02":
        assert "NumPy" in scores["test_ej1"].reason, scores["test_ej1"].reason


def test_patched_evaluate_on_a_blank_a03_scores_zero(corpus):
    """Issue 21, attack 4: every check patched to pass in the kernel; nothing passes outside.

    On main exercises 1, 3 and 4 (8 of 10 points) were "kernel-only" and kept the
    kernel's result.
    """
    (result,) = corpus["a03"].results
    assert result.score == 0, [(c.grade_id, c.score, c.reason) for c in result.cells]
    assert all(c.reason for c in result.cells)
    assert result.review == "pendiente", result.flags


def test_controls_are_confirmed_outside_the_kernel(corpus):
    by_student = _by_student(corpus["run"])
    for name in (c[0] for c in CASES if c[1] == "control"):
        verdicts = by_student[name].verdicts
        assert verdicts == dict.fromkeys(TESTS, "confirmed"), (name, verdicts)


@pytest.mark.parametrize("name", REFUTED_CASES)
def test_run_time_patches_are_refuted_outside_the_kernel(corpus, name):
    from course.grading.review import scan_notebook

    # The static scan alone does not see the patch...
    patch = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(PATCH_EJ1)])
    assert scan_notebook(patch) == []
    # ...the re-check in a clean process does: 0 points, a reason, held for review.
    result = _by_student(corpus["run"])[name]
    cell = {c.grade_id: c for c in result.cells}["test_ej1"]
    assert result.verdicts.get("test_ej1") == "refuted" and cell.score == 0
    assert "fuera de tu cuaderno" in cell.reason and "vuelve a entregarlo" in cell.reason
    assert result.review == "pendiente"
    assert any("test_ej1" in f and "fuera" in f for f in result.flags), result.flags


def test_flagged_grades_are_withheld_from_export(corpus, tmp_path):
    from course.grading.report import export_grades

    course = corpus["course"]
    path = export_grades(course, tmp_path / "notas.csv")
    import csv

    with path.open(encoding="utf-8") as fh:
        rows = {r["estudiante"]: r for r in csv.DictReader(fh)}
    flagged = [r.student for r in corpus["run"].results if r.review == "pendiente"]
    assert flagged
    for student in flagged:
        assert rows[student][A01] == "", student
    assert rows["control_1"][A01] not in ("", None)


def test_nothing_outside_the_sandbox_changed(corpus):
    assert corpus["before"] == corpus["after"]
    assert corpus["outside_writes"] == []
    course = corpus["course"]
    assert not list(course.rglob("zz_fantasma"))
    assert not (course / "submitted" / "zz_fantasma").exists()


def test_autograded_notebooks_are_small_and_hold_no_hidden_tests(corpus):
    course = corpus["course"]
    notebooks = list((course / "autograded").rglob("*.ipynb"))
    assert len(notebooks) >= len(CASES)
    for nb in notebooks:
        text = nb.read_text(encoding="utf-8")
        assert len(text.encode()) < 2_000_000, nb
        assert HIDDEN_MARKER not in text and "BEGIN HIDDEN TESTS" not in text, nb
        assert "FUGA_DE_SOLUCIONES" not in text, f"{nb}: the project's solutions were readable"


def test_flag_reasons_are_in_the_review_list(corpus):
    from course.grading.review import read_review

    rows = {r["estudiante"]: r for r in read_review(corpus["course"]) if r["tarea"] == A01}
    assert "transformadores de entrada" in rows["transformador_de_entrada"]["motivo"]
    assert "sqlite3" in rows["sqlite_gradebook"]["motivo"]
    assert "control_1" not in rows


def test_review_command_lists_and_approves(corpus, tmp_path):
    """``course review a01`` lists the held submissions; ``--aprobar`` releases one."""
    from course.grading.report import export_grades
    from course.grading.review import read_review

    course = corpus["course"]

    def review(*extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "course.cli", "review", "a01", *extra],
            cwd=course,
            capture_output=True,
            text=True,
            timeout=120,
        )

    listed = review()
    assert listed.returncode == 0, listed.stderr
    assert "sqlite_gradebook: ⏸ pendiente" in listed.stdout
    unknown = review("--aprobar", "nadie")
    assert unknown.returncode == 1 and "no está en la lista de revisión" in unknown.stderr
    approved = review("--aprobar", "sqlite_gradebook")
    assert approved.returncode == 0, approved.stderr
    assert "aprobada" in approved.stdout
    rows = [r for r in read_review(course) if r["estudiante"] == "sqlite_gradebook"]
    assert rows and all(r["estado"] == "aprobada" for r in rows)
    import csv

    path = export_grades(course, tmp_path / "notas.csv")
    with path.open(encoding="utf-8") as fh:
        exported = {r["estudiante"]: r[A01] for r in csv.DictReader(fh)}
    assert exported["sqlite_gradebook"] != ""


@pytest.mark.parametrize("case", TOY_CASES, ids=lambda c: c[0])
def test_partial_credit_is_parsed_strictly(corpus, case):
    name, _body, expected, _flag = case
    result = _by_student(corpus["toy"])[name]
    assert result.score == pytest.approx(expected), [(c.score, c.reason) for c in result.cells]
    assert isinstance(result.cells[0].score, float)


def test_regrade_is_identical_and_resubmission_recomputes(corpus):
    from course.grading import autograde
    from course.grading.nbgrader_api import gradebook

    course = corpus["course"]
    first = {c.grade_id: c.score for c in _by_student(corpus["run"])["control_2"].cells}
    again = autograde.grade_assignment(
        course, A01, students=["control_2", "etiqueta_skip_execution"], jobs=2, progress=False
    )
    second = {c.grade_id: c.score for c in _by_student(again)["control_2"].cells}
    assert first == second
    # A resubmission: control_2 now breaks ej3; every score is recomputed (CLI, exit 0).
    path = course / "submitted" / "control_2" / A01 / f"{A01}.ipynb"
    nb = nbformat.read(path, as_version=4)
    _cell(nb, "ej3_sigmoide").source = "def sigmoide(z):\n    return z"
    nbformat.write(nb, path)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "course.cli",
            "grade",
            "a01",
            "--student",
            "control_2",
            "--jobs",
            "1",
            "--sin-informe",
        ],
        cwd=course,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    with gradebook(course) as gb:
        sub = gb.find_submission(A01, "control_2")
        scores = {g.name: g.score for nb_ in sub.notebooks for g in nb_.grades}
    assert scores["test_ej3"] == 0
    assert scores["test_ej1"] == 1
    assert json.dumps(sorted(scores)) == json.dumps(sorted(first))


def test_static_scan_flags_tampering_and_not_honest_code():
    from course.grading.review import scan_source

    hostile = {
        "class T(float):\n    def __eq__(self, o):\n        return True": "comparación",
        "get_ipython().input_transformers_cleanup.append(f)": "transformadores",
        "import sys\nsys.displayhook = print": "displayhook",
        "a01.ej1.check = lambda *a: None": "a01",
        "import sqlite3": "sqlite3",
        "open('../../x')": "..",
        "exec('1')": "exec",
    }
    for code, word in hostile.items():
        reasons = " ".join(f.reason for f in scan_source(code, protected={"a01"}))
        assert word in reasons, (code, reasons)
    honest = "import numpy as np\n\ndef capa(x, W, b, f):\n    return f(W @ x + b)\nh = capa(x, W, b, np.tanh)"
    assert scan_source(honest, protected={"a01"}) == []


# --------------------------------------------------------------------------- the grader is out of reach


def _outputs_text(course: Path, student: str) -> str:
    """Every output (never the sources) of a student's autograded notebook, as text."""
    texts = []
    for path in (course / "autograded" / student).rglob("*.ipynb"):
        nb = json.loads(path.read_text(encoding="utf-8"))
        for cell in nb.get("cells", []):
            texts.append(json.dumps(cell.get("outputs", []), ensure_ascii=False))
    return "\n".join(texts)


@pytest.mark.parametrize(
    ("name", "words"),
    [("json_muy_anidado", "anida sus datos"), ("expresion_muy_anidada", "encadena más de")],
)
def test_a_notebook_that_would_crash_the_parser_is_not_graded_alone(corpus, name, words):
    """Deep JSON or a 50,000-term expression: that student is NO CORREGIDA, the batch goes on."""
    from course.grading.autograde import student_line

    result = _by_student(corpus["run"])[name]
    assert result.status == "error" and result.score == 0
    assert words in result.reason, result.reason
    assert "no corregida" in student_line(result)
    assert all(c.score == 0 and c.reason for c in result.cells)


def test_a_fifo_record_is_refused_at_once(corpus):
    """An answer file that is a FIFO is never opened for reading: 0 and held, not waited on."""
    result = _by_student(corpus["run"])["registro_fifo"]
    assert result.verdicts.get("test_ej1") == "unconfirmable", result.verdicts
    cell = {c.grade_id: c for c in result.cells}["test_ej1"]
    assert cell.score == 0 and "vuelve a entregarlo" in cell.reason
    assert "no respondió" not in cell.reason and "no respondió" not in " ".join(result.flags)
    assert result.review == "pendiente"


@pytest.mark.parametrize(
    "name", ["enlace_al_cuaderno_fuente", "enlace_al_gradebook", "enlace_fuera_del_curso"]
)
def test_links_planted_by_the_kernel_are_never_followed(corpus, name):
    """The source notebook, the gradebook and a file outside the course stay intact."""
    assert corpus["before"]["source"] == corpus["after"]["source"]
    assert corpus["before"]["marker"] == corpus["after"]["marker"]
    assert corpus["outside_writes"] == []
    result = _by_student(corpus["run"])[name]
    assert result.ok and result.score == MAX_A01, [(c.grade_id, c.reason) for c in result.cells]
    from course.grading.nbgrader_api import gradebook

    with gradebook(corpus["course"]) as gb:  # still a database, every student in it
        assert len(gb.find_assignment(A01).submissions) == len(CASES)


def test_dev_sys_and_cgroups_are_not_writable(corpus):
    for path in ("/dev/shm/course_fuga", "/dev/course_fuga", "/sys/fs/cgroup/course_fuga"):
        assert not Path(path).exists(), path
    text = _outputs_text(corpus["course"], "escribe_en_dev_sys_cgroup")
    # The kernel's own /dev/shm is a private, capped tmpfs: writing there is allowed.
    written = [line for line in text.split("ESCRITO ")[1:] if not line.startswith("/dev/shm/")]
    assert text and not written, text[:2000]


def test_secrets_and_other_folders_never_reach_the_kernel(corpus):
    """Instructor's environment, .git, package source, sibling courses, reports: all absent."""
    course = corpus["course"]
    for name in ("variable_del_instructor", "lee_git_y_paquete", "lee_otros_cursos_e_informes"):
        text = _outputs_text(course, name)
        assert text, name
        for secret in (
            INSTRUCTOR_SECRET[1],
            "FUGA_PROYECTO",
            "SECRETO_DE_OTRO_CURSO",
            "SECRETO_INFORME",
            "BEGIN HIDDEN",
            str(course),  # not even the course folder's name (e.g. through /proc/*/cmdline)
        ):
            assert secret not in text, (name, secret)


def test_the_writable_area_is_capped(corpus):
    import re

    text = _outputs_text(corpus["course"], "llena_home")
    written = [int(n) for n in re.findall(r"HOME_MB (\d+)", text)]
    assert written and written[0] <= LIMITS.writable_mb, text[-500:]


@pytest.mark.skipif(not _tree_limits_active(), reason="sin cgroups: el caso no se ejecuta")
def test_children_of_a_kernel_share_its_memory_limit(corpus):
    result = _by_student(corpus["run"])["tres_hijos_de_3_GiB"]
    assert "HIJOS_COMPLETOS 3" not in _outputs_text(corpus["course"], result.student)
    assert {c.grade_id: c.score for c in result.cells}["test_ej1"] == 1


def test_hidden_tests_never_leave_through_the_history(corpus):
    """``In``/``_ih``/``Out``, the history manager, linecache: never in the feedback, held."""
    import codecs
    import re

    result = _by_student(corpus["run"])["historial_de_entradas"]
    course = corpus["course"]
    for path in (course / "autograded").rglob("*.ipynb"):
        text = path.read_text(encoding="utf-8")
        views = [text, codecs.encode(text, "rot13"), text[::-1]]
        for payload in re.findall(r"B64:([A-Za-z0-9+/]+=*)", text):
            padded = payload[: len(payload) - len(payload) % 4] if "=" not in payload else payload
            views.append(base64.b64decode(padded).decode("utf-8", "replace"))
        for view in views:
            assert HIDDEN_MARKER not in view and "BEGIN HIDDEN TESTS" not in view, path
    # The attack did run and read the history (its own cells, ROT13-encoded)...
    seen = _outputs_text(course, "historial_de_entradas")
    assert codecs.encode("def suma_ponderada", "rot13") in seen, seen[:1000]
    # ...yet no hidden test came out; had one come out, it was withdrawn and held.
    if any("pruebas ocultas" in f for f in result.flags):
        assert result.review == "pendiente"
