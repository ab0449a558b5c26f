"""Train the story-start scorer and write transforms/models/segmenter.json.

    .venv/bin/python -m bench.train_segmenter

Deterministic: the set is built with a fixed seed (bench/segment_set.py) and scikit-learn's
LogisticRegression with the lbfgs solver has no randomness. Examples are exactly what parse weighs
at run time: the candidate paragraphs (transforms.segment.is_candidate) of each run of each file,
each with the story it would belong to starting at the labelled start before it (at run time: the
start the model decided before it).

The model (version 8: version 7's evidence with `?` and `!` weighed apart and `next_opens_short`,
fitted on a set whose web and feature stories ask the reader questions in the body, and on the
candidates left by session 10's rules: no full stop where the run's headline has none, no opening
that joins a line to the story above) is a logistic regression over the features and the products of each
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
"""

from __future__ import annotations

import json

import numpy as np
from sklearn.linear_model import LogisticRegression

from bench.segment_set import FILES_PER_FAMILY, HELD_OUT, SEED, TUNING, load
from transforms.parse import dateline_of, is_furniture, runs
from transforms.segment import (MODEL_FILE, VOCABULARY_FEATURES, StartModel, is_candidate, partners_of, run_context,
                                start_features, story_start)

VERSION = "8"
C_GRID = (0.03, 0.1, 0.3, 1.0, 3.0)
THRESHOLDS = [round(0.10 + 0.05 * step, 2) for step in range(17)]
# Pooled left-out F1 this close to the best is a tie (round 5 and 6: the surface is flat over wide
# ranges of threshold); the hand-written fixtures break it.
PLATEAU = 0.002
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


def fit_without(by_family: dict[str, Examples], names: list[str], left_out: str | None, c: float) -> LogisticRegression:
    """Return a logistic regression over the features and their pairs, fitted on every family of
    by_family but `left_out`."""
    features = [x for family, (xs, _) in by_family.items() if family != left_out for x in xs]
    labels = [y for family, (_, ys) in by_family.items() if family != left_out for y in ys]
    return LogisticRegression(C=c, solver="lbfgs", max_iter=20000).fit(with_pairs(features, names), labels)


def left_out_grid(by_family: dict[str, Examples], names: list[str]) -> dict[tuple[float, float], float]:
    """Return the start F1 pooled over the families left out of fitting in turn, by (C, threshold)."""
    grid = {}
    for c in C_GRID:
        probabilities: list[float] = []
        labels: list[int] = []
        for family, (held_features, held_labels) in by_family.items():
            fitted = fit_without(by_family, names, family, c)
            probabilities += fitted.predict_proba(with_pairs(held_features, names))[:, 1].tolist()
            labels += held_labels
        grid |= {(c, threshold): f1(probabilities, labels, threshold) for threshold in THRESHOLDS}
    return grid


def fixture_errors(model: StartModel) -> int:
    """Return the boundaries the model misses or adds on the hand-written fixtures of tests/fixtures/segment/,
    the lead's blind files of session 8 left out (they stay unseen by every choice of the trainer);
    the helpers' files of session 9, on whose errors rules were designed, are read like the other
    tuned fixtures. Session 10's are left out too: half of them were asked for questions in the
    body, far more than news prints, and reading them pulled the threshold up until two families
    fell below 0.98 (docs/QUALITY.md)."""
    from bench.parse_quality import FIXTURE_GROUPS, fixture_sets, model_in_use, score  # parse_quality imports this module

    with model_in_use(model):
        scores = [score(labelled) for group, labelled in fixture_sets().items()
                  if group not in (FIXTURE_GROUPS[3], FIXTURE_GROUPS[5])]
    return sum(found.predicted_starts + found.labelled_starts - 2 * found.true_starts for found in scores)


def choice(grid: dict[tuple[float, float], float], by_family: dict[str, Examples], names: list[str]) -> tuple[float, float]:
    """Return the (C, threshold) with the fewest fixture errors among those within PLATEAU of the best
    pooled left-out F1 (the tuning families cannot tell those apart), the best F1 of a tie."""
    best = max(grid.values())
    plateau = [key for key, value in grid.items() if value >= best - PLATEAU]
    fitted = {c: record_of(fit_without(by_family, names, None, c), names, 0.5) for c in {c for c, _ in plateau}}

    def errors(key: tuple[float, float]) -> int:
        record = fitted[key[0]]
        return fixture_errors(StartModel(dict(zip(names, record["weights"])), partners_of(record["pairs"]),
                                         record["bias"], key[1], "candidate"))

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


def model_without(family: str, by_family: dict[str, Examples], names: list[str], shipped: dict) -> StartModel:
    """Return the story-start model fitted like the shipped one (its record's C and threshold) but
    without `family`'s files."""
    record = record_of(fit_without(by_family, names, family, shipped["C"]), names, shipped["threshold"])
    return StartModel(dict(zip(names, record["weights"])), partners_of(record["pairs"]),
                      record["bias"], shipped["threshold"], f"without {family}")


def train() -> dict:
    """Return the trained model as the JSON-ready record parse loads."""
    names, by_family = family_examples()
    tuning = {family.name: by_family[family.name] for family in TUNING}
    grid = left_out_grid(tuning, names)
    c, threshold = choice(grid, by_family, names)
    labels = [y for _, ys in by_family.values() for y in ys]
    return record_of(fit_without(by_family, names, None, c), names, threshold) | {
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
    record = train()
    MODEL_FILE.parent.mkdir(exist_ok=True)
    MODEL_FILE.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    about = record["training_set"]
    print(f"wrote {MODEL_FILE}: {about['candidates']} candidates, {about['story_starts']} starts, C {record['C']}, "
          f"threshold {record['threshold']} (start F1 {about['left_out_tuning_family_start_f1']} "
          f"on left-out tuning families)")
    for name, weight in sorted(zip(record["features"], record["weights"]), key=lambda pair: -abs(pair[1])):
        print(f"  {name:<28} {weight:+.3f}")


if __name__ == "__main__":
    main()
