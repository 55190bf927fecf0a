"""Test cells checked in the trusted process (course.grading.hidden_tests).

The kernel runs test cells scrubbed of their hidden regions; the trusted process
runs them in full on answers handed out as plain data. Here both ends run in
this process: "the kernel" is a namespace behind :mod:`course.grading.answers`,
reached through the same export/call requests and files as in grading.
"""

from __future__ import annotations

import nbformat
import numpy as np
import pytest

from course.grading import answers
from course.grading.hidden_tests import (
    CONFIRMED,
    FAILED,
    NO_CHECKS,
    REFUTED,
    UNCONFIRMABLE,
    KernelBridge,
    answer_names,
    check_cell,
    has_hidden_tests,
    scrub_hidden_tests,
    split_hidden_tests,
)

CELL = (
    "# Prueba\n"
    "a01.ej1.check(suma_ponderada)\n"
    "### BEGIN HIDDEN TESTS\n"
    "a01.ej1.check(suma_ponderada, extra_inputs=[(np.array([1.0, 2.0]), np.array([3.0, -4.0]), 0.5)])\n"
    "### END HIDDEN TESTS\n"
)


# --------------------------------------------------------------------------- scrubbing
def test_scrub_removes_every_hidden_region_and_nothing_else():
    source = (
        "a.check(x)\n"
        "### BEGIN HIDDEN TESTS\n"
        "a.check(x, key='b')\n"
        "### END HIDDEN TESTS\n"
        "print('visible')\n"
        "    ### BEGIN HIDDEN TESTS\n"
        "secreto = 42\n"
        "    ### END HIDDEN TESTS\n"
    )
    scrubbed = scrub_hidden_tests(source)
    assert "key=" not in scrubbed and "secreto" not in scrubbed and "HIDDEN" not in scrubbed
    assert "a.check(x)" in scrubbed and "print('visible')" in scrubbed
    assert scrub_hidden_tests("a.check(x)") == "a.check(x)"
    assert has_hidden_tests(source) and not has_hidden_tests(scrubbed)


def test_an_unclosed_hidden_region_is_hidden_to_the_end():
    source = "a.check(x)\n### BEGIN HIDDEN TESTS\na.check(x, key=1)\nmas = 2\n"
    assert scrub_hidden_tests(source) == "a.check(x)"
    visible, hidden = split_hidden_tests(source)
    assert "key=1" in hidden and "mas = 2" in hidden and "key" not in visible


def test_split_keeps_line_numbers():
    visible, hidden = split_hidden_tests(CELL)
    assert visible.splitlines()[1] == "a01.ej1.check(suma_ponderada)"
    assert hidden.splitlines()[3].startswith("a01.ej1.check(suma_ponderada, extra_inputs")
    assert len(visible.splitlines()) <= 5 and len(hidden.splitlines()) <= 5


def test_answer_names_are_the_checked_variables_and_unknown_names():
    source = (
        'ej1.check_names("modelo_iris", y=y_entreno_iris)\n'
        "_flores = np.array([1.0])\n"
        "a01.ej7.check(predecir, w_xor, key='b')\n"
        "print(x_val)\n"
    )
    known = {"ej1": 1, "np": np, "a01": 1, "y_entreno_iris": 1}
    assert answer_names(source, known) == ["modelo_iris", "predecir", "w_xor", "x_val"]


# --------------------------------------------------------------------------- the trusted check
class _InProcess(KernelBridge):
    """The bridge, with "the kernel" a namespace of this process."""

    def __init__(self, tmp_path, namespace, monkeypatch):
        super().__init__(None, None, tmp_path)
        monkeypatch.setattr(answers, "_namespace", lambda: namespace)
        self.requests: list[str] = []

    def _ask(self, message):
        self.requests.append(message["op"])
        out = self._scratch / f"respuesta-{len(self.requests)}"
        if message["op"] == "export":
            answers.export(message["names"], str(out))
        else:
            answers.call(message["name"], message["payload"], str(out))
        return out


