"""Document type of a page from its OCR text: a linear model on word n-grams, as Paperless-ngx does.

Words are folded (lower case, no diacritics) so that OCR slips in diacritics do not matter; unigrams and
bigrams are weighted by TF-IDF and scored by a multinomial logistic regression. Training uses scikit-learn
(`fit`); the trained model is plain numbers in JSON and is applied with numpy alone. One is shipped with the
package (`pipeline/models/classifier.json`); a retrained one lives in the data directory (workers/usecases/classifier.py
says where), and `load_cached` reads a model file again only when it has changed. Every stage that needs the
classifier is handed one: nothing here decides which model is current.
"""

from __future__ import annotations

import itertools
import json
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from pipeline.extract.text import fold

MODEL_FILE = Path(__file__).with_name("models") / "classifier.json"
_TOKEN = re.compile(r"[a-z0-9]+")


def tokens(text: str) -> list[str]:
    words = [w for w in _TOKEN.findall(fold(text)) if len(w) > 1 or w.isdigit()]
    words = ["#" if w.isdigit() else w for w in words]
    return words + [f"{a} {b}" for a, b in itertools.pairwise(words)]


@dataclass(frozen=True)
class TextClassifier:
    labels: tuple[str, ...]
    vocab: dict[str, int]
    idf: np.ndarray
    coef: np.ndarray  # labels x features
    intercept: np.ndarray

    def vector(self, text: str) -> np.ndarray:
        x = np.zeros(len(self.vocab), dtype=np.float64)
        for tok, n in Counter(tokens(text)).items():
            i = self.vocab.get(tok)
            if i is not None:
                x[i] = 1.0 + np.log(n)
        x *= self.idf
        norm = np.linalg.norm(x)
        return x / norm if norm > 0 else x

    def predict_proba(self, text: str) -> dict[str, float]:
        z = self.coef @ self.vector(text) + self.intercept
        z -= z.max()
        p = np.exp(z)
        p /= p.sum()
        return {label: float(v) for label, v in zip(self.labels, p, strict=True)}

    def to_json(self) -> str:
        return json.dumps(
            {
                "labels": list(self.labels),
                "vocab": self.vocab,
                "idf": np.round(self.idf, 5).tolist(),
                "coef": np.round(self.coef, 5).tolist(),
                "intercept": np.round(self.intercept, 5).tolist(),
            },
            ensure_ascii=False,
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, text: str) -> TextClassifier:
        d = json.loads(text)
        return cls(
            labels=tuple(d["labels"]),
            vocab={k: int(v) for k, v in d["vocab"].items()},
            idf=np.asarray(d["idf"], dtype=np.float64),
            coef=np.asarray(d["coef"], dtype=np.float64),
            intercept=np.asarray(d["intercept"], dtype=np.float64),
        )

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> TextClassifier:
        return cls.from_json(path.read_text(encoding="utf-8"))


_loaded: dict[Path, tuple[tuple[int, int, int], TextClassifier]] = {}


def load_cached(path: Path = MODEL_FILE) -> TextClassifier:
    """The model in `path`, parsed once per version of the file (inode, mtime, size): a model retrained and
    written in place of the old one (a new file renamed over it) is read on the next call."""
    st = path.stat()
    version = (st.st_ino, st.st_mtime_ns, st.st_size)
    hit = _loaded.get(path)
    if hit is not None and hit[0] == version:
        return hit[1]
    model = TextClassifier.load(path)
    _loaded[path] = (version, model)
    return model


def fit(texts: Sequence[str], labels: Sequence[str], *, min_df: int = 2, c: float = 8.0) -> TextClassifier:
    """Train on labelled page texts (needs scikit-learn)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = TfidfVectorizer(analyzer=tokens, sublinear_tf=True, min_df=min_df)
    x = vec.fit_transform(list(texts))
    model = LogisticRegression(C=c, max_iter=2000)
    model.fit(x, list(labels))
    vocab = {str(k): int(v) for k, v in vec.vocabulary_.items()}
    return TextClassifier(
        labels=tuple(str(c) for c in model.classes_),
        vocab=vocab,
        idf=np.asarray(vec.idf_, dtype=np.float64),
        coef=np.asarray(model.coef_, dtype=np.float64),
        intercept=np.asarray(model.intercept_, dtype=np.float64),
    )
