"""Train the story-start scorer and write transforms/models/segmenter.json.

    .venv/bin/python -m bench.train_segmenter

Deterministic: the set is built with a fixed seed (bench/segment_set.py) and scikit-learn's
LogisticRegression with the lbfgs solver has no randomness. Examples are exactly what parse weighs
at run time: the candidate paragraphs (transforms.segment.is_candidate) of each run of each file,
each with the story it would belong to starting at the labelled start before it (at run time: the
start the model decided before it).

The model (version 5) is a logistic regression over the features and the products of each
vocabulary feature with every other feature (`pairs`): a linear model cannot say "a short line is a
headline when the gap above is wide AND the paragraph under it opens a new subject"; the products
can. All pairwise products (PolynomialFeatures(interaction_only=True)) scored higher still on the
left-out families but lost headlines of the hand-written fixtures (docs/QUALITY.md, round 6).

The regularisation C and the decision threshold are chosen for layouts the model has not seen,
on the TUNING families only: leave one tuning family out, fit on the other tuning families, score
the family left out, giving the start F1 pooled over the left-out families for each (C, threshold)
of fixed grids. Those within PLATEAU of the best are a tie for the tuning families; of them, the one
that misses or adds the fewest boundaries on the hand-written fixtures (tests/fixtures/segment/,
which are therefore tuned-on material) wins. The HELD_OUT families take no part in that choice. The shipped model is
then fitted with that C on ALL families. bench/parse_quality scores each family with a model
fitted (same C and threshold) on every family but that one (`model_without`), so every family's
figure is for a layout the model that scored it never saw.

    .venv/bin/python -m bench.train_segmenter --trees

fits shallow gradient-boosted trees (`TREES`, scikit-learn's HistGradientBoostingClassifier, fixed
seed) over the same features instead, with no pairs (a path down a tree is an interaction), the
threshold chosen the same way; transforms.segment.TreeModel evaluates them (round 7a in
docs/QUALITY.md: not shipped).
"""

from __future__ import annotations

import argparse
import json

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression

from bench.segment_set import FILES_PER_FAMILY, HELD_OUT, SEED, TUNING, load
from transforms.parse import dateline_of, is_furniture, runs
from transforms.segment import (MODEL_FILE, VOCABULARY_FEATURES, StartModel, TreeModel, is_candidate, model_of,
                                run_context, start_features, story_start)

VERSION = "5"
C_GRID = (0.03, 0.1, 0.3, 1.0, 3.0)
THRESHOLDS = [round(0.10 + 0.05 * step, 2) for step in range(17)]
# Pooled left-out F1 this close to the best is a tie (round 5 and 6: the surface is flat over wide
# ranges of threshold); the hand-written fixtures break it.
PLATEAU = 0.002
# The trees of `--trees`: depth 3 (8 leaves), 100 trees, shrinkage 0.1, at least 40 candidates a leaf.
TREES = {"max_depth": 3, "max_iter": 100, "learning_rate": 0.1, "min_samples_leaf": 40}
TREES_VERSION = "7a-trees"
Examples = tuple[list[list[float]], list[int]]


def examples(rows: list[dict]) -> tuple[list[str], list[list[float]], list[int]]:
    """Return (feature names, feature rows, labels: 1 where a story starts) over the files' candidates."""
    names: list[str] = []
    features: list[list[float]] = []
    labels: list[int] = []
    for row in rows:
        starts = {article["first_line"] for article in row["articles"]}
        for run in runs(row["text"]):
            datelines = [dateline_of(para.text) is not None for para in run]
            context = run_context(run, datelines, is_furniture)
            labelled = [index for index, para in enumerate(run) if para.first_line in starts]
            for index in range(2, len(run)):  # as learned_starts: a run's second paragraph never starts a story
                if is_candidate(run, index, context, is_furniture):
                    found = start_features(run, index, context, story_start(index, labelled, context))
                    names = names or list(found)
                    features.append([found[name] for name in names])
                    labels.append(int(run[index].first_line in starts))
    return names, features, labels


def family_examples() -> tuple[list[str], dict[str, Examples]]:
    """Return the feature names and each family's examples, tuning families first."""
    rows = load()
    by_family: dict[str, Examples] = {}
    names: list[str] = []
    for family in TUNING + HELD_OUT:
        names, features, labels = examples([row for row in rows if row["family"] == family.name])
        by_family[family.name] = (features, labels)
    return names, by_family


def f1(probabilities: list[float], labels: list[int], threshold: float) -> float:
    """Return the F1 of the start decisions `probability >= threshold`."""
    said = [p >= threshold for p in probabilities]
    true = sum(s and y for s, y in zip(said, labels))
    return 2 * true / (sum(said) + sum(labels)) if said else 0.0