def _source(tmp_path, cells: dict[str, str]):
    nb = nbformat.v4.new_notebook()
    setup = nbformat.v4.new_code_cell("import numpy as np\nfrom course.assignments import a01\n")
    setup.metadata["nbgrader"] = {"locked": True, "grade_id": "setup", "solution": False}
    nb.cells.append(setup)
    for gid, source in cells.items():
        cell = nbformat.v4.new_code_cell(source)
        cell.metadata["nbgrader"] = {"grade": True, "grade_id": gid, "points": 1, "solution": False}
        nb.cells.append(cell)
    path = tmp_path / "fuente" / "tarea.ipynb"
    path.parent.mkdir()
    nbformat.write(nb, path)
    return path


def _source_again(tmp_path, cells: dict[str, str]):
    path = tmp_path / "fuente" / "tarea.ipynb"
    path.unlink()
    path.parent.rmdir()
    return _source(tmp_path, cells)


def _right(x, w, b):
    return np.dot(w, x) + b


def _only_visible(x, w, b):
    """Right on the visible inputs, wrong on anything with a negative weight."""
    return np.dot(w, x) + b if np.all(np.asarray(w) >= 0) or len(x) == 3 else 0.0


@pytest.mark.parametrize(
    ("answer", "status"),
    [(_right, CONFIRMED), (_only_visible, FAILED), (lambda x, w, b: np.dot(w, x), REFUTED)],
)
def test_functions_are_called_in_the_kernel_with_the_hidden_inputs(
    tmp_path, monkeypatch, answer, status
):
    bridge = _InProcess(tmp_path, {"suma_ponderada": answer}, monkeypatch)
    verdict = check_cell(_source(tmp_path, {"test_ej1": CELL}), "test_ej1", bridge)
    assert verdict.status == status, verdict
    assert bridge.requests[0] == "export" and "call" in bridge.requests
    if status != CONFIRMED:
        assert "suma_ponderada" in verdict.message


def test_the_key_is_checked_outside_and_its_message_kept(tmp_path, monkeypatch):
    cell = (
        "a01.ej7.check(predecir, w_xor, b_xor, aciertos_xor, respuesta_xor)\n"
        "### BEGIN HIDDEN TESTS\n"
        'a01.ej7.check(predecir, w_xor, b_xor, aciertos_xor, respuesta_xor, key="b")\n'
        "### END HIDDEN TESTS\n"
    )
    student = {
        "predecir": lambda X, w, b: np.where(X @ w + b >= 0, 1.0, 0.0),
        "w_xor": np.array([0.1, -0.1]),
        "b_xor": 0.0,
        "aciertos_xor": 1,
        "respuesta_xor": "a",
    }
    bridge = _InProcess(tmp_path, student, monkeypatch)
    verdict = check_cell(_source(tmp_path, {"test_ej7": cell}), "test_ej7", bridge)
    assert verdict.status == FAILED and "respuesta_xor" in verdict.message
    student["respuesta_xor"] = "b"
    verdict = check_cell(_source_again(tmp_path, {"test_ej7": cell}), "test_ej7", bridge)
    assert verdict.status == CONFIRMED, verdict


def test_a_stub_or_a_missing_answer_is_not_attempted_outside(tmp_path, monkeypatch):
    def suma_ponderada(x, w, b):
        raise NotImplementedError

    bridge = _InProcess(tmp_path, {"suma_ponderada": suma_ponderada}, monkeypatch)
    verdict = check_cell(_source(tmp_path, {"test_ej1": CELL}), "test_ej1", bridge)
    assert verdict.status == REFUTED and "Sin responder" in verdict.message
    (tmp_path / "otra").mkdir()
    bridge = _InProcess(tmp_path / "otra", {}, monkeypatch)
    verdict = check_cell(_source_again(tmp_path, {"test_ej1": CELL}), "test_ej1", bridge)
    assert verdict.status == UNCONFIRMABLE and "suma_ponderada" in verdict.message


def test_an_answer_of_the_students_own_class_cannot_pass(tmp_path, monkeypatch):
    class Todo(float):
        def __eq__(self, other):
            return True

        __hash__ = float.__hash__

    cell = "a01.ej7.check(predecir, w_xor, b_xor, aciertos_xor, respuesta_xor)\n"
    student = {
        "predecir": lambda X, w, b: np.zeros(4),
        "w_xor": np.zeros(2),
        "b_xor": 0.0,
        "aciertos_xor": Todo(2.0),
        "respuesta_xor": "b",
    }
    bridge = _InProcess(tmp_path, student, monkeypatch)
    verdict = check_cell(_source(tmp_path, {"test_ej7": cell}), "test_ej7", bridge)
    assert verdict.status == REFUTED, verdict


