"""Helper package for the Spanish course "Redes neuronales con Keras".

The public surface is deliberately small and importing it is cheap: TensorFlow,
Keras and nbgrader are imported lazily inside the functions that need them, so
``import course`` and ``course --help`` stay fast (TensorFlow alone takes several
seconds to import) and nothing writes TensorFlow logs to stderr.

Submodules:

- :mod:`course.datasets`: XOR, Iris, shipping-delay and Fashion-MNIST loaders.
- :mod:`course.checks`: exercise checkers with Spanish feedback.
- :mod:`course.plots`: standard course figures (matplotlib).
- :mod:`course.explain`: Spanish explanations for Keras-2 idioms that fail on Keras 3.
- :mod:`course.grading`: the instructor side (nbgrader wrapper).
- :mod:`course.notebook_setup`: the one call of every notebook's first cell.
- :mod:`course.comprobar` and :mod:`course.lab`: a student's pre-submission check and
  JupyterLab with the course's settings.
- :mod:`course.cli`: the ``course`` command (student and instructor subcommands).
"""

from __future__ import annotations

from course.errors import CourseError, DataError

__version__ = "0.1.0"

__all__ = ["CourseError", "DataError", "__version__", "quiet_tensorflow"]


def quiet_tensorflow() -> None:
    """Silence TensorFlow's C++ logs before TensorFlow is imported.

    TensorFlow writes start-up messages to stderr, and nbgrader marks a test cell
    wrong when it prints to stderr, so every notebook and the grading environment
    call this (or set the same variables) first. Calling it after TensorFlow has
    been imported still quiets the Python-side loggers.
    """
    from course._env import quiet_tensorflow as _quiet

    _quiet()
