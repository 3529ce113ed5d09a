from __future__ import annotations

import os
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

from pipeline.ocr import OcrEngine
from schemas.settings import PipelineSettings
from workers.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
RESOURCES = Path(__file__).with_name("resources")


def shared(*parts: str) -> Path:
    """A file from ../shared/data, or skip the test saying what is missing."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"shared data absent: {path} (see README.md, 'Tests and their data')")
    return path


def recall(truth_lines: tuple[str, ...], text: str) -> float:
    """Fraction of the truth's words (dotted leaders left out) found in `text`, each found once."""
    want = [w.strip(".,:;()") for line in truth_lines for w in line.split()]
    want = [w for w in want if w and not set(w) <= set("._…")]
    got: dict[str, int] = {}
    for w in unicodedata.normalize("NFC", text).split():
        w = w.strip(".,:;()")
        got[w] = got.get(w, 0) + 1
    hit = 0
    for w in want:
        if got.get(w, 0) > 0:
            got[w] -= 1
            hit += 1
    return hit / max(len(want), 1)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark by place: tests/cluster/ start servers (`cluster`), the browser tests drive chromium (`browser`)."""
    for item in items:
        parts = Path(str(item.fspath)).relative_to(ROOT).parts
        if parts[:2] == ("tests", "cluster"):
            item.add_marker(pytest.mark.cluster)
        if parts[-1] == "test_browser.py":
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def pipeline_settings() -> PipelineSettings:
    return PipelineSettings()


@pytest.fixture(scope="session")
def engine(pipeline_settings: PipelineSettings) -> Iterator[OcrEngine]:
    eng = OcrEngine(pipeline_settings.lang, pipeline_settings.tessdata)
    yield eng
    eng.close()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", jobs=1)
