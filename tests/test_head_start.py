"""`hoso process` on one page reads it in a forked process meanwhile: the same record and objects as without."""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
from pathlib import Path

from PIL import Image

from tests.conftest import ROOT, shared
from workers.runners import embedded, head_start
from workers.settings import Settings
from workers.stores.records import PageTask
from workers.usecases.pages import PageRead


def _page_json(settings: Settings, page: Path, ahead: head_start.HeadStart | None) -> tuple[dict[str, object], bytes]:
    if ahead is not None:
        ahead.send(settings.pipeline, settings.workers)
    result = embedded.process(settings, [page], code="HS-TEST", head_start=ahead)
    record = result.dossier.model_dump(mode="json")
    jpeg = (settings.data_dir / "objects" / "dossiers" / "HS-TEST" / "pages" / "0001.jpg").read_bytes()
    return record, jpeg


def _in_a_fresh_interpreter(name: str, tmp_path: Path) -> None:
    """Run `name` of this module in a new interpreter: a process with threads (an earlier test's) never forks."""
    code = f"import pathlib, tests.test_head_start as t; t.{name}(pathlib.Path({str(tmp_path)!r}))"
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_a_page_read_ahead_gives_the_same_record_and_image_as_one_read_in_place(tmp_path: Path) -> None:
    shutil.copy(shared("tesseract", "phototest-rotated-180.png"), tmp_path / "page.png")
    _in_a_fresh_interpreter("same_record_and_image", tmp_path)


def test_a_page_read_ahead_from_other_content_is_not_taken(tmp_path: Path) -> None:
    shutil.copy(shared("tesseract", "phototest-rotated-180.png"), tmp_path / "page.png")
    _in_a_fresh_interpreter("other_content_not_taken", tmp_path)


def test_a_page_read_ahead_on_two_cores_is_read_by_two_engines_into_the_same_words(tmp_path: Path) -> None:
    import synth

    made = synth.make_page("birth_certificate", seed=5, dpi=300, skew_deg=1.0)
    made.image.convert("L").save(tmp_path / "page.png", dpi=(300, 300))
    _in_a_fresh_interpreter("two_cores_same_words", tmp_path)


def two_cores_same_words(tmp_path: Path) -> None:
    from pipeline import ocr

    # GIVEN a one-page A4 scan, read ahead with two page processes allowed, and read in place with one
    page = tmp_path / "page.png"
    marker = tmp_path / "paired"
    read = ocr.PairedEngine.read

    def spy(self: ocr.PairedEngine, gray: object, dpi: int) -> ocr.OcrResult:
        marker.write_text("read by two engines")  # from the forked process, which inherits this spy
        return read(self, gray, dpi)  # type: ignore[arg-type]

    ocr.PairedEngine.read = spy  # type: ignore[method-assign]
    ahead = head_start.begin([page])
    assert ahead is not None
    with ahead:
        two, _ = _page_json(Settings(data_dir=tmp_path / "a", jobs=2), page, ahead)
    assert marker.exists()
    one, _ = _page_json(Settings(data_dir=tmp_path / "b", jobs=1), page, None)
    # THEN the record read ahead by two engines has the words of the one read in place, in the same places
    # (a page cut in two and its lower half's words not brought back to the page's rows would fail this)
    words = [(w["text"], tuple(w["box"])) for w in one["pages"][0]["words"]]  # type: ignore[index]
    got = [(w["text"], tuple(w["box"])) for w in two["pages"][0]["words"]]  # type: ignore[index]
    same = [g for g in got if any(t == g[0] and _near(box, g[1]) for t, box in words)]
    assert len(same) >= 0.9 * len(got) and len(got) >= 0.9 * len(words)


def _near(a: tuple[int, ...], b: tuple[int, ...]) -> bool:
    return all(abs(x - y) <= 4 for x, y in zip(a, b, strict=True))


def same_record_and_image(tmp_path: Path) -> None:
    # GIVEN a one-page scan
    page = tmp_path / "page.png"
    assert threading.active_count() == 1
    # WHEN it is processed once with its page read ahead in the forked process, once without
    ahead = head_start.begin([page])
    assert ahead is not None
    taken: list[PageRead | None] = []
    take = ahead.take

    def spy(task: PageTask) -> PageRead | None:
        taken.append(take(task))
        return taken[-1]

    ahead.take = spy  # type: ignore[method-assign]
    with ahead:
        with_head = _page_json(Settings(data_dir=tmp_path / "a", jobs=1), page, ahead)
    without = _page_json(Settings(data_dir=tmp_path / "b", jobs=1), page, None)

    # THEN the page read ahead was the one used, and the record and the stored page image are the same
    assert taken and taken[0] is not None
    assert with_head[0] == without[0]
    assert with_head[1] == without[1]


def other_content_not_taken(tmp_path: Path) -> None:
    # GIVEN a page read ahead
    page = tmp_path / "page.png"
    settings = Settings(data_dir=tmp_path / "d", jobs=1)
    assert threading.active_count() == 1
    with head_start.begin([page]) as ahead:  # type: ignore[union-attr]
        ahead.send(settings.pipeline)
        # WHEN the task asks for other content (another SHA-256) under the same name
        task = PageTask("HS-X", 1, "page.png", "0" * 64, "png", 1)
        # THEN the page read ahead is not taken
        assert ahead.take(task) is None


def test_several_files_or_a_folder_get_no_head_start(tmp_path: Path) -> None:
    a, b = tmp_path / "a.png", tmp_path / "b.png"
    shutil.copy(shared("tesseract", "phototest.tif"), a)
    shutil.copy(a, b)
    assert head_start.begin([a, b]) is None
    assert head_start.begin([tmp_path]) is None


def _imported(statements: str, modules: tuple[str, ...]) -> list[str]:
    """Which of `modules` a fresh interpreter has imported after running `statements`."""
    code = f"import sys; {statements}; print(','.join(m for m in {modules!r} if m in sys.modules))"
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return [m for m in proc.stdout.strip().split(",") if m]


def test_the_head_start_forks_before_the_record_database_and_its_models_are_imported() -> None:
    # Everything imported before the fork is imported before the page starts: the fork must come first.
    before_fork = (
        "import workers.cli; from schemas.codes import checked_centres; from workers.runners import head_start"
    )
    assert _imported(before_fork, ("sqlalchemy", "pydantic", "numpy", "alembic", "pikepdf")) == []


def test_the_page_stage_imports_no_pydantic_model_before_the_first_page() -> None:
    page_stage = "import pipeline.raster, pipeline.ocr, workers.usecases.pages"
    assert _imported(page_stage, ("pydantic", "sqlalchemy", "schemas.procedures", "pikepdf")) == []


def test_a_picture_is_read_without_importing_what_only_a_pdf_or_a_receipt_sheet_needs(tmp_path: Path) -> None:
    page = tmp_path / "page.png"
    Image.new("L", (200, 100), 255).save(page)
    decoded = (
        "import pipeline.raster as r, pipeline.page, workers.usecases.pages; from schemas.settings import "
        f"PipelineSettings as S; r.load_page(__import__('pathlib').Path({str(page)!r}), 'png', 0, S())"
    )
    assert _imported(decoded, ("pypdfium2", "rapidfuzz")) == []
