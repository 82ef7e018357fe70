"""NumPy baseline for the network benchmark (`npm run bench`): full-batch GD on a tanh MLP with
the loss (1/N) Σ ½‖f(x) − y‖², written the way a researcher would — one matrix product per layer
and direction, float64 — on the same data and initial parameters as the JavaScript engine.

Usage: python3 nn_numpy_baseline.py problem.json seconds
problem.json: {"widths": [...], "eta": η, "inputs": [N*d], "targets": [N*c], "params": [...],
               "checkSteps": k}  (parameters in the engine's layout: W1 row-major, b1, W2, b2, …)
Prints one JSON line: {"steps", "seconds", "lossAfterCheck", "numpy"}: the best steps/s block and
the loss after `checkSteps` GD steps (to confirm it is the same computation).
"""
import json
import sys
import time

import numpy as np


def unpack(widths, flat):
    layers, off = [], 0
    for l in range(1, len(widths)):
        q, p = widths[l], widths[l - 1]
        W = flat[off:off + q * p].reshape(q, p)
        off += q * p
        b = flat[off:off + q]
        off += q
        layers.append([W, b])
    return layers


def loss_and_grad(layers, X, Y):
    acts = [X]
    for i, (W, b) in enumerate(layers):
        z = acts[-1] @ W.T + b
        acts.append(np.tanh(z) if i < len(layers) - 1 else z)
    n = X.shape[0]
    r = acts[-1] - Y
    loss = 0.5 * np.sum(r * r) / n
    delta = r / n
    grads = [None] * len(layers)
    for i in range(len(layers) - 1, -1, -1):
        W, _ = layers[i]
        grads[i] = (delta.T @ acts[i], delta.sum(axis=0))
        if i > 0:
            a = acts[i]
            delta = (delta @ W) * (1 - a * a)
    return loss, grads


def main():
    problem = json.load(open(sys.argv[1]))
    seconds = float(sys.argv[2])
    widths = problem["widths"]
    X = np.array(problem["inputs"], dtype=np.float64).reshape(-1, widths[0])
    Y = np.array(problem["targets"], dtype=np.float64).reshape(-1, widths[-1])
    eta = problem["eta"]
    layers = unpack(widths, np.array(problem["params"], dtype=np.float64))

    def step():
        loss, grads = loss_and_grad(layers, X, Y)
        for (W, b), (gW, gb) in zip(layers, grads):
            W -= eta * gW
            b -= eta * gb
        return loss

    for _ in range(problem["checkSteps"]):
        step()
    check, _ = loss_and_grad(layers, X, Y)
    best, total = 0.0, 0
    started = time.perf_counter()
    while time.perf_counter() - started < seconds or total < 3:
        t, k = time.perf_counter(), 0
        while k < 2 or time.perf_counter() - t < 0.2:
            step()
            k += 1
        best = max(best, k / (time.perf_counter() - t))
        total += k
    print(json.dumps({"stepsPerSecond": best, "steps": total, "lossAfterCheck": float(check), "numpy": np.__version__}))


if __name__ == "__main__":
    main()
