"""The playground in JupyterLab, driven in headless Chromium.

Lecture notebook 01 is opened and run (JupyterLab set up as in ``test_browser.py``,
whose fixtures this module reuses: its own server, without the static-picture
switch of the other tests). In the playground of its experiment the student adds a
hidden layer, adds a neuron, presses Entrenar, and sees the epoch counter advance,
the training loss fall and the decision boundary change; a cell run while it
trains still answers (training does not block the kernel). Screenshots are saved
like the other browser tests' (``COURSE_SCREENSHOTS=/some/dir`` keeps them).
"""

from __future__ import annotations

import io
import re
import time

import pytest
import test_browser
from test_browser import NOTEBOOK_01, menu, open_notebook, wait_all_executed

# test_browser's fixtures, used here by name (this module gets its own server and browser)
chromium_path = test_browser.chromium_path
shots = test_browser.shots
lab_course = test_browser.lab_course
lab_server = test_browser.lab_server
browser = test_browser.browser
page = test_browser.page

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _epoch(app) -> int:
    return int(re.search(r"\d+", app.locator(".course-playground-epoca").inner_text())[0])


def _train_loss(app) -> float:
    return float(app.locator(".perdida-entrenamiento").inner_text())


def _changed_fraction(png_a: bytes, png_b: bytes) -> float:
    """Share of pixels that differ between two screenshots of the same element."""
    import numpy as np
    from PIL import Image

    a = np.asarray(Image.open(io.BytesIO(png_a)).convert("RGB"), dtype=int)
    b = np.asarray(Image.open(io.BytesIO(png_b)).convert("RGB"), dtype=int)
    assert a.shape == b.shape
    return float(np.mean(np.abs(a - b).sum(axis=2) > 30))


def test_student_trains_a_network_in_the_playground_of_notebook_01(page, lab_server, shots):
    from playwright.sync_api import expect

    start = time.monotonic()
    open_notebook(page, lab_server, f"notebooks/{NOTEBOOK_01}")
    menu(page, "Run", re.compile(r"^(Ejecutar todas las celdas|Run All Cells)$"))
    page.wait_for_timeout(1500)
    wait_all_executed(page)

    app = page.locator(".course-playground").first
    expect(app).to_be_visible()
    app.scroll_into_view_if_needed()
    page.wait_for_timeout(1000)
    page.screenshot(path=str(shots / "30_playground_abierto.png"))
    assert _epoch(app) == 500  # the notebook opens it after 500 epochs without a hidden layer
    assert "Entrenar" in app.inner_text() and "Reiniciar" in app.inner_text()
    network = app.locator("svg.course-playground-red")
    expect(network).to_be_visible()  # the network picture is drawn (SVG inside the HTML widget)

    # add a hidden layer (4 neurons), then one more neuron in it
    app.locator('button[title="Añadir una capa oculta"]').click()
    expect(app.locator(".course-playground-epoca")).to_have_text(re.compile(r"Época: 0$"))
    app.locator(".course-playground-mas-1").click()
    expect(app).to_contain_text("capa 1: 5 neuronas")
    expect(network.locator("image")).to_have_count(2 + 5)  # 2 inputs + 5 hidden maps
    boundary = app.locator("img").first
    before_png = boundary.screenshot()
    loss_before = _train_loss(app)
    page.screenshot(path=str(shots / "31_playground_capa_oculta.png"))

    app.get_by_role("button", name=re.compile("Entrenar")).click()
    expect(app.get_by_role("button", name=re.compile("Pausa"))).to_be_visible()
    page.wait_for_function(
        "() => { const e = document.querySelector('.course-playground-epoca');"
        " return e && parseInt(e.innerText.replace(/\\D/g, '')) >= 20; }",
        timeout=60_000,
    )
    first_epoch = _epoch(app)
    page.screenshot(path=str(shots / "32_playground_entrenando.png"))

    # the kernel still answers while the network trains
    page.locator(".jp-Notebook .jp-Cell").last.click()
    page.keyboard.press("Escape")
    page.keyboard.press("b")
    page.locator(".jp-Notebook .jp-Cell").last.locator(".cm-content").click()
    page.keyboard.insert_text("print('respuesta', 6 * 7)")
    page.keyboard.press("Shift+Enter")
    reply = page.locator(".jp-OutputArea-output", has_text="respuesta 42")
    expect(reply).to_be_visible(timeout=30_000)

    app.scroll_into_view_if_needed()
    page.wait_for_function(
        f"() => parseInt(document.querySelector('.course-playground-epoca')"
        f".innerText.replace(/\\D/g, '')) >= {first_epoch + 100}",
        timeout=90_000,
    )
    app.get_by_role("button", name=re.compile("Pausa")).click()
    expect(app.get_by_role("button", name=re.compile("Entrenar"))).to_be_visible()
    page.wait_for_timeout(500)
    paused_epoch = _epoch(app)
    page.wait_for_timeout(1000)
    assert _epoch(app) == paused_epoch, "Pausa must stop the training"
    loss_after = _train_loss(app)
    after_png = boundary.screenshot()
    page.screenshot(path=str(shots / "33_playground_entrenado.png"))

    assert paused_epoch > first_epoch >= 20
    assert loss_after < loss_before - 0.2, (loss_before, loss_after)
    changed = _changed_fraction(before_png, after_png)
    assert changed > 0.2, f"only {changed:.1%} of the boundary picture changed"
    print(
        f"escenario playground: épocas {paused_epoch}, pérdida {loss_before:.3f} -> "
        f"{loss_after:.3f}, {changed:.0%} de la frontera cambió, {time.monotonic() - start:.1f} s"
    )
