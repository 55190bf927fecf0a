"""Practice exercises of the lecture notebooks (``nb01`` ... ``nb07``).

Each module defines ``EXERCISES``: a list of ``(exercise, names)`` pairs, where
``names`` are the notebook variables that the exercise's solution defines and that
``exercise.check`` takes, in order. The tests run every solution through its check.
"""
