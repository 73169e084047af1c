"""Switching gradient recording off and on: ``no_grad`` and ``enable_grad``."""

import functools

__all__ = ["no_grad", "enable_grad", "is_grad_enabled", "set_grad_enabled"]


class _State:
    enabled = True


def is_grad_enabled():
    """True when new operations are being recorded for autograd."""
    return _State.enabled


class set_grad_enabled:
    """Set gradient recording on or off; usable as a function, context manager or decorator."""

    def __init__(self, mode):
        self.previous = _State.enabled
        self.mode = mode
        _State.enabled = mode

    def __enter__(self):
        return None

    def __exit__(self, *exc):
        _State.enabled = self.previous
        return False


class _GradModeSwitch:
    mode = True

    def __new__(cls, function=None):
        switch = super().__new__(cls)
        return switch if function is None else switch(function)  # bare ``@no_grad`` works too

    def __enter__(self):
        self.previous = _State.enabled
        _State.enabled = self.mode
        return None

    def __exit__(self, *exc):
        _State.enabled = self.previous
        return False

    def __call__(self, function):
        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            with self.__class__():
                return function(*args, **kwargs)

        return wrapper


class no_grad(_GradModeSwitch):
    """Context manager and decorator: operations inside record no graph and need no gradient."""

    mode = False


class enable_grad(_GradModeSwitch):
    """Context manager and decorator: record operations again, even inside ``no_grad``."""

    mode = True
