from __future__ import annotations

import os
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