def pairs(names: list[str]) -> list[tuple[int, int]]:
    """Return the pairs of features (indexes into names, in order) whose product the model weighs:
    every pair with a vocabulary feature in it."""
    return [(first, second) for first in range(len(names)) for second in range(first + 1, len(names))
            if names[first] in VOCABULARY_FEATURES or names[second] in VOCABULARY_FEATURES]


def with_pairs(features: list[list[float]], names: list[str]) -> np.ndarray:
    """Return the feature rows followed by the products of `pairs`."""
    rows = np.array(features)
    return np.hstack([rows] + [rows[:, [first]] * rows[:, [second]] for first, second in pairs(names)])


def training(by_family: dict[str, Examples], left_out: str | None) -> Examples:
    """Return the examples of every family of by_family but `left_out`."""
    features = [x for family, (xs, _) in by_family.items() if family != left_out for x in xs]
    labels = [y for family, (_, ys) in by_family.items() if family != left_out for y in ys]
    return features, labels


def fit_without(by_family: dict[str, Examples], names: list[str], left_out: str | None, c: float) -> LogisticRegression:
    """Return a logistic regression over the features and their pairs, fitted on every family of
    by_family but `left_out`."""
    features, labels = training(by_family, left_out)
    return LogisticRegression(C=c, solver="lbfgs", max_iter=20000).fit(with_pairs(features, names), labels)


def trees_without(by_family: dict[str, Examples], left_out: str | None, **params) -> HistGradientBoostingClassifier:
    """Return gradient-boosted trees (TREES, or `params`) over the features, fitted on every family
    of by_family but `left_out`."""
    features, labels = training(by_family, left_out)
    return HistGradientBoostingClassifier(early_stopping=False, random_state=0, **(params or TREES)).fit(
        np.array(features), labels)


def left_out_probabilities(by_family: dict[str, Examples], names: list[str], family: str, c: float | None) -> list[float]:
    """Return the start probabilities of `family`'s candidates by a model fitted without it: the
    trees when c is None, else the logistic regression with that C."""
    held = by_family[family][0]
    if c is None:
        return trees_without(by_family, family).predict_proba(np.array(held))[:, 1].tolist()
    return fit_without(by_family, names, family, c).predict_proba(with_pairs(held, names))[:, 1].tolist()


def left_out_grid(by_family: dict[str, Examples], names: list[str], trees: bool = False) -> dict[tuple, float]:
    """Return the start F1 pooled over the families left out of fitting in turn, by (C, threshold)
    (C None for the trees)."""
    grid = {}
    for c in (None,) if trees else C_GRID:
        probabilities: list[float] = []
        labels: list[int] = []
        for family, (_, held_labels) in by_family.items():
            probabilities += left_out_probabilities(by_family, names, family, c)
            labels += held_labels
        grid |= {(c, threshold): f1(probabilities, labels, threshold) for threshold in THRESHOLDS}
    return grid


def fixture_errors(model: StartModel | TreeModel) -> int:
    """Return the boundaries the model misses or adds on the hand-written fixtures of tests/fixtures/segment/."""
    from bench.parse_quality import fixture_sets, model_in_use, score  # parse_quality imports this module

    with model_in_use(model):
        scores = [score(labelled) for labelled in fixture_sets().values()]
    return sum(found.predicted_starts + found.labelled_starts - 2 * found.true_starts for found in scores)


def choice(grid: dict[tuple[float, float], float], by_family: dict[str, Examples], names: list[str]) -> tuple[float, float]:
    """Return the (C, threshold) with the fewest fixture errors among those within PLATEAU of the best
    pooled left-out F1 (the tuning families cannot tell those apart), the best F1 of a tie."""
    best = max(grid.values())
    plateau = [key for key, value in grid.items() if value >= best - PLATEAU]
    fitted = {c: fitted_record(by_family, names, None, c) for c in {c for c, _ in plateau}}

    def errors(key: tuple) -> int:
        return fixture_errors(model_of(fitted[key[0]] | {"threshold": key[1], "version": "candidate"}))

    return min(plateau, key=lambda key: (errors(key), -grid[key]))


def record_of(model: LogisticRegression, names: list[str], threshold: float) -> dict:
    """Return the JSON-ready record of a fitted model, as transforms.segment.load_model reads it:
    a weight per feature, and a weight per pair of features [first, second, weight] (in names' order;
    a pair whose weight rounds to 0, such as two features never both non-zero, is left out)."""
    weights = [round(float(weight), 6) for weight in model.coef_[0]]
    paired = [[names[first], names[second], weight]
              for (first, second), weight in zip(pairs(names), weights[len(names):]) if weight]
    return {
        "version": VERSION,
        "kind": "logistic regression over transforms.segment.start_features and their pairs with a vocabulary feature",
        "features": names,
        "weights": weights[:len(names)],
        "pairs": paired,
        "bias": round(float(model.intercept_[0]), 6),
        "threshold": threshold,
    }


