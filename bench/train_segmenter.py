"""Train the story-start scorer and write transforms/models/segmenter.json.

    .venv/bin/python -m bench.train_segmenter

Deterministic: the set is built with a fixed seed (bench/segment_set.py), scikit-learn's
LogisticRegression with the lbfgs solver has no randomness, and the threshold is the one of a
fixed grid that gives the best start F1 on the training families. Only the TRAINING families
are read; HELD_OUT families are for bench/parse_quality. Examples are exactly what parse weighs
at run time: the candidate paragraphs (transforms.segment.is_candidate) of each run of each file.
"""

from __future__ import annotations

import json

from sklearn.linear_model import LogisticRegression

from bench.segment_set import FILES_PER_FAMILY, SEED, TRAINING, load
from transforms.parse import dateline_of, is_furniture, runs
from transforms.segment import MODEL_FILE, is_candidate, run_context, start_features

VERSION = "1"
C = 1.0
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


def best_threshold(probabilities: list[float], labels: list[int]) -> float:
    """Return the grid threshold with the best F1 of start decisions on the training examples."""
    def f1(threshold: float) -> float:
        said = [p >= threshold for p in probabilities]
        true = sum(s and y for s, y in zip(said, labels))
        return 2 * true / (sum(said) + sum(labels)) if said else 0.0
    return max(THRESHOLDS, key=lambda t: (f1(t), -abs(t - 0.5)))


def train() -> dict:
    """Return the trained model as the JSON-ready record parse loads."""
    rows = [row for row in load() if not row["held_out"]]
    names, features, labels = examples(rows)
    model = LogisticRegression(C=C, solver="lbfgs", max_iter=5000).fit(features, labels)
    probabilities = model.predict_proba(features)[:, 1].tolist()
    return {
        "version": VERSION,
        "kind": "logistic regression over transforms.segment.start_features",
        "features": names,
        "weights": [round(float(w), 6) for w in model.coef_[0]],
        "bias": round(float(model.intercept_[0]), 6),
        "threshold": best_threshold(probabilities, labels),
        "training_set": {
            "built_by": "bench/segment_set.py from Reuters-21578 stories",
            "seed": SEED,
            "families": [family.name for family in TRAINING],
            "files": len(rows),
            "files_per_family": FILES_PER_FAMILY,
            "candidates": len(labels),
            "story_starts": sum(labels),
            "C": C,
        },
    }


def main() -> None:
    record = train()
    MODEL_FILE.parent.mkdir(exist_ok=True)
    MODEL_FILE.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {MODEL_FILE}: {record['training_set']['candidates']} candidates, "
          f"{record['training_set']['story_starts']} starts, threshold {record['threshold']}")
    for name, weight in sorted(zip(record["features"], record["weights"]), key=lambda pair: -abs(pair[1])):
        print(f"  {name:<28} {weight:+.3f}")


if __name__ == "__main__":
    main()
