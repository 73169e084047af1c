"""The differential fuzzer's fixed budget: random programs on torch and autograd_mini agree; and
the fuzzer can draw every public function and method of autograd_mini.

``make fuzz`` runs the same generator for as long as asked; this runs a fixed number of programs
from a fixed seed, so ``make test`` is repeatable. A disagreement fails with the smallest program
hypothesis finds (add it to test_fuzz_regressions.py once fixed).
"""

import types

from fuzz_programs import search, vocabulary

import autograd_mini

PROGRAMS = 1000  # about 15 s on the 2-core test machine
SEED = 11  # issue 11

# What the fuzzer never draws, and why. Everything else autograd_mini makes public must be in its
# vocabulary, so that a new function or method is compared with torch from the day it comes.
NOT_DRAWN = {
    "rand": "a random stream: the generator's state carries over between programs and tests",
    "randn": "a random stream, as rand (and torch's own sin, cos and log round it)",
    "manual_seed": "seeds the random streams, which are left out",
    "Function": "a class to subclass with forward and backward: test_function.py compares it",
    "gradcheck": "checks derivatives by finite differences: test_gradcheck.py compares it",
    "GradcheckError": "what gradcheck raises",
    "LEFT_OUT_DTYPES": "autograd_mini's own table of the dtypes it leaves out (no torch name)",
    "array": "the numpy array inside a tensor: autograd_mini's own, torch has none",
}


def test_random_programs_agree_with_torch(record_property):
    tally = search(PROGRAMS, seed=SEED)
    record_property("fuzz_programs", tally.programs)
    record_property("fuzz_kinds", dict(tally.kinds))
    assert tally.programs >= PROGRAMS * 0.9, tally.kinds


def public(names, owner):
    """The public names of ``owner`` (submodules are the package's inner parts, not its API)."""
    return {
        name
        for name in names
        if not name.startswith("_") and not isinstance(getattr(owner, name), types.ModuleType)
    }


def test_the_fuzzer_draws_every_public_function_and_method():
    library_names, tensor_names = vocabulary()
    functions = public(dir(autograd_mini), autograd_mini) - NOT_DRAWN.keys()
    methods = public(dir(autograd_mini.Tensor), autograd_mini.Tensor) - NOT_DRAWN.keys()
    never_drawn = sorted(functions - library_names)
    assert not never_drawn, f"functions the fuzzer never draws: {never_drawn}"
    never_drawn = sorted(methods - tensor_names)
    assert not never_drawn, f"methods the fuzzer never draws: {never_drawn}"


def test_every_exclusion_is_still_public():
    everything = set(dir(autograd_mini)) | set(dir(autograd_mini.Tensor))
    assert not NOT_DRAWN.keys() - everything, "drop the exclusions autograd_mini no longer has"
