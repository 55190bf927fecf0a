"""``course lab``: JupyterLab on the course's notebooks, with the course's settings.

Starts ``jupyter lab`` on a free local port with a fresh token, a Spanish
interface and no news pop-ups (:func:`prepare_lab_settings`), and TensorFlow
kept quiet in every kernel. The browser tests start JupyterLab the same way
(:func:`lab_command`).
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import socket
import subprocess
import sys
from pathlib import Path

log = logging.getLogger(__name__)

#: JupyterLab defaults for the course: Spanish interface, no news pop-ups.
LAB_OVERRIDES: dict[str, dict[str, object]] = {
    "@jupyterlab/translation-extension:plugin": {"locale": "es_ES"},
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False},
}


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def lab_command(
    root: Path, *, port: int, token: str, open_browser: bool, settings_dir: Path | None = None
) -> list[str]:
    """The ``jupyter lab`` command line used by ``course lab`` (and the browser tests)."""
    cmd = [
        sys.executable,
        "-m",
        "jupyterlab",
        f"--ServerApp.root_dir={root}",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        "--ServerApp.ip=127.0.0.1",
        f"--IdentityProvider.token={token}",
        "--ServerApp.open_browser=" + ("True" if open_browser else "False"),
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    if settings_dir is not None:
        cmd.append(f"--LabApp.user_settings_dir={settings_dir}")
        cmd.append(f"--LabApp.workspaces_dir={settings_dir / 'workspaces'}")
    return cmd


def prepare_lab_settings(prefix: Path | None = None) -> Path:
    """Write the course's JupyterLab defaults into this environment's ``overrides.json``.

    ``overrides.json`` (in ``<prefix>/share/jupyter/lab/settings/``) holds default
    settings that a user can still change; existing keys of other extensions are kept.
    The Spanish interface needs the ``jupyterlab-language-pack-es-ES`` package (a
    dependency of the course).
    """
    folder = Path(prefix or sys.prefix) / "share" / "jupyter" / "lab" / "settings"
    path = folder / "overrides.json"
    current: dict[str, dict[str, object]] = {}
    if path.is_file():
        try:
            current = json.loads(path.read_text(encoding="utf-8"))
        except ValueError:
            current = {}
    merged = dict(current)
    for plugin, values in LAB_OVERRIDES.items():
        merged[plugin] = {**current.get(plugin, {}), **values}
    if merged != current:
        folder.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(merged, indent=2), encoding="utf-8")
        log.debug("Ajustes de JupyterLab escritos en %s", path)
    return path


def run_lab(root: Path, *, port: int | None = None, open_browser: bool = True) -> int:
    """Start JupyterLab on ``root`` with the course's settings; blocks until it stops.

    The address (with its token) is printed on stdout: it is what the user needs.
    """
    from course._env import QUIET_TF_ENV

    port = port or free_port()
    token = secrets.token_hex(16)
    env = dict(os.environ)
    env.update(QUIET_TF_ENV)
    prepare_lab_settings()
    cmd = lab_command(root, port=port, token=token, open_browser=open_browser)
    log.debug("Orden: %s", " ".join(cmd))
    print(f"Iniciando JupyterLab en {root}")
    print(f"Abra esta dirección en el navegador: http://127.0.0.1:{port}/lab?token={token}")
    print("Para detenerlo, pulse Ctrl+C en esta terminal.")
    proc = subprocess.Popen(cmd, cwd=root, env=env)
    try:
        return proc.wait()
    except KeyboardInterrupt:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        return 0
