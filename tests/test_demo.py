"""`course demo`, the README's main job, run as a user runs it (offline, new folder)."""

from __future__ import annotations

import csv
import subprocess
import sys

import pytest

from course.grading.workflow import MOODLE_STUDENT

pytestmark = [pytest.mark.grading, pytest.mark.slow]


def test_demo_runs_the_whole_instructor_workflow_on_a_simulated_class(tmp_path):
    folder = tmp_path / "curso_demo"
    result = subprocess.run(
        [sys.executable, "-m", "course.cli", "demo", "--carpeta", str(folder)],
        capture_output=True,
        text=True,
        timeout=900,
        cwd=tmp_path,
    )
    out = result.stdout
    assert result.returncode == 0, out[-3000:] + result.stderr[-3000:]
    for assignment in ("a01_perceptron", "a03_keras_xor"):
        assert f"Versión del alumnado de {assignment}" in out
        assert f"Notas de {assignment}" in out
        assert (folder / "release" / assignment).is_dir()
        assert (folder / "informes" / f"{assignment}_histograma.png").stat().st_size > 5000
        feedback = sorted((folder / "feedback").glob(f"*/{assignment}/*.html"))
        assert feedback, f"sin retroalimentación para {assignment}"
        assert all("BEGIN HIDDEN TESTS" not in f.read_text(encoding="utf-8") for f in feedback)
        with (folder / "informes" / f"{assignment}_notas.csv").open(encoding="utf-8") as fh:
            rows = {r["estudiante"]: r for r in csv.DictReader(fh)}
        assert float(rows["ana"]["nota"]) == float(rows["ana"]["nota_maxima"]) > 0
        assert float(rows["bruno"]["nota"]) == 0.0
        assert rows["bruno"]["estado"] == "corregida"
        crashed = [s for s, r in rows.items() if r["estado"] == "no_corregida"]
        assert len(crashed) == 1, rows
        mistakes = [
            s
            for s, r in rows.items()
            if s not in ("ana", "bruno", MOODLE_STUDENT) and r["estado"] == "corregida"
        ]
        assert len(mistakes) >= 3
        for student in mistakes:
            assert 0 < float(rows[student]["nota"]) < float(rows[student]["nota_maxima"]), student
    assert "dañado" in out and "Entregas que no se pudieron corregir" in out
    # a01 also gets the submissions that arrive from Moodle in practice: each is graded
    # or reported, in one table at the end of grading, and none is a silent 0.
    with (folder / "informes" / "a01_perceptron_notas.csv").open(encoding="utf-8") as fh:
        a01 = {r["estudiante"]: r for r in csv.DictReader(fh)}
    assert a01[MOODLE_STUDENT]["estado"] == "corregida"
    assert float(a01[MOODLE_STUDENT]["nota"]) == float(a01["ana"]["nota"])
    assert a01["hugo"]["estado"] == "retenida" and "(1).ipynb" in a01["hugo"]["motivo"]
    assert float(a01["hugo"]["nota"]) == float(a01["ana"]["nota"])
    assert a01["ines"]["estado"] == "retenida" and "otra tarea" in a01["ines"]["motivo"]
    assert a01["juan"]["estado"] == "sin_entrega"
    assert "Entregas que requieren su atención" in out
    # Every test cell that passed in a student's kernel ran again in full (hidden
    # tests included) in the trusted process; no honest submission was refuted.
    summaries = [
        line for line in out.splitlines() if "Pruebas completas fuera del cuaderno" in line
    ]
    assert len(summaries) == 2 and all("0 refutadas" in line for line in summaries), summaries
    with (folder / "informes" / "moodle.csv").open(encoding="utf-8") as fh:
        moodle = list(csv.DictReader(fh))
    assert {"username", "a01_perceptron", "a03_keras_xor"} <= set(moodle[0])
    grades = {r["username"]: r for r in moodle}
    assert grades["ana"]["a01_perceptron"] == "10.00"  # exported on a 0-10 scale
    assert grades["hugo"]["a01_perceptron"] == grades["juan"]["a01_perceptron"] == ""
    assert "nota(s) en blanco" in out
    assert len(moodle) == len({r["username"] for r in moodle}) >= 6
    assert "Demostración terminada" in out
    # a03 arrived as Moodle hands it over (zip + worksheet) and goes back the same way.
    assert "Recogida desde Moodle de a03_keras_xor" in out
    assert "1 día de retraso" in out and "penalización del 10 % al exportar" in out
    sheet = folder / "informes" / "a03_keras_xor_hoja_moodle.csv"
    with sheet.open(encoding="utf-8-sig") as fh:
        worksheet = {r["Dirección de correo"].split("@")[0]: r for r in csv.DictReader(fh)}
    assert worksheet["ana"]["Calificación"] == "10,00"
    assert "1 día de retraso" in worksheet["carla"]["Comentarios de retroalimentación"]
    crashed_a03 = [s for s, r in worksheet.items() if r["Calificación"] == ""]
    assert (
        len(crashed_a03) == 1
        and "No se pudo corregir" in (worksheet[crashed_a03[0]]["Comentarios de retroalimentación"])
    )
    import zipfile

    with zipfile.ZipFile(folder / "informes" / "a03_keras_xor_retroalimentacion_moodle.zip") as z:
        folders = {n.split("/")[0] for n in z.namelist()}
    assert "Ana García López_4100_assignsubmission_file_" in folders
    assert len(folders) == len(worksheet) - 1  # every graded student, not the damaged one
    # What the class got wrong (issue 17): per exercise the most frequent mistakes with
    # count and %, named by the trusted process; a heat map, the item statistics, a CSV.
    assert out.count("Errores más frecuentes por ejercicio") == 2
    assert "olvida el sesgo  [a01.ej1.sin_sesgo]" in out
    assert "z > 0 en lugar de z >= 0  [a01.ej2.umbral_estricto]" in out
    assert "cuenta solo los pesos, sin sesgos  [a03.ej2.sin_sesgos]" in out
    assert out.count("Estadística de ítems (dificultad") == 2 and "Discriminación" in out
    for assignment in ("a01_perceptron", "a03_keras_xor"):
        for name in ("mapa_errores.png", "items.png"):
            assert (folder / "informes" / f"{assignment}_{name}").stat().st_size > 5000
    with (folder / "informes" / "a01_perceptron_errores.csv").open(encoding="utf-8") as fh:
        outcome = {(r["estudiante"], r["celda"]): r["resultado"] for r in csv.DictReader(fh)}
    assert outcome[("bruno", "test_ej1")] == "sin_responder"
    assert outcome[("ana", "test_ej7")] == "correcto"
    assert not any(student == "gloria" for student, _cell in outcome)  # not graded
