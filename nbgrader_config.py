"""nbgrader settings of the course "Redes neuronales con Keras" (nbgrader 0.9.6).

Read by every ``nbgrader`` command run from the project root (or from a course
folder holding a copy of this file) and by ``course release/grade/feedback``.
See docs/nbgrader.md for the instructor's workflow.
"""

import os

# TensorFlow writes start-up logs to stderr, and nbgrader marks a test cell as
# failed when it writes to stderr. The kernels nbgrader starts inherit this
# process' environment, so set the variables here, before any kernel starts.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.setdefault("PYTHONWARNINGS", "ignore")

c = get_config()  # noqa: F821  (injected by traitlets when it loads this file)

# --- course layout ---------------------------------------------------------
c.CourseDirectory.course_id = "redes-neuronales-keras"
c.CourseDirectory.source_directory = "source_assignments"
# Files beside a notebook (e.g. a04's Train.csv) are released with it; keep
# checkpoints and caches out.
c.CourseDirectory.ignore = [
    ".ipynb_checkpoints",
    "*.pyc",
    "__pycache__",
    "feedback",
    "*.weights.h5",
    "*.keras",
]

# --- what students see in place of the solutions (Spanish) ----------------
c.ClearSolutions.code_stub = {
    "python": "# TU CÓDIGO AQUÍ\nraise NotImplementedError()",
}
c.ClearSolutions.text_stub = "ESCRIBE AQUÍ TU RESPUESTA"

# --- execution (autograde and validate) -------------------------------------
# Per-cell timeout in seconds. The slowest graded cell (a05, Fashion-MNIST)
# takes about 30 s on 2 cores; 300 s leaves room for a slow laptop.
c.Execute.timeout = 300
c.Execute.startup_timeout = 120
c.Execute.interrupt_on_timeout = True
c.Execute.execute_retries = 0
c.Validator.validate_all = False

# --- feedback: Spanish page, no hidden tests, formulas without a CDN ---------
# nbgrader 0.9.6 would render the hidden tests (and the answer keys in them) in
# the student's feedback; course.grading.preprocessors.HideHiddenTests removes
# them and trims test-cell tracebacks to the exception's message.
# course.grading.feedback.configure() sets the whole feedback pipeline
# (GetGrades, HideHiddenTests, StudentFeedback, CSS) and the course's Spanish
# template, with formulas rendered as MathML (no MathJax from a CDN).
from course.grading.feedback import configure as configure_feedback  # noqa: E402

configure_feedback(c)
