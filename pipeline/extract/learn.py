"""Learning the field scorer's weights and its calibration: plain numpy, from cues and right/wrong labels."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from pipeline.extract.resolve import FEATURES, FieldModel


def fit_logistic(x: np.ndarray, y: np.ndarray, *, l2: float = 1.0, iterations: int = 50) -> np.ndarray:
    """L2-regularised logistic regression by Newton's method (the bias, column 0, is not regularised)."""
    _n, d = x.shape
    w = np.zeros(d)
    reg = np.full(d, l2)
    reg[0] = 1e-6
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ w, -30, 30)))
        grad = x.T @ (p - y) + reg * w
        hess = (x * (p * (1 - p))[:, None]).T @ x + np.diag(reg)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-6:
            break
    return w


def isotonic(scores: Sequence[float], right: Sequence[bool], *, bins: int = 20) -> tuple[np.ndarray, np.ndarray]:
    """A monotone map score -> share right (pool adjacent violators over score-sorted points), as knots."""
    order = np.argsort(scores)
    s = np.asarray(scores, float)[order]
    r = np.asarray(right, float)[order]
    blocks: list[list[float]] = []  # [sum right, count, min score, max score]
    for si, ri in zip(s, r, strict=True):
        blocks.append([ri, 1.0, si, si])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] >= blocks[-1][0] / blocks[-1][1]:
            a, b = blocks[-2], blocks.pop()
            a[0] += b[0]
            a[1] += b[1]
            a[3] = b[3]
    xs: list[float] = []
    ys: list[float] = []
    for total, count, lo, hi in blocks:
        level = total / count
        xs += [lo, hi]
        ys += [level, level]
    if len(xs) > 2 * bins:  # keep the map small: sample it
        grid = np.linspace(s[0], s[-1], 2 * bins)
        return grid, np.interp(grid, xs, ys)
    return np.asarray(xs), np.asarray(ys)


def train_model(x: np.ndarray, y: np.ndarray, *, l2: float = 0.3) -> FieldModel:
    assert x.shape[1] == len(FEATURES)
    return FieldModel(weights=fit_logistic(x, y, l2=l2), calib_x=np.array([]), calib_y=np.array([]))
