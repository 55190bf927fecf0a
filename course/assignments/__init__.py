"""Visible check specifications of the graded assignments (``a01`` ... ``a06``).

Only the visible side lives here: held-out inputs, stricter thresholds and answer
keys are kept in the hidden-test regions of ``source_assignments/`` and never ship
with the package.
"""