def test_cells_without_course_checks_and_broken_requests(tmp_path, monkeypatch):
    bridge = _InProcess(tmp_path, {"x": 1}, monkeypatch)
    source = _source(tmp_path, {"parcial": "x + 1\n", "roto": "a01.ej1.check(no_existe)\n"})
    assert check_cell(source, "parcial", bridge).status == NO_CHECKS
    assert check_cell(source, "roto", bridge).status == UNCONFIRMABLE
    assert check_cell(source, "otra", bridge).status == UNCONFIRMABLE


def test_a_failed_plain_assert_is_a_wrong_answer_not_an_unconfirmable_cell(tmp_path, monkeypatch):
    """A hidden `assert` that does not hold fails the cell with its own message (as nbgrader
    does); it is not "could not be completed", which holds the submission for review."""
    cell = (
        "assert x > 0, 'x debe ser positivo'\n"
        "### BEGIN HIDDEN TESTS\n"
        "assert x == 2, 'x debería ser 2'\n"
        "### END HIDDEN TESTS\n"
    )
    bridge = _InProcess(tmp_path, {"x": 1}, monkeypatch)
    verdict = check_cell(_source(tmp_path, {"test_x": cell}), "test_x", bridge)
    assert verdict.status == FAILED and "x debería ser 2" in verdict.message, verdict
    # The visible assert passed in the kernel: failing it here is a refuted result.
    (tmp_path / "otra").mkdir()
    bridge = _InProcess(tmp_path / "otra", {"x": -1}, monkeypatch)
    verdict = check_cell(_source_again(tmp_path, {"test_x": cell}), "test_x", bridge)
    assert verdict.status == REFUTED and "x debe ser positivo" in verdict.message, verdict


def test_a_numpy_function_argument_travels_by_name_and_others_are_refused(tmp_path, monkeypatch):
    seen = []

    def neurona(x, w, b, activacion):
        seen.append(activacion)
        return activacion(np.dot(w, x) + b)

    bridge = _InProcess(tmp_path, {"neurona": neurona}, monkeypatch)
    proxy = bridge.proxy("neurona")
    assert proxy(np.array([1.0]), np.array([2.0]), 0.5, np.tanh) == pytest.approx(np.tanh(2.5))
    assert seen == [np.tanh]
    with pytest.raises(Exception, match="no se puede enviar"):
        proxy(np.array([1.0]), np.array([2.0]), 0.5, lambda z: z)


def test_a_mistake_only_the_full_visible_check_finds_is_not_held(tmp_path, monkeypatch):
    """The kernel's visible check knows only its inputs' outputs (no references there).

    A strict step (0 at z = 0) passes those, fails the full check's edge cases
    here: an honest mistake (failed, 0 points), not a tampered kernel (refuted).
    """
    cell = "a01.ej2.check(escalon)\n"
    bridge = _InProcess(tmp_path, {"escalon": lambda z: np.where(z > 0, 1.0, 0.0)}, monkeypatch)
    verdict = check_cell(_source(tmp_path, {"test_ej2": cell}), "test_ej2", bridge)
    assert verdict.status == FAILED, verdict
    assert verdict.html and "escalon" in verdict.plain


@pytest.mark.parametrize(
    ("status", "score", "held"),
    [(CONFIRMED, 2.0, False), (NO_CHECKS, 2.0, False), (FAILED, 0.0, False), (REFUTED, 0.0, True)],
)
def test_the_verdict_written_into_the_cell_is_what_scoring_reads(status, score, held):
    from course.grading.safe_execute import apply_verdict
    from course.grading.scoring import STATUS_KEY, TrustedCell, score_cell

    cell = nbformat.v4.new_code_cell("a01.ej1.check(suma_ponderada)")
    cell.metadata[STATUS_KEY] = {"status": "ok"}
    cell.outputs = [nbformat.v4.new_output("display_data", data={"text/plain": "✔ Correcto"})]
    apply_verdict(cell, status, "la suma no incluye el sesgo", "<div>✘</div>", "✘ Incorrecto")
    trusted = TrustedCell("tarea", "test_ej1", 2.0, "code", solution=False, locked=True)
    scored = score_cell(cell, trusted)
    assert cell.metadata[STATUS_KEY]["trusted"] == status
    assert scored.score == score
    if score == 0:
        assert "la suma no incluye el sesgo" in scored.reason
        assert ("vuelve a entregarlo" in scored.reason) == held
        boxes = [o for o in cell.outputs if o.output_type == "display_data"]
        assert len(boxes) == (1 if held else 2)


