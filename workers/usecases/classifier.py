"""Where the document-type classifier lives, and which one is current.

`hoso train` writes a retrained model to `<data dir>/models/classifier.json` and, on the cluster, also puts it
to object storage under `models/classifier.json`, where every machine finds it. A stage asks `current()` for
the model just before it classifies: the object store's model (cluster), else the data directory's, else the
one shipped in the package. A model is parsed again only when it has changed (the file's inode, mtime and
size; the object's ETag, looked up at most every `CHECK_EVERY_S` seconds), so a long-running process — the web
app, a worker, the watcher — uses a retrained model within seconds, without a restart.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.classify import MODEL_FILE, TextClassifier, load_cached
from schemas.errors import StorageUnavailable
from workers.settings import Settings
from workers.stores.objects import ObjectStore, make_store, write_atomic

log = logging.getLogger(__name__)

MODEL_KEY = "models/classifier.json"
CHECK_EVERY_S = 5.0  # object storage: how stale the model may be, against one HEAD request per stage


def model_path(settings: Settings) -> Path:
    """Where `hoso train` writes the model on this machine."""
    return settings.data_dir / "models" / "classifier.json"


def publish(settings: Settings, model: TextClassifier, *, out: Path | None = None) -> list[str]:
    """Write the model where every process finds it; the places written (a path, then an object key)."""
    import io

    data = model.to_json().encode("utf-8")
    dest = out or model_path(settings)
    dest.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(dest, io.BytesIO(data))
    places = [str(dest)]
    if out is None and settings.s3 is not None:
        make_store(settings).put_bytes(MODEL_KEY, data, "application/json")
        places.append(f"s3://{settings.s3.bucket}/{MODEL_KEY}")
    return places


@dataclass
class _StoredModel:
    """The object store's model as last seen: its ETag, when that was looked up, the model parsed."""

    store: ObjectStore
    etag: str | None = None
    checked_at: float = float("-inf")
    model: TextClassifier | None = field(default=None, repr=False)

    def get(self) -> TextClassifier | None:
        now = time.monotonic()
        if now - self.checked_at < CHECK_EVERY_S:
            return self.model
        try:
            etag = self.store.version(MODEL_KEY)
            if etag is not None and etag != self.etag:
                self.model = TextClassifier.from_json(self.store.get_bytes(MODEL_KEY).decode("utf-8"))
                log.info("classifier loaded from object storage (ETag %s)", etag)
            elif etag is None:
                self.model = None
            self.etag = etag
        except (StorageUnavailable, FileNotFoundError) as exc:
            if self.model is None:
                raise
            log.warning("object storage did not answer (%s): the classifier loaded before is kept", exc)
        self.checked_at = now
        return self.model


_stored: dict[tuple[object, ...], _StoredModel] = {}


def current(settings: Settings, *, store: ObjectStore | None = None) -> TextClassifier:
    """The classifier to use now (see the module's docstring for which)."""
    if settings.s3 is not None or store is not None:
        key = (settings.s3, id(store))
        stored = _stored.get(key)
        if stored is None:
            stored = _stored[key] = _StoredModel(store or make_store(settings))
        model = stored.get()
        if model is not None:
            return model
    local = model_path(settings)
    return load_cached(local if local.is_file() else MODEL_FILE)
