"""autograd_mini against torch and hand-written numpy, measured in the same run.

Run with `make bench` (or `.venv/bin/python benchmarks/bench_engine.py`). Prints a table of ratios;
it is a measurement, not a test. Each time is the best of many interleaved repeats (as timeit
recommends): load from other processes on a shared machine only ever adds time, and alternating
the two sides exposes both to the same conditions.
"""

import os

# numpy's BLAS on one thread, like torch below: steadier timings on a shared 2-core machine (both
# sides of the matmul comparison run the very same numpy products).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import gc  # noqa: E402
import json  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402

import autograd_mini as am  # noqa: E402

torch.set_num_threads(1)
CHAIN_LENGTH = 100_000
# The ratios of commit 7190dc0 (before the differential fuzzer's exactness fixes), measured on a
# quiet machine: issue 11 asks every ratio to stay within 10% of these. On a loaded machine the
# chain's ratios swing by more than that from run to run; compare against a checkout of that
# commit in the same run before concluding anything.
BEFORE_FUZZER = (1.44, 1.01, 2.83, 1.06)


def best_time(function, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def interleaved(first, second, rounds, repeats):
    """Best times of two functions, alternating rounds so both see the same machine load."""
    a, b = [], []
    for _ in range(rounds):
        a.append(best_time(first, repeats))
        b.append(best_time(second, repeats))
    return min(a), min(b)


# ----- 1. a 2-16-16-1 MLP on 100 points: one forward and backward of a hinge loss -------------
def mlp_step(module, params, inputs, labels):
    w1, b1, w2, b2, w3, b3 = params
    for p in params:
        p.grad = None
    hidden = module.relu(inputs @ w1 + b1)
    hidden = module.relu(hidden @ w2 + b2)
    scores = (hidden @ w3 + b3).squeeze(1)
    loss = module.relu(1 - labels * scores).mean()
    loss.backward()
    return loss


def mlp_setup(module):
    rng = np.random.default_rng(0)
    shapes = [(2, 16), (16,), (16, 16), (16,), (16, 1), (1,)]
    params = [module.tensor(rng.normal(size=s).astype(np.float32) * 0.5) for s in shapes]
    for p in params:
        p.requires_grad_()
    inputs = module.tensor(rng.normal(size=(100, 2)).astype(np.float32))
    labels = module.tensor(np.where(rng.normal(size=100) > 0, 1.0, -1.0).astype(np.float32))
    return params, inputs, labels


def bench_mlp():
    mini, theirs = mlp_setup(am), mlp_setup(torch)
    np.testing.assert_allclose(
        mlp_step(am, *mini).item(), mlp_step(torch, *theirs).item(), rtol=1e-5
    )
    return interleaved(
        lambda: mlp_step(am, *mini), lambda: mlp_step(torch, *theirs), rounds=7, repeats=50
    )


# ----- 2. a 512x512 matrix product, forward and backward, against the same numpy by hand ------
def bench_matmul():
    rng = np.random.default_rng(1)
    a_values, b_values, seed = (rng.normal(size=(512, 512)).astype(np.float32) for _ in range(3))
    a = am.tensor(a_values, requires_grad=True)
    b = am.tensor(b_values, requires_grad=True)
    upstream = am.tensor(seed)

    def mini():
        a.grad = b.grad = None
        (a @ b).backward(upstream)

    def by_hand():
        product = a_values @ b_values  # noqa: F841 - the forward pass, as autograd_mini does it
        grad_a = seed @ b_values.T  # noqa: F841
        grad_b = a_values.T @ seed  # noqa: F841

    mini()
    np.testing.assert_allclose(a.grad.numpy(), seed @ b_values.T, rtol=1e-4, atol=1e-3)
    return interleaved(mini, by_hand, rounds=20, repeats=5)


# ----- 3. a chain of 100,000 scalar multiplications -------------------------------------------
def chain(module, length=CHAIN_LENGTH):
    x = module.tensor(1.0, requires_grad=True)
    y = x
    start = time.perf_counter()
    for _ in range(length):
        y = y * 1.0000001
    middle = time.perf_counter()
    y.backward()
    end = time.perf_counter()
    return (middle - start) / length, (end - middle) / length


def bench_chain():
    forward, backward = {"am": [], "torch": []}, {"am": [], "torch": []}
    for _ in range(3):
        for name, module in (("am", am), ("torch", torch)):
            gc.collect()
            f, b = chain(module)
            forward[name].append(f)
            backward[name].append(b)
    return {
        key: (min(v["am"]), min(v["torch"]))
        for key, v in (("forward", forward), ("backward", backward))
    }


# ----- 4. peak memory of the chain ---------------------------------------------------------------
RSS_SCRIPT = """
import json, resource, sys
import {module} as m
def rss():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS")) * 1024
baseline = rss()
x = m.tensor(1.0, requires_grad=True)
y = x
peak = 0
for i in range({length}):
    y = y * 1.0000001
peak = max(peak, rss())
y.backward()
peak = max(peak, rss())
print(json.dumps(peak - baseline))
"""


def rss_delta(module_name):
    """Resident-memory growth of a fresh process while it builds and backpropagates the chain."""
    script = RSS_SCRIPT.format(module=module_name, length=CHAIN_LENGTH)
    output = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    return json.loads(output.stdout)


def traced_peak():
    """Peak bytes allocated through Python and numpy (tracemalloc) while building and
    backpropagating the chain."""
    gc.collect()
    tracemalloc.start()
    x = am.tensor(1.0, requires_grad=True)
    y = x
    for _ in range(CHAIN_LENGTH):
        y = y * 1.0000001
    y.backward()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def main():
    rows = []
    mlp = bench_mlp()
    rows.append(("MLP 2-16-16-1, 100 points, fwd+bwd hinge loss", mlp, "torch (1 thread)", 5, 2))
    matmul = bench_matmul()
    rows.append(("512x512 matmul, fwd+bwd", matmul, "numpy by hand", 1.2, 1.05))
    chains = bench_chain()
    rows.append(("100,000-op scalar chain, forward per op", chains["forward"], "torch", 10, 3))
    rows.append(("100,000-op scalar chain, backward per op", chains["backward"], "torch", 10, 3))

    print("autograd_mini engine benchmark (ratios measured in this run; lower is better;")
    print("the last column: the ratio at commit 7190dc0, before issue 11, and the change since)")
    print()
    columns = ("measurement", "autograd_mini", "reference", "ratio", "bar", "aim", "", "7190dc0")
    widths = (45, 13, 26, 5, 4, 4, 8, 14)
    print("| " + " | ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for (name, (mine, reference), reference_name, bar, aim), before in zip(
        rows, BEFORE_FUZZER, strict=True
    ):
        ratio = mine / reference
        cells = (
            name,
            f"{mine * 1e3:.4f} ms",
            f"{reference_name} {reference * 1e3:.4f} ms",
            f"{ratio:.2f}",
            f"{bar}",
            f"{aim}",
            "ok" if ratio <= bar else "OVER BAR",
            f"{before:.2f} ({ratio / before - 1:+.0%})",
        )
        print("| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |")
    traced = traced_peak()
    ours, theirs = rss_delta("autograd_mini"), rss_delta("torch")
    per_op = CHAIN_LENGTH
    print()
    print("Peak memory of the 100,000-op chain (build + backward):")
    print(
        f"  autograd_mini, tracemalloc peak (Python objects + numpy data): {traced / 1e6:6.1f} MB"
    )
    print(f"  autograd_mini, resident-memory growth, fresh process:          {ours / 1e6:6.1f} MB")
    print(
        f"  torch,         resident-memory growth, fresh process:          {theirs / 1e6:6.1f} MB"
    )
    print(
        f"  ratio autograd_mini / torch (same measure, resident growth):    {ours / theirs:6.2f}"
        f"   ({ours / per_op:.0f} vs {theirs / per_op:.0f} bytes per op)"
    )
    print("  tracemalloc cannot see torch's C++ allocations, so both sides are compared by the")
    print("  growth of resident memory (VmRSS) in a fresh process; tracemalloc is shown for ours.")


if __name__ == "__main__":
    main()
