"""How fast the playground trains and redraws on this machine.

A 2-8-8-1 network (inputs x1, x2; two tanh hidden layers of 8) on the XOR cloud
with 500 training points (and 500 test points, evaluated after every epoch as
the app does), batch size 10, learning rate 0.03. Prints:

* epochs per second of training, loss recording included (target >= 50);
* one redraw of the decision boundary on a 100 x 100 grid: forward pass,
  colouring, train/test points and PNG encoding (target <= 100 ms);
* for information, one whole frame of the app's pictures (boundary, network
  with its neuron maps, loss curve) and the static matplotlib figure.

    python benchmarks/bench_playground.py [--epochs 200] [--rounds 20]
"""

from __future__ import annotations

import argparse
import statistics
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()

    from course.playground import render, sesion_playground

    session = sesion_playground(
        "nube_xor",
        capas_ocultas=[8, 8],
        n_puntos=1000,
        proporcion_test=0.5,
        tamano_lote=10,
        tasa_aprendizaje=0.03,
        activacion="tanh",
    )
    assert len(session.split.x_train) == 500
    session.train(5)  # warm-up
    start = time.perf_counter()
    session.train(args.epochs)
    elapsed = time.perf_counter() - start
    epochs_per_s = args.epochs / elapsed

    def timed(func) -> float:
        times = []
        for _ in range(args.rounds):
            t = time.perf_counter()
            func()
            times.append(time.perf_counter() - t)
        return statistics.median(times) * 1000

    boundary_ms = timed(lambda: render.boundary_png(session, resolution=100, scale=3))
    frame_ms = timed(
        lambda: (
            render.boundary_png(session),
            render.network_svg(session),
            render.loss_curve_svg(session.history),
        )
    )
    render.static_figure(session).savefig("/dev/null", format="png")  # warm-up (fonts)
    static_ms = timed(lambda: render.static_figure(session).savefig("/dev/null", format="png"))

    print(f"red 2-8-8-1, 500 puntos de entrenamiento, lote 10, {args.epochs} épocas")
    print(
        f"  entrenamiento: {epochs_per_s:.0f} épocas/s "
        f"(objetivo >= 50: {epochs_per_s / 50:.2f}x el objetivo)"
    )
    print(
        f"  frontera 100x100: {boundary_ms:.1f} ms por redibujo "
        f"(objetivo <= 100 ms: {100 / boundary_ms:.2f}x más rápido)"
    )
    print(f"  fotograma completo de la app (frontera + red + curva): {frame_ms:.1f} ms")
    print(f"  figura estática (matplotlib, PNG): {static_ms:.0f} ms")


if __name__ == "__main__":
    main()
