"""Train the story-start scorer and write transforms/models/segmenter.json.

    .venv/bin/python -m bench.train_segmenter

Deterministic: the set is built with a fixed seed (bench/segment_set.py) and scikit-learn's
LogisticRegression with the lbfgs solver has no randomness. Examples are exactly what parse weighs
at run time: the candidate paragraphs (transforms.segment.is_candidate) of each run of each file,
each with the story it would belong to starting at the labelled start before it (at run time: the
start the model decided before it).

The regularisation C and the decision threshold are chosen for layouts the model has not seen,
on the TUNING families only: leave one tuning family out, fit on the other tuning families, score
the family left out; the (C, threshold) of fixed grids with the best start F1 pooled over the
left-out families wins. The HELD_OUT families take no part in that choice. The shipped model is
then fitted with that C on ALL families. bench/parse_quality scores each family with a model
fitted (same C and threshold) on every family but that one (`model_without`), so every family's
figure is for a layout the model that scored it never saw.
"""

from __future__ import annotations

import json

from sklearn.linear_model import LogisticRegression

from bench.segment_set import FILES_PER_FAMILY, HELD_OUT, SEED, TUNING, load
from transforms.parse import dateline_of, is_furniture, runs
from transforms.segment import MODEL_FILE, StartModel, is_candidate, run_context, start_features, story_start

VERSION = "4"
C_GRID = (0.1, 0.3, 1.0, 3.0)
THRESHOLDS = [round(0.10 + 0.05 * step, 2) for step in range(17)]
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


def fit_without(by_family: dict[str, Examples], left_out: str | None, c: float) -> LogisticRegression:
    """Return a logistic regression fitted on every family of by_family but `left_out`."""
    features = [x for family, (xs, _) in by_family.items() if family != left_out for x in xs]
    labels = [y for family, (_, ys) in by_family.items() if family != left_out for y in ys]
    return LogisticRegression(C=c, solver="lbfgs", max_iter=5000).fit(features, labels)


def left_out_choice(by_family: dict[str, Examples]) -> tuple[float, float, float]:
    """Return (C, threshold, pooled F1) that do best on families left out of fitting in turn."""
    best = (0.0, 0.0, -1.0)
    for c in C_GRID:
        probabilities: list[float] = []
        labels: list[int] = []
        for family, (held_features, held_labels) in by_family.items():
            probabilities += fit_without(by_family, family, c).predict_proba(held_features)[:, 1].tolist()
            labels += held_labels
        for threshold in THRESHOLDS:
            score = f1(probabilities, labels, threshold)
            if score > best[2] + 1e-9:
                best = (c, threshold, score)
    return best


def record_of(model: LogisticRegression, names: list[str], threshold: float) -> dict:
    """Return the JSON-ready record of a fitted model, as transforms.segment.load_model reads it."""
    return {
        "version": VERSION,
        "kind": "logistic regression over transforms.segment.start_features",
        "features": names,
        "weights": [round(float(w), 6) for w in model.coef_[0]],
        "bias": round(float(model.intercept_[0]), 6),
        "threshold": threshold,
    }


def model_without(family: str, by_family: dict[str, Examples], names: list[str], shipped: dict) -> StartModel:
    """Return the story-start model fitted like the shipped one (its record's C and threshold) but
    without `family`'s files."""
    record = record_of(fit_without(by_family, family, shipped["C"]), names, shipped["threshold"])
    return StartModel(dict(zip(names, record["weights"])), record["bias"], shipped["threshold"], f"without {family}")


def train() -> dict:
    """Return the trained model as the JSON-ready record parse loads."""
    names, by_family = family_examples()
    tuning = {family.name: by_family[family.name] for family in TUNING}
    c, threshold, left_out_f1 = left_out_choice(tuning)
    labels = [y for _, ys in by_family.values() for y in ys]
    return record_of(fit_without(by_family, None, c), names, threshold) | {
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
            "left_out_tuning_family_start_f1": round(left_out_f1, 4),
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
