"""Instructor side of the course: a thin layer over nbgrader's Python API.

Nothing here is imported by ``import course``; nbgrader is imported lazily.
"""
