"""One-call set-up for the first cell of every lecture notebook and assignment."""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
import threading
from typing import Any

#: Top-level modules whose first import seeds Keras and TensorFlow.
_FRAMEWORKS = ("keras", "tensorflow")


def notebook_setup(seed: int = 42, *, explain: bool = True) -> None:
    """Prepare a fresh kernel for a course notebook.

    Quiets TensorFlow's logs (they must never reach stderr in a graded cell),
    seeds Python and NumPy now and Keras/TensorFlow as
    ``keras.utils.set_random_seed`` does, selects matplotlib's inline-friendly
    defaults and, in IPython, installs the :mod:`course.explain` handler so that
    Keras-2 idioms get a Spanish explanation.

    TensorFlow is not imported here: a NumPy-only notebook (a01) never pays for
    it. If Keras is already loaded it is seeded at once; otherwise it is seeded
    right after its first import (quietly, see :func:`course._env.stderr_silenced`),
    with Python's and NumPy's random streams left as they were before that
    import, so every number is the one an eager ``set_random_seed`` would give.
    """
    import random

    import numpy as np

    from course._env import quiet_tensorflow

    quiet_tensorflow()
    _HOOK.uninstall()
    if any(name in sys.modules for name in _FRAMEWORKS):
        from course._env import import_keras_quietly

        import_keras_quietly().utils.set_random_seed(seed)
    else:
        random.seed(seed)
        np.random.seed(seed)
        _HOOK.install(seed)
    try:
        import matplotlib

        matplotlib.rcParams.update({"figure.dpi": 90, "savefig.dpi": 90, "figure.figsize": (6, 4)})
    except ImportError:  # pragma: no cover - matplotlib is a dependency
        pass
    if explain:
        try:
            from course import explain as _explain

            _explain.enable()
        except ImportError:  # pragma: no cover
            pass


class _SeedOnImport(importlib.abc.MetaPathFinder):
    """Seeds Keras when ``keras`` or ``tensorflow`` is first imported (a meta path hook).

    The standard library's import system is the documented way to run code when a
    module is loaded; this finder only wraps the real loader that the other
    finders return, so the module itself is found and executed as usual.
    """

    def __init__(self) -> None:
        self.seed: int | None = None
        self._depth = 0
        self._lock = threading.RLock()
        self._saved: tuple[Any, Any] | None = None

    def install(self, seed: int) -> None:
        self.seed = seed
        if self not in sys.meta_path:
            sys.meta_path.insert(0, self)

    def uninstall(self) -> None:
        self.seed = None
        while self in sys.meta_path:
            sys.meta_path.remove(self)

    def find_spec(self, name: str, path: Any, target: Any = None) -> Any:
        if name not in _FRAMEWORKS or self.seed is None:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(name, path, target)
            if spec is not None:
                if spec.loader is not None and hasattr(spec.loader, "exec_module"):
                    spec.loader = _SeedingLoader(spec.loader, self)
                return spec
        return None

    def before(self) -> Any:
        """Called as a framework module starts executing; returns a context to silence."""
        import contextlib
        import random

        import numpy as np

        from course._env import stderr_silenced

        with self._lock:
            self._depth += 1
            if self._depth > 1:
                return contextlib.nullcontext()
            self._saved = (random.getstate(), np.random.get_state())
        return stderr_silenced()

    def after(self, ok: bool) -> None:
        """Called when it finished; the outermost import seeds Keras."""
        with self._lock:
            self._depth -= 1
            if self._depth or not ok or self.seed is None:
                return
            seed, saved = self.seed, self._saved
            self.uninstall()
        import random

        import numpy as np

        from course._env import import_keras_quietly

        keras = import_keras_quietly()
        keras.utils.set_random_seed(seed)
        if saved is not None:
            random.setstate(saved[0])
            np.random.set_state(saved[1])


class _SeedingLoader(importlib.abc.Loader):
    """The real loader of ``keras``/``tensorflow``, with the hook around its execution."""

    def __init__(self, loader: Any, hook: _SeedOnImport) -> None:
        self._loader = loader
        self._hook = hook

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> Any:
        return self._loader.create_module(spec)

    def exec_module(self, module: Any) -> None:
        ok = False
        try:
            with self._hook.before():
                self._loader.exec_module(module)
            ok = True
        finally:
            self._hook.after(ok)

    def __getattr__(self, name: str) -> Any:  # get_data, get_filename, is_package...
        return getattr(self._loader, name)


_HOOK = _SeedOnImport()
