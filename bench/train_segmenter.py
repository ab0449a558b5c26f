"""Train the story-start scorer and write transforms/models/segmenter.json.

    .venv/bin/python -m bench.train_segmenter

Deterministic: the set is built with a fixed seed (bench/segment_set.py) and scikit-learn's
LogisticRegression with the lbfgs solver has no randomness. Only the TRAINING families are read;
HELD_OUT families are for bench/parse_quality. Examples are exactly what parse weighs at run
time: the candidate paragraphs (transforms.segment.is_candidate) of each run of each file.

The regularisation C and the decision threshold are chosen for layouts the model has not seen:
leave one training family out, fit on the others, score the family left out; the (C, threshold)
of fixed grids with the best start F1 pooled over the left-out families wins, and the shipped
model is then fitted on all training families with that C.
"""

from __future__ import annotations

import json

from sklearn.linear_model import LogisticRegression

from bench.segment_set import FILES_PER_FAMILY, SEED, TRAINING, load
from transforms.parse import dateline_of, is_furniture, runs
from transforms.segment import MODEL_FILE, is_candidate, run_context, start_features

VERSION = "1"
C_GRID = (0.1, 0.3, 1.0, 3.0)
THRESHOLDS = [round(0.10 + 0.05 * step, 2) for step in range(17)]


def examples(rows: list[dict]) -> tuple[list[str], list[list[float]], list[int]]:
    """Return (feature names, feature rows, labels: 1 where a story starts) over the files' candidates."""
    names: list[str] = []
    features: list[list[float]] = []
    labels: list[int] = []
    for row in rows:
        starts = {article["first_line"] for article in row["articles"]}
        for run in runs(row["text"]):
            datelines = [dateline_of(para.text) is not None for para in run]
            context = run_context(run, datelines)
            for index in range(1, len(run)):
                if is_candidate(run, index, datelines, is_furniture):
                    found = start_features(run, index, context)
                    names = names or list(found)
                    features.append([found[name] for name in names])
                    labels.append(int(run[index].first_line in starts))
    return names, features, labels


def f1(probabilities: list[float], labels: list[int], threshold: float) -> float:
    """Return the F1 of the start decisions `probability >= threshold`."""
    said = [p >= threshold for p in probabilities]
    true = sum(s and y for s, y in zip(said, labels))
    return 2 * true / (sum(said) + sum(labels)) if said else 0.0


def fit(features: list[list[float]], labels: list[int], c: float) -> LogisticRegression:
    return LogisticRegression(C=c, solver="lbfgs", max_iter=5000).fit(features, labels)


def left_out_choice(by_family: dict[str, tuple[list[list[float]], list[int]]]) -> tuple[float, float, float]:
    """Return (C, threshold, pooled F1) that do best on training families left out of fitting in turn."""
    best = (0.0, 0.0, -1.0)
    for c in C_GRID:
        probabilities: list[float] = []
        labels: list[int] = []
        for family, (held_features, held_labels) in by_family.items():
            rest = [(x, y) for other, (xs, ys) in by_family.items() if other != family for x, y in zip(xs, ys)]
            model = fit([x for x, _ in rest], [y for _, y in rest], c)
            probabilities += model.predict_proba(held_features)[:, 1].tolist()
            labels += held_labels
        for threshold in THRESHOLDS:
            score = f1(probabilities, labels, threshold)
            if score > best[2] + 1e-9:
                best = (c, threshold, score)
    return best


def train() -> dict:
    """Return the trained model as the JSON-ready record parse loads."""
    rows = [row for row in load() if not row["held_out"]]
    by_family = {}
    names: list[str] = []
    for family in TRAINING:
        names, features, labels = examples([row for row in rows if row["family"] == family.name])
        by_family[family.name] = (features, labels)
    c, threshold, left_out_f1 = left_out_choice(by_family)
    features = [x for xs, _ in by_family.values() for x in xs]
    labels = [y for _, ys in by_family.values() for y in ys]
    model = fit(features, labels, c)
    return {
        "version": VERSION,
        "kind": "logistic regression over transforms.segment.start_features",
        "features": names,
        "weights": [round(float(w), 6) for w in model.coef_[0]],
        "bias": round(float(model.intercept_[0]), 6),
        "threshold": threshold,
        "training_set": {
            "built_by": "bench/segment_set.py from Reuters-21578 stories",
            "seed": SEED,
            "families": [family.name for family in TRAINING],
            "files": len(rows),
            "files_per_family": FILES_PER_FAMILY,
            "candidates": len(labels),
            "story_starts": sum(labels),
            "C": c,
            "left_out_family_start_f1": round(left_out_f1, 4),
        },
    }


def main() -> None:
    record = train()
    MODEL_FILE.parent.mkdir(exist_ok=True)
    MODEL_FILE.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    about = record["training_set"]
    print(f"wrote {MODEL_FILE}: {about['candidates']} candidates, {about['story_starts']} starts, C {about['C']}, "
          f"threshold {record['threshold']} (start F1 {about['left_out_family_start_f1']} on left-out training families)")
    for name, weight in sorted(zip(record["features"], record["weights"]), key=lambda pair: -abs(pair[1])):
        print(f"  {name:<28} {weight:+.3f}")


if __name__ == "__main__":
    main()
