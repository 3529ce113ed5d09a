"""`hoso train`: rebuild the document-type classifier from the labelled corpus and reviewers' corrections, and
learn the label variants reviewers taught by filling and moving fields (`learn_labels`, workers/usecases/labels.py).

The labelled corpus is the project's page generator (`synth`), text only: the printed lines of each page,
passed through the kinds of damage OCR does (lost diacritics, confused letters, lines missed under seals
or in small card print). Layout variants and fonts held out here are what `bench/documents.py` tests on.
Corrections are stored by reviewers (table `corrections`) and weigh more than generated pages. The model goes
to the data directory (and object storage on the cluster: workers/usecases/classifier.py), never into the package.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pipeline.classify import MODEL_FILE, TextClassifier, fit
from pipeline.extract.text import fold
from workers.settings import Settings
from workers.stores.records import Records
from workers.usecases import labels
from workers.usecases.classifier import publish

# What the shipped model is trained on; the benchmark uses the rest.
TRAIN_FONTS = ("liberation-serif", "liberation-sans", "dejavu-serif", "dejavu-sans")
TRAIN_VARIANTS = (0, 1)  # layout variants 2 and up are never trained on

_LOOKALIKE = {
    "o": "0",
    "0": "o",
    "l": "1",
    "1": "l",
    "i": "l",
    "e": "c",
    "c": "e",
    "n": "m",
    "m": "rn",
    "h": "b",
    "u": "v",
    "a": "á",
    "ê": "é",
    "ơ": "o",
    "ư": "u",
    "đ": "d",
    "S": "5",
    "B": "8",
}


@dataclass(frozen=True)
class Example:
    text: str
    label: str


def ocr_noise(text: str, rng: random.Random, level: float) -> str:
    """Text damaged the way OCR damages it, `level` 0 (clean) to 1 (bad photocopy)."""
    out_lines = []
    for line in text.splitlines():
        if rng.random() < 0.15 * level:
            continue  # a line not read at all
        words = []
        for word in line.split():
            if rng.random() < 0.2 * level:
                word = fold(word) if word.islower() else fold(word).upper()
            chars = []
            for ch in word:
                r = rng.random()
                if r < 0.03 * level:
                    continue
                if r < 0.08 * level:
                    chars.append(_LOOKALIKE.get(ch, ch))
                else:
                    chars.append(ch)
            words.append("".join(chars))
        out_lines.append(" ".join(words))
    return "\n".join(out_lines)


def synthetic_corpus(docs_per_type: int = 24, seed: int = 1000) -> list[Example]:
    import synth

    rng = random.Random(seed)
    examples: list[Example] = []
    for doc_type in synth.DOC_TYPES:
        variants = [v for v in TRAIN_VARIANTS if v < synth.VARIANTS[doc_type]]
        for i in range(docs_per_type):
            _doc, pages = synth.make_document(
                doc_type,
                seed=seed + 7919 * i + 104729 * synth.DOC_TYPES.index(doc_type),
                dpi=50,
                defects="none",
                seal=False,
                variant=variants[i % len(variants)],
                font=TRAIN_FONTS[i % len(TRAIN_FONTS)],
            )
            for page in pages:
                text = "\n".join(page.lines)
                examples.append(Example(text, doc_type))
                examples.append(Example(ocr_noise(text, rng, 0.5), doc_type))
                examples.append(Example(ocr_noise(text, rng, 1.0), doc_type))
    return examples


def fit_model(
    corrections: Iterable[Example] = (), *, docs_per_type: int = 24
) -> tuple[TextClassifier, dict[str, float]]:
    """A model trained on the generated corpus and the corrections, with figures about it."""
    t0 = time.perf_counter()
    examples = synthetic_corpus(docs_per_type)
    fixed = list(corrections)
    # A reviewer's correction is worth several generated pages.
    examples += fixed * 5
    model = fit([e.text for e in examples], [e.label for e in examples])
    return model, {
        "examples": float(len(examples)),
        "corrections": float(len(fixed)),
        "features": float(len(model.vocab)),
        "seconds": time.perf_counter() - t0,
    }


def train(corrections: Iterable[Example] = (), *, docs_per_type: int = 24, out: Path) -> dict[str, float]:
    """Train and write the model to `out` only (`hoso train --out`, tests)."""
    model, stats = fit_model(corrections, docs_per_type=docs_per_type)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    tmp.write_text(model.to_json(), encoding="utf-8")
    tmp.replace(out)
    return stats


def retrain(
    settings: Settings, corrections: Iterable[Example] = (), *, docs_per_type: int = 24, out: Path | None = None
) -> tuple[dict[str, float], list[str]]:
    """`hoso train`: train, then write the model where every process picks it up (or to `out` alone);
    the figures and the places written."""
    model, stats = fit_model(corrections, docs_per_type=docs_per_type)
    return stats, publish(settings, model, out=out)


def load_model(path: Path = MODEL_FILE) -> TextClassifier:
    return TextClassifier.load(path)


@dataclass(frozen=True)
class LearnedLabels:
    """What `learn_labels` learned ({type: {field: [{"label", "corrections", "dossiers"}]}}) and where it went."""

    learned: labels.Learned
    places: list[str]
    sightings: int  # reviewers' field corrections with a printed label beside their value

    def report(self) -> str:
        """`hoso train`'s lines about them: how many variants per type and field, and each one."""
        total = sum(len(vs) for fields in self.learned.values() for vs in fields.values())
        lines = [
            f"learned {total} label variant{'s' if total != 1 else ''} from {self.sightings} reviewers' field "
            f"corrections (kept when seen in {labels.MIN_DOSSIERS}+ dossiers) -> {', '.join(self.places)}"
        ]
        for t, fields in sorted(self.learned.items()):
            for f, vs in sorted(fields.items()):
                shown = ", ".join(f"{v['label']!r} ({v['dossiers']} dossiers)" for v in vs)
                lines.append(f"  {t}.{f}: {len(vs)}: {shown}")
        return "\n".join(lines)


def learn_labels(
    settings: Settings,
    records: Records | None = None,
    *,
    min_dossiers: int = labels.MIN_DOSSIERS,
    out_dir: Path | None = None,
) -> LearnedLabels:
    """`hoso train`'s label part: the variants in every dossier's field corrections (the records given, else
    the settings' database when there is one), written to `<data dir>/models/labels.json` and object storage
    (or to `out_dir` alone). Written also when nothing is learned, so variants whose corrections are gone go."""
    found: list[labels.Sighting] = []
    if records is not None:
        found = labels.sightings(records)
    elif settings.database_url or (settings.data_dir / "hoso.db").exists():
        own = Records(settings.db_url)
        try:
            found = labels.sightings(own)
        finally:
            own.close()
    learned = labels.learn(found, min_dossiers=min_dossiers)
    places = labels.publish(settings, learned, out=out_dir / "labels.json" if out_dir is not None else None)
    return LearnedLabels(learned, places, len(found))
