"""Switching gradient recording off and on: ``no_grad``, ``enable_grad``, ``set_grad_enabled``.

The mode belongs to the thread, as in torch: ``no_grad()`` in one thread leaves the others
recording.
"""

import functools
import inspect
import threading

__all__ = ["no_grad", "enable_grad", "is_grad_enabled", "set_grad_enabled"]


class _ThreadState(threading.local):
    enabled = True  # each thread starts with recording on


_State = _ThreadState()


def is_grad_enabled() -> bool:
    """True when new operations are being recorded for autograd (in this thread)."""
    return _State.enabled


class _GradModeSwitch:
    """A context manager that is also a decorator, for functions and generator functions."""

    mode = True

    def __new__(cls, *args):
        switch = super().__new__(cls)
        if cls is not set_grad_enabled and args and callable(args[0]):
            return switch(args[0])  # a bare ``@no_grad`` works too
        return switch

    def __enter__(self):
        self.previous = _State.enabled
        _State.enabled = self.mode

    def __exit__(self, *exc):
        _State.enabled = self.previous
        return False

    def clone(self):
        """A fresh switch of the same kind, for one call of a decorated function."""
        return self.__class__()

    def __call__(self, function):
        if inspect.isgeneratorfunction(function):
            return _switched_generator(self.clone, function)

        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            with self.clone():
                return function(*args, **kwargs)

        return wrapper


def _switched_generator(switch, function):
    """Wrap a generator function so its body runs under the switch each time it resumes, and
    the caller's own mode is back whenever it yields."""

    @functools.wraps(function)
    def generator(*args, **kwargs):
        steps = function(*args, **kwargs)
        try:
            with switch():
                response = steps.send(None)
            while True:
                try:
                    request = yield response
                except GeneratorExit:
                    with switch():
                        steps.close()
                    raise
                except BaseException as error:
                    with switch():
                        response = steps.throw(error)
                else:
                    with switch():
                        response = steps.send(request)
        except StopIteration as stop:
            return stop.value

    return generator


class no_grad(_GradModeSwitch):
    """Context manager and decorator: operations inside record no graph and need no gradient."""

    mode = False


class enable_grad(_GradModeSwitch):
    """Context manager and decorator: record operations again, even inside ``no_grad``."""

    mode = True


class set_grad_enabled(_GradModeSwitch):
    """Set gradient recording on or off: at once when called, or for a ``with`` block, or for
    each call of a decorated function."""

    def __init__(self, mode):
        self.previous = _State.enabled
        self.mode = mode
        _State.enabled = mode

    def __enter__(self):
        _State.enabled = self.mode

    def __call__(self, function):
        _State.enabled = self.previous  # decorating changes nothing until the function runs
        return super().__call__(function)

    def clone(self):
        """A switch to the same mode, for one call of a decorated function."""
        return set_grad_enabled(self.mode)
