"""On the cluster the retrained classifier travels through object storage (moto's S3 on loopback): `hoso train`
on one machine, a long-running process on another (its own data directory) picks the model up."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.classify import MODEL_FILE, fit, load_cached
from tests.cluster.servers import MotoS3, ServerMissing
from workers.settings import S3Settings, Settings
from workers.stores.objects import make_store
from workers.usecases import classifier as classifiers


@pytest.fixture(scope="module")
def s3() -> Iterator[MotoS3]:
    try:
        server = MotoS3().start()
    except ServerMissing as exc:
        pytest.skip(str(exc))
    try:
        yield server
    finally:
        server.stop()


def test_a_model_trained_on_one_machine_reaches_a_process_on_another_through_s3(
    s3: MotoS3, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bucket = S3Settings(f"127.0.0.1:{s3.port}", "testing", "testing-secret", bucket="hoso-models")
    trainer = Settings(data_dir=tmp_path / "trainer", s3=bucket)
    worker = Settings(data_dir=tmp_path / "worker", s3=bucket)
    clock = [0.0]
    monkeypatch.setattr(classifiers.time, "monotonic", lambda: clock[0])
    assert make_store(worker).version(classifiers.MODEL_KEY) is None
    assert classifiers.current(worker) is load_cached(MODEL_FILE)  # nothing in the bucket: the shipped model

    texts = ["ghi chu trao doi", "ghi chu hen gap", "khai sinh", "giay khai sinh", "can cuoc", "can cuoc so"]
    model = fit(texts, ["diploma"] * 2 + ["birth_certificate"] * 2 + ["cccd"] * 2, min_df=1)
    places = classifiers.publish(trainer, model)
    assert places == [
        str(tmp_path / "trainer" / "models" / "classifier.json"),
        "s3://hoso-models/models/classifier.json",
    ]
    first_tag = make_store(worker).version(classifiers.MODEL_KEY)
    assert first_tag

    clock[0] += classifiers.CHECK_EVERY_S
    seen = classifiers.current(worker)
    assert seen.labels == ("birth_certificate", "cccd", "diploma")
    assert not (tmp_path / "worker" / "models").exists()  # kept in memory, the worker's data dir untouched

    classifiers.publish(trainer, fit(texts, ["other"] * 2 + ["birth_certificate"] * 2 + ["cccd"] * 2, min_df=1))
    assert make_store(worker).version(classifiers.MODEL_KEY) != first_tag
    clock[0] += classifiers.CHECK_EVERY_S
    assert "other" in classifiers.current(worker).labels
