"""Course helpers: side-by-side checks and self-checking exercises.

These are for the book's notebooks and are never imported by the autograd core.
"""

from autograd_mini.course.compare import Verdict, check_same, compare_errors, error_message
from autograd_mini.course.exercises import Exercise, ReferenceSolutionError, WebAnswer

__all__ = [
    "Exercise",
    "ReferenceSolutionError",
    "Verdict",
    "WebAnswer",
    "check_same",
    "compare_errors",
    "error_message",
]
