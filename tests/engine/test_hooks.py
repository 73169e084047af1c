"""Tensor.register_hook and retain_grad, run as small programs on torch and on autograd_mini."""

import pytest
from fuzz_programs import compare

CASES = {
    "leaf hook sees and replaces the gradient": """
x = lib.tensor([1.0, 2.0], requires_grad=True)
handle = x.register_hook(lambda g: log.append(g.clone()) or g + 1)
(x * x).sum().backward()
""",
    "non-leaf hook runs before retain_grad keeps the gradient": """
x = lib.tensor([1.0, 2.0], requires_grad=True)
y = x * 2
y.retain_grad()
handle = y.register_hook(lambda g: g * 10)
(y * y).sum().backward()
""",
    "hooks run in the order registered": """
x = lib.tensor(3.0, requires_grad=True)
first = x.register_hook(lambda g: g * 2)
second = x.register_hook(lambda g: log.append(g.clone()))
(x * x).backward()
""",
    "a removed hook no longer runs (removing twice is harmless)": """
x = lib.tensor(3.0, requires_grad=True)
handle = x.register_hook(lambda g: g * 100)
handle.remove()
handle.remove()
(x * x).backward()
""",
    "hooks on the output of backward itself": """
x = lib.tensor(3.0, requires_grad=True)
y = x.exp()
handle = y.register_hook(lambda g: g * 5)
y.backward()
""",
    "grad() applies leaf hooks to what it returns, not a non-leaf input's own hooks": """
x = lib.tensor([1.0, 2.0], requires_grad=True)
y = x * 2
hy = y.register_hook(lambda g: g * 10)
hx = x.register_hook(lambda g: g + 1)
result = grad((y * y).sum(), [x, y])
""",
    "a hook stays with the node it was registered on after an in-place change": """
a = lib.tensor(2.0, requires_grad=True)
b = a * 1
handle = b.register_hook(lambda g: g * 3)
b.mul_(2)
b.backward()
""",
    "no hook on a tensor that does not require grad": """
x = lib.tensor(1.0)
handle = x.register_hook(lambda g: g)
""",
    "a hook may not change the dtype": """
w = lib.tensor(1.0, requires_grad=True)
handle = w.register_hook(lambda g: g.double())
(w * 2).backward()
""",
    "a hook may not change the shape": """
w = lib.tensor([1.0, 2.0], requires_grad=True)
handle = w.register_hook(lambda g: g.sum())
(w * 2).sum().backward()
""",
    "a hook must return a tensor or None": """
w = lib.tensor(1.0, requires_grad=True)
handle = w.register_hook(lambda g: 5)
(w * 2).backward()
""",
    "retains_grad is True only after retain_grad on a non-leaf": """
x = lib.tensor([1.0, 2.0], requires_grad=True)
y = x * 2
before = y.retains_grad
y.retain_grad()
after = (y.retains_grad, x.retains_grad)
""",
}


@pytest.mark.parametrize("program", CASES.values(), ids=CASES.keys())
def test_hooks_like_torch(program):
    kind, report = compare(program)
    assert report is None, report
    assert kind != "declared unsupported"
