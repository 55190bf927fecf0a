"""What students and instructors see in JupyterLab, driven in headless Chromium.

A JupyterLab server is started the way ``course lab`` starts it (same command line
and settings: Spanish interface, nbgrader's extensions) on a free port with a
random token, a private settings folder and a temporary course folder holding
lecture notebook 01, assignment a01 (source and released version) and its
gradebook. Playwright drives Debian's Chromium (``playwright install`` cannot
download a browser here); without Chromium the tests are skipped with the reason.

Every step saves a screenshot in the test's temporary folder
(``COURSE_SCREENSHOTS=/some/dir`` keeps them somewhere stable).
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PROJECT_ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_01 = "01_neurona_y_perceptron.ipynb"
ASSIGNMENT = "a01_perceptron"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 120_000


def find_chromium() -> str | None:
    """Debian's Chromium (or another Chrome) on PATH, or ``$COURSE_CHROMIUM``."""
    explicit = os.environ.get("COURSE_CHROMIUM")
    if explicit and Path(explicit).is_file():
        return explicit
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    return None


@pytest.fixture(scope="module")
def chromium_path() -> str:
    path = find_chromium()
    if path is None:
        pytest.skip(
            "No se encontró Chromium: instálelo con «apt-get install chromium» (lo hace .ci/run)"
        )
    pytest.importorskip(
        "playwright.sync_api", reason="falta el paquete playwright (pip install -e '.[test]')"
    )
    return path


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = Path(os.environ.get("COURSE_SCREENSHOTS") or tmp_path_factory.mktemp("capturas"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def lab_course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A course folder: notebook 01, a01's source and released version, a gradebook."""
    from course.grading.workflow import generate

    root = tmp_path_factory.mktemp("curso_lab")
    shutil.copy2(PROJECT_ROOT / "nbgrader_config.py", root / "nbgrader_config.py")
    shutil.copytree(
        PROJECT_ROOT / "source_assignments" / ASSIGNMENT, root / "source_assignments" / ASSIGNMENT
    )
    (root / "notebooks").mkdir()
    shutil.copy2(PROJECT_ROOT / "notebooks" / NOTEBOOK_01, root / "notebooks" / NOTEBOOK_01)
    generate(root, ASSIGNMENT)
    return root


def _get(url: str, timeout: float = 2.0) -> int:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return int(response.status)


@pytest.fixture(scope="module")
def lab_server(lab_course: Path, tmp_path_factory: pytest.TempPathFactory):
    """JupyterLab as ``course lab`` starts it; shut down through the REST API afterwards."""
    import psutil

    from course.lab import free_port, lab_command, prepare_lab_settings

    prepare_lab_settings()
    private = tmp_path_factory.mktemp("jupyter_privado")
    port, token = free_port(), secrets.token_hex(16)
    env = dict(os.environ)
    env.update(
        JUPYTER_RUNTIME_DIR=str(private / "runtime"),
        TF_CPP_MIN_LOG_LEVEL="3",
        TF_ENABLE_ONEDNN_OPTS="0",
        MPLBACKEND="module://matplotlib_inline.backend_inline",
    )
    env.pop("COURSE_PLAYGROUND_STATIC", None)  # a browser is here: the playground is live
    cmd = lab_command(
        lab_course, port=port, token=token, open_browser=False, settings_dir=private / "settings"
    )
    log = (private / "servidor.log").open("w")
    proc = subprocess.Popen(cmd, cwd=lab_course, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            if _get(f"{base}/api/status?token={token}") == 200:
                break
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail("JupyterLab no arrancó:\n" + (private / "servidor.log").read_text()[-3000:])
        time.sleep(0.5)
    yield base, token
    family = psutil.Process(proc.pid).children(recursive=True)
    request = urllib.request.Request(f"{base}/api/shutdown?token={token}", method="POST")
    urllib.request.urlopen(request, timeout=30).close()
    proc.wait(timeout=60)
    log.close()
    gone, alive = psutil.wait_procs(family, timeout=30)
    for leftover in alive:
        leftover.kill()
    assert proc.returncode == 0, "el servidor no terminó limpiamente"
    assert not alive, f"procesos que quedaron vivos tras apagar el servidor: {alive}"


@pytest.fixture(scope="module")
def browser(chromium_path: str):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser, lab_server):
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    context = browser.new_context(viewport={"width": 1400, "height": 950}, locale="es-ES")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


def open_notebook(page, lab_server, path: str) -> None:
    base, token = lab_server
    workspace = secrets.token_hex(4)  # a fresh workspace: only this document is open
    page.goto(f"{base}/lab/workspaces/{workspace}/tree/{path}?token={token}&reset")
    wait_kernel_idle(page)


def wait_kernel_idle(page, timeout_ms: int = TIMEOUT_MS) -> None:
    """Wait for the status bar to read "(ipykernel) | Idle" (the toolbar says idle too early)."""
    page.wait_for_function(
        "() => { const s = document.querySelector('#jp-main-statusbar');"
        " return s && /\\(ipykernel\\) \\| (Idle|Inactivo)/.test(s.innerText); }",
        timeout=timeout_ms,
    )


def wait_all_executed(page, timeout_ms: int = 300_000) -> None:
    """Wait until no cell shows the busy prompt ``[*]`` and the kernel is idle."""
    page.wait_for_function(
        "() => { const p = [...document.querySelectorAll('.jp-InputPrompt')];"
        " const s = document.querySelector('#jp-main-statusbar');"
        " return p.length > 0 && !p.some(e => e.innerText.includes('*'))"
        " && s && /\\| (Idle|Inactivo)/.test(s.innerText); }",
        timeout=timeout_ms,
    )


def menu(page, top: str, item: str | re.Pattern[str]) -> None:
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(rf"^{top}$")).click()
    page.locator(".lm-Menu-item:visible .lm-Menu-itemLabel", has_text=item).first.click()


def run_in_new_cell(page, code: str) -> None:
    """Add a cell below the last one, type ``code`` into its editor and run it."""
    page.locator(".jp-Notebook .jp-Cell").last.click()
    page.keyboard.press("Escape")
    page.keyboard.press("b")
    editor = page.locator(".jp-Notebook .jp-Cell").last.locator(".cm-content")
    editor.click()
    page.keyboard.insert_text(code)
    page.keyboard.press("Shift+Enter")
    wait_all_executed(page)


def test_student_runs_lecture_notebook_01_and_sees_plots_feedback_and_explanations(
    page, lab_server, shots
):
    from playwright.sync_api import expect

    start = time.monotonic()
    open_notebook(page, lab_server, f"notebooks/{NOTEBOOK_01}")
    page.screenshot(path=str(shots / "01_cuaderno_abierto.png"))

    menu(page, "Run", re.compile(r"^(Ejecutar todas las celdas|Run All Cells)$"))
    page.wait_for_timeout(1500)
    wait_all_executed(page)
    page.screenshot(path=str(shots / "02_cuaderno_ejecutado.png"), full_page=False)

    notebook = page.locator(".jp-Notebook")
    errors = notebook.locator(
        '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'
    )
    error_texts = errors.all_inner_texts()
    assert error_texts == [], f"salida de error inesperada: {error_texts[:3]}"
    images = notebook.locator(".jp-OutputArea-output img")
    assert images.count() >= 3, "las figuras deberían verse como imágenes"
    check = notebook.locator(".course-check").first
    check.scroll_into_view_if_needed()
    page.wait_for_timeout(1000)
    expect(check).to_be_visible()
    assert re.search(r"Correcto|Sin responder|Incorrecto", check.inner_text())
    page.screenshot(path=str(shots / "03_mensaje_del_corrector.png"))
    images.nth(1).scroll_into_view_if_needed()
    page.wait_for_timeout(1500)  # let the windowed notebook paint what scrolled in
    page.screenshot(path=str(shots / "04_figura.png"))

    run_in_new_cell(page, "import keras\nkeras.optimizers.Adam(lr=0.01)")
    explanation = notebook.locator(".course-explain").last
    expect(explanation).to_be_visible()
    text = explanation.inner_text()
    assert "learning_rate" in text and "Keras 3" in text
    explanation.scroll_into_view_if_needed()
    page.wait_for_timeout(1000)
    page.screenshot(path=str(shots / "05_explicacion_keras2.png"))
    print(f"escenario cuaderno 01: {time.monotonic() - start:.1f} s")


def _solutions(root: Path) -> list[str]:
    """The solution code of every solution cell of a01, in notebook order."""
    from course.simulated.submissions import read_notebook, strip_solution_markers

    nb = read_notebook(root / "source_assignments" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
    return [
        strip_solution_markers("".join(cell.source))
        for cell in nb.cells
        if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("solution")
    ]


def click_validate(page) -> str:
    page.locator(
        ".jp-ToolbarButtonComponent-label:visible", has_text=re.compile(r"^Validate$")
    ).click()
    dialog = page.locator(".jp-Dialog-content")
    dialog.wait_for(state="visible", timeout=TIMEOUT_MS)
    # The dialog opens at once with a "validating" note; wait for the verdict.
    page.wait_for_function(
        "() => { const d = document.querySelector('.jp-Dialog-content');"
        " return d && /(failed|Success|passed|error)/i.test(d.innerText); }",
        timeout=TIMEOUT_MS,
    )
    return dialog.inner_text()


def test_student_validates_blank_then_typed_solution_of_a01(page, lab_server, lab_course, shots):
    start = time.monotonic()
    open_notebook(page, lab_server, f"release/{ASSIGNMENT}/{ASSIGNMENT}.ipynb")
    page.screenshot(path=str(shots / "10_tarea_publicada.png"))

    verdict = click_validate(page)
    page.screenshot(path=str(shots / "11_validar_en_blanco.png"))
    assert "failed" in verdict
    assert "Sin responder" in verdict and "Cómo arreglarlo" in verdict
    assert "Ejercicio 1" in verdict
    page.locator(".jp-Dialog-button").last.click()

    solutions = _solutions(lab_course)
    stubs = page.locator(".jp-Notebook .jp-CodeCell", has_text="TU CÓDIGO AQUÍ")
    assert stubs.count() == len(solutions)
    for code in solutions:
        cell = page.locator(".jp-Notebook .jp-CodeCell", has_text="TU CÓDIGO AQUÍ").first
        cell.scroll_into_view_if_needed()
        cell.locator(".cm-content").click()
        page.keyboard.press("Control+a")
        page.keyboard.insert_text(code)
        page.keyboard.press("Escape")
    page.screenshot(path=str(shots / "12_soluciones_escritas.png"))
    page.keyboard.press("Control+s")
    page.wait_for_timeout(1500)

    verdict = click_validate(page)
    page.screenshot(path=str(shots / "13_validar_solucion.png"))
    assert "Success" in verdict or "passes" in verdict, verdict[:2000]
    page.locator(".jp-Dialog-button").last.click()
    print(f"escenario tarea a01: {time.monotonic() - start:.1f} s")


def test_student_runs_the_check_cell_at_the_end_of_the_released_a01(page, lab_server, shots):
    """The assignment's last cell checks the saved notebook, and asks to save first
    when the kernel ran code that is not in the file."""
    from playwright.sync_api import expect

    start = time.monotonic()
    open_notebook(page, lab_server, f"release/{ASSIGNMENT}/{ASSIGNMENT}.ipynb")
    notebook = page.locator(".jp-Notebook")
    first = notebook.locator(".jp-CodeCell").nth(1)  # exercise 1's answer (stub or typed)
    first.scroll_into_view_if_needed()
    first.locator(".cm-content").click()
    page.keyboard.press("Control+End")
    page.keyboard.insert_text("\n# un cambio sin guardar")
    page.keyboard.press("Shift+Enter")
    wait_all_executed(page)

    check_cell = notebook.locator(".jp-CodeCell", has_text="comprobar()").last
    check_cell.scroll_into_view_if_needed()
    check_cell.locator(".cm-content").click()
    page.keyboard.press("Shift+Enter")
    wait_all_executed(page)
    output = check_cell.locator(".jp-OutputArea")
    expect(output).to_contain_text("Guarda primero el cuaderno")
    page.screenshot(path=str(shots / "14_comprobar_sin_guardar.png"))

    page.keyboard.press("Control+s")
    page.wait_for_timeout(1500)
    check_cell.locator(".cm-content").click()
    page.keyboard.press("Shift+Enter")
    wait_all_executed(page)
    expect(output).to_contain_text("Comprobando a01_perceptron.ipynb como lo hará la corrección")
    text = output.inner_text()
    assert "Ejercicio 1 — La suma ponderada" in text
    assert "se ejecuta de principio a fin" in text  # verdict either way (stubs or answers)
    assert "HIDDEN" not in text and "Report(" not in text  # no return value shown
    page.screenshot(path=str(shots / "15_comprobar_guardado.png"))
    print(f"escenario comprobar: {time.monotonic() - start:.1f} s")


def test_instructor_opens_formgrader_from_the_nbgrader_menu(page, lab_server, shots):
    start = time.monotonic()
    base, token = lab_server
    page.goto(f"{base}/lab/workspaces/{secrets.token_hex(4)}?token={token}&reset")
    page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").wait_for()
    menu(page, "Nbgrader", re.compile(r"^Formgrader$"))
    frame = page.frame_locator("iframe").first
    frame.get_by_text(ASSIGNMENT).first.wait_for(timeout=TIMEOUT_MS)
    page.wait_for_timeout(1000)
    page.screenshot(path=str(shots / "20_formgrader.png"))
    assert frame.get_by_text("Manage Assignments").count() >= 1
    print(f"escenario formgrader: {time.monotonic() - start:.1f} s")


def test_course_lab_prints_a_spanish_url_and_serves(tmp_path):
    """`course lab` itself: the Spanish message with the URL, and a live server."""
    from course.lab import free_port

    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "course.cli",
            "lab",
            "--carpeta",
            str(tmp_path),
            "--puerto",
            str(port),
            "--sin-navegador",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        lines = [proc.stdout.readline() for _ in range(3)]
        url = next(line.split()[-1] for line in lines if "http://" in line)
        assert any("Abra esta dirección" in line for line in lines)
        token = url.split("token=")[1]
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                if _get(f"http://127.0.0.1:{port}/api/status?token={token}") == 200:
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.5)
        else:
            pytest.fail("course lab no respondió")
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/shutdown?token={token}", method="POST"
        )
        urllib.request.urlopen(request, timeout=30).close()
        assert proc.wait(timeout=60) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