def trees_record(model: HistGradientBoostingClassifier, names: list[str], threshold: float) -> dict:
    """Return the JSON-ready record of fitted trees, as transforms.segment.TreeModel reads them:
    each tree complete to TREES' depth in heap order (a leaf shallower than that is repeated below
    a split on the first feature, whose two sides then hold the same value)."""
    splits = 2 ** TREES["max_depth"] - 1
    features, thresholds, leaves = [], [], []
    for (predictor,) in model._predictors:  # one tree per iteration for a binary classifier
        nodes = predictor.nodes
        feature, cut, leaf = [0] * splits, [0.0] * splits, [0.0] * (splits + 1)

        def place(node: int, at: int) -> None:
            if at >= splits:
                leaf[at - splits] = round(float(nodes[node]["value"]), 9)
                return
            if not nodes[node]["is_leaf"]:
                feature[at], cut[at] = int(nodes[node]["feature_idx"]), float(nodes[node]["num_threshold"])
            place(node if nodes[node]["is_leaf"] else int(nodes[node]["left"]), 2 * at + 1)
            place(node if nodes[node]["is_leaf"] else int(nodes[node]["right"]), 2 * at + 2)

        place(0, 0)
        features.append(feature)
        thresholds.append(cut)
        leaves.append(leaf)
    return {
        "version": TREES_VERSION,
        "evaluator": "trees",
        "kind": "gradient-boosted trees over transforms.segment.start_features (scikit-learn "
                f"HistGradientBoostingClassifier, {TREES})",
        "features": names,
        "trees": {"features": features, "thresholds": thresholds, "leaves": leaves},
        "baseline": float(model._baseline_prediction.ravel()[0]),
        "threshold": threshold,
    }


def fitted_record(by_family: dict[str, Examples], names: list[str], left_out: str | None, c: float | None) -> dict:
    """Return the record of a model fitted without `left_out` (threshold 0.5): the trees when c is
    None, else the logistic regression with that C."""
    if c is None:
        return trees_record(trees_without(by_family, left_out), names, 0.5)
    return record_of(fit_without(by_family, names, left_out, c), names, 0.5)


def model_without(family: str, by_family: dict[str, Examples], names: list[str],
                  shipped: dict) -> StartModel | TreeModel:
    """Return the story-start model fitted like the shipped one (trees, or its record's C; its
    threshold) but without `family`'s files."""
    c = None if shipped.get("evaluator") == "trees" else shipped["C"]
    return model_of(fitted_record(by_family, names, family, c) | {"threshold": shipped["threshold"],
                                                                   "version": f"without {family}"})


def train(trees: bool = False) -> dict:
    """Return the trained model (the trees when `trees`) as the JSON-ready record parse loads."""
    names, by_family = family_examples()
    tuning = {family.name: by_family[family.name] for family in TUNING}
    grid = left_out_grid(tuning, names, trees)
    c, threshold = choice(grid, by_family, names)
    labels = [y for _, ys in by_family.values() for y in ys]
    return fitted_record(by_family, names, None, c) | {
        "threshold": threshold,
        "C": c,
        "training_set": {
            "built_by": "bench/segment_set.py from Reuters-21578 stories and bench/segment_material.py",
            "seed": SEED,
            "families": list(by_family),
            "tuning_families": list(tuning),
            "held_out_of_tuning": [family.name for family in HELD_OUT],
            "files_per_family": FILES_PER_FAMILY,
            "candidates": len(labels),
            "story_starts": sum(labels),
            "left_out_tuning_family_start_f1": round(grid[c, threshold], 4),
            "best_left_out_tuning_family_start_f1": round(max(grid.values()), 4),
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description="Train the story-start scorer and write " + str(MODEL_FILE))
    parser.add_argument("--trees", action="store_true", help="gradient-boosted trees instead of the logistic regression")
    record = train(parser.parse_args().trees)
    MODEL_FILE.parent.mkdir(exist_ok=True)
    MODEL_FILE.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    about = record["training_set"]
    print(f"wrote {MODEL_FILE}: {about['candidates']} candidates, {about['story_starts']} starts, C {record['C']}, "
          f"threshold {record['threshold']} (start F1 {about['left_out_tuning_family_start_f1']} "
          f"on left-out tuning families)")
    for name, weight in sorted(zip(record["features"], record.get("weights", [])), key=lambda pair: -abs(pair[1])):
        print(f"  {name:<28} {weight:+.3f}")


if __name__ == "__main__":
    main()