def test_a_file_a_path_answer_names_is_placed_where_the_cell_runs(tmp_path, monkeypatch):
    """a05: the checkpoint's weights file lives in the kernel's (private) working folder."""
    kernel_dir = tmp_path / "cuaderno"
    kernel_dir.mkdir()
    (kernel_dir / "mejor.weights.h5").write_bytes(b"pesos")
    monkeypatch.chdir(kernel_dir)
    work = tmp_path / "trabajo"
    work.mkdir()
    bridge = _InProcess(tmp_path, {"ruta": "mejor.weights.h5", "fuera": "../x"}, monkeypatch)
    bridge.work = work
    values = bridge.export(["ruta", "fuera"])
    assert values == {"ruta": "mejor.weights.h5", "fuera": "../x"}
    assert (work / "mejor.weights.h5").read_bytes() == b"pesos"
    assert sorted(p.name for p in work.iterdir()) == ["mejor.weights.h5"]


# --------------------------------------------------------------------------- a full disk
@pytest.mark.parametrize(
    ("grade_id", "cell", "student"),
    [
        # the function's result cannot be written out (call request)
        ("test_ej1", CELL, {"suma_ponderada": _right}),
        # the answers themselves cannot be written out (export request)
        (
            "test_ej7",
            "a01.ej7.check(predecir, w_xor, b_xor, aciertos_xor, respuesta_xor)\n",
            {
                "predecir": lambda X, w, b: np.where(X @ w + b >= 0, 1.0, 0.0),
                "w_xor": np.array([0.1, -0.1]),
                "b_xor": 0.0,
                "aciertos_xor": 1,
                "respuesta_xor": "b",
            },
        ),
    ],
)
def test_a_notebook_that_filled_its_disk_is_told_so(tmp_path, monkeypatch, grade_id, cell, student):
    """On main the answer arrived as an opaque value and the reason blamed the check
    ("la comprobación visible, repetida fuera de tu cuaderno, no se superó")."""
    import errno

    from course.grading.hidden_tests import DISK_FULL
    from course.grading.safe_execute import apply_verdict
    from course.grading.scoring import STATUS_KEY, TrustedCell, score_cell

    real = answers.describe

    def describe(value, folder, name=""):
        if callable(value):
            return real(value, folder, name)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(answers, "describe", describe)
    bridge = _InProcess(tmp_path, student, monkeypatch)
    verdict = check_cell(_source(tmp_path, {grade_id: cell}), grade_id, bridge)
    assert verdict.status == UNCONFIRMABLE and verdict.message == DISK_FULL, verdict
    notebook_cell = nbformat.v4.new_code_cell(cell)
    notebook_cell.metadata[STATUS_KEY] = {"status": "ok"}
    apply_verdict(notebook_cell, verdict.status, verdict.message)
    scored = score_cell(notebook_cell, TrustedCell("tarea", grade_id, 2.0, "code", False, True))
    assert scored.score == 0
    assert "llenó el espacio de disco" in scored.reason and "vuelve a entregarlo" in scored.reason
    assert "repetida fuera" not in scored.reason and "alterar" not in scored.reason


def test_a_request_the_kernel_could_not_write_for_lack_of_space_is_a_full_disk(tmp_path):
    from course.grading.hidden_tests import DiskFull

    class _Reply:
        def __init__(self, line):
            self.line = line

        def readline(self):
            return self.line

    class _Sink:
        def write(self, _text):
            pass

        def flush(self):
            pass

    error = '{"error": "OSError: [Errno 28] No space left on device"}\n'
    bridge = KernelBridge(_Reply(error), _Sink(), tmp_path)
    with pytest.raises(DiskFull):
        bridge.export(["x"])
    bridge = KernelBridge(_Reply('{"error": "NameError: x"}\n'), _Sink(), tmp_path)
    with pytest.raises(Exception, match="NameError"):
        bridge.export(["x"])
