#!/usr/bin/env python3
"""Derives the promotion gate's default thresholds from a quality-benchmark results file.

Usage: bench/gate-thresholds.py [bench/results/quality-converged.json]

Utility (retain / test accuracy drop): the spread (max - min) of the retrain oracle's accuracy across the
reported seeds plus the sampling error of the worker's evaluation sample, 1.96 * sqrt(p (1 - p) / n) at
p = the oracle's mean accuracy and the worker's sample sizes (rumstream.eval.retain.sample, the 10,000 test
images).

Under- and over-forgetting: from a file that records θr's per-level figures (the converged profile), the margin
is θr's worst value over the seeds (held-out attack rate minus the HIGH level's; test accuracy minus the LOW
level's accuracy), never below 0: the gate adds each sub-batch's sampling error on top, so the retrained model
passes on every seed. Over-forgetting is then checked at LOW only (MEDIUM's value is printed: test accuracy is no
reference there). From an older file without them, the sampling error of a difference of two rates at
the profile's per-level forget size (provisional).
Every threshold is rounded up to three decimals so that a default is never tighter than its computation.
"""
import json
import math
import statistics
import sys

Z = 1.96
RETAIN_SAMPLE = 10_000  # rumstream.eval.retain.sample
TEST_SET = 10_000  # Fashion-MNIST's test split, measured whole
SHADOW = 2_000  # rumstream.eval.mia.shadow.size: test examples the attack is fitted on
HELD_OUT = TEST_SET - SHADOW  # test examples the held-out attack rate is measured on


def ceil3(x):
    return math.ceil(x * 1000 - 1e-9) / 1000


def sampling_error(p, n):
    return Z * math.sqrt(p * (1 - p) / n)


def difference_error(p, n1, q, n2):
    return Z * math.sqrt(p * (1 - p) / n1 + q * (1 - q) / n2)


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "bench/results/quality-converged.json"
    with open(path) as f:
        data = json.load(f)
    refs = data["references"]
    seeds = [r["seed"] for r in refs]
    params = data["parameters"]
    per_level = params["forgetSize"] // 3  # the "mix" forget set: one third per level
    print(f"source: {path} (profile {params['profile']}, seeds {seeds}, per-level forget size {per_level})")

    limits = {}
    for key, name in (("retain_acc", "retain"), ("test_acc", "test")):
        values = [r["retrain"][key] for r in refs]
        mean = statistics.mean(values)
        spread = max(values) - min(values)
        two_sd = 2 * statistics.stdev(values)
        n = RETAIN_SAMPLE if name == "retain" else TEST_SET
        se = sampling_error(mean, n)
        limits[name] = ceil3(spread + se)
        print(
            f"θr {name} accuracy {values}: mean {mean:.4f}, max-min {spread:.4f} (2·SD {two_sd:.4f}); "
            f"1.96·sqrt(p(1-p)/{n}) = {se:.4f}; max-min + error = {spread + se:.4f}"
        )

    levels = all("levels" in r["retrain"] for r in refs)
    if levels:
        # Measured: what the retrained model itself shows, per level, on every seed. The gate adds each sub-batch's
        # own sampling error on top, so the margin is θr's worst value (never below 0): θr passes on every seed.
        under_values = [r["retrain"]["held_out_mia"] - r["retrain"]["levels"]["HIGH"]["mia"] for r in refs]
        over_by_level = {
            level: [r["retrain"]["test_acc"] - r["retrain"]["levels"][level]["forget_acc"] for r in refs]
            for level in ("LOW", "MEDIUM")
        }
        print(
            f"under-forgetting: θr's held-out attack rate minus its rate on the HIGH level, per seed: "
            f"{[round(v, 4) for v in under_values]}; margin = max(0, worst) = {max(0, max(under_values)):.4f}"
        )
        for level, values in over_by_level.items():
            print(
                f"over-forgetting: θr's test accuracy minus its accuracy on the {level} level, per seed: "
                f"{[round(v, 4) for v in values]}; margin = max(0, worst) = {max(0, max(values)):.4f}"
            )
        # One margin serves every checked level, and at MEDIUM test accuracy is the wrong reference: examples of
        # memorization near 0.5 are right about half the time without training on them (θr's value there is far
        # above 0), so a margin wide enough for MEDIUM would never catch over-forgetting at LOW. The check applies
        # at LOW, with LOW's margin, until a per-level reference exists (gate.md item 3).
        print("over-forgetting is checked at LOW only: MEDIUM needs a reference of its own")
        limits["under"] = ceil3(max(0.0, max(under_values)))
        limits["over"] = ceil3(max(0.0, max(over_by_level["LOW"])))
        limits["over_levels"] = "LOW"
    else:
        mias = [r["retrain"]["mia"] for r in refs]
        forget = [r["retrain"]["forget_acc"] for r in refs]
        print(
            f"θr MIA on S {mias} (spread {max(mias) - min(mias):.3f}: the attack flips between seeds, "
            f"no usable reference); θr accuracy on the whole mixed S {forget} (no per-level figures in the file)"
        )
        under = difference_error(0.5, per_level, 0.5, HELD_OUT)
        test_mean = statistics.mean(r["retrain"]["test_acc"] for r in refs)
        over = difference_error(test_mean, per_level, test_mean, TEST_SET)
        print(
            f"under-forgetting (provisional): 1.96·sqrt(0.25/{per_level} + 0.25/{HELD_OUT}) = {under:.4f} "
            f"(worst-case p = 0.5, {HELD_OUT} held-out = {TEST_SET} test - {SHADOW} shadow)"
        )
        print(
            f"over-forgetting (provisional): θr's value taken as 0 (LOW/MEDIUM classified like test examples); "
            f"1.96·sqrt(p(1-p)/{per_level} + p(1-p)/{TEST_SET}) at p = θr's mean test accuracy "
            f"{test_mean:.4f} = {over:.4f}"
        )
        limits["under"] = ceil3(under)
        limits["over"] = ceil3(over)

    # How the utility limits treat the benchmark's own rows, θo of the same seed as the last promoted version.
    original = {r["seed"]: r for r in data["rows"] if r["algorithm"] == "original"}
    rows = [r for r in data["rows"] if r["algorithm"] != "original"]
    passing = [
        r
        for r in rows
        if original[r["seed"]]["retain_acc"] - r["retain_acc"] <= limits["retain"]
        and original[r["seed"]]["test_acc"] - r["test_acc"] <= limits["test"]
    ]
    failing = sorted({f"{r['algorithm']}/{r['variant']}/seed {r['seed']}" for r in rows if r not in passing})
    print(f"utility checks against θo: {len(passing)} of {len(rows)} rows pass; failing: {', '.join(failing)}")

    print()
    print(f"rumstream.gate.max.retain.drop={limits['retain']}")
    print(f"rumstream.gate.max.test.drop={limits['test']}")
    print(f"rumstream.gate.max.under.forgetting={limits['under']}")
    print(f"rumstream.gate.max.over.forgetting={limits['over']}")
    if "over_levels" in limits:
        print(f"rumstream.gate.over.forgetting.levels={limits['over_levels']}")


if __name__ == "__main__":
    main()
