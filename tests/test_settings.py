"""Settings from HOSO_* variables (pydantic-settings): the same names, defaults and refusals as before."""

from __future__ import annotations

from pathlib import Path

import pytest

from schemas.errors import ConfigError
from workers.settings import Settings, WatchSettings, from_env


def test_no_variables_give_the_documented_defaults() -> None:
    s = from_env({})
    assert s == Settings()
    assert s.data_dir == Path("hoso-data") and s.jobs == 0 and s.s3 is None and s.broker_url is None
    assert s.pipeline.max_pixels == 100_000_000 and s.pipeline.max_pages == 500 and s.pipeline.lang == "vie"
    assert s.web.max_upload_mb == 200 and s.watch == WatchSettings()


def test_every_variable_reaches_its_setting() -> None:
    env = {
        "HOSO_DATA_DIR": "/srv/hoso",
        "HOSO_DATABASE_URL": "postgresql://u:p@db/hoso",
        "HOSO_BROKER_URL": "redis://r:6379/0",
        "HOSO_S3_ENDPOINT": "minio:9000",
        "HOSO_S3_ACCESS_KEY": "ak",
        "HOSO_S3_SECRET_KEY": "sk",
        "HOSO_S3_BUCKET": "scans",
        "HOSO_S3_SECURE": "yes",
        "HOSO_JOBS": "3",
        "HOSO_LANG": "vie+eng",
        "HOSO_TESSDATA": "/opt/tessdata",
        "HOSO_MAX_PIXELS": "50_000_000",
        "HOSO_MAX_PAGES": "20",
        "HOSO_SECRET_KEY": "cookie-key",
        "HOSO_MAX_UPLOAD_MB": "9",
        "HOSO_WATCH_STABLE_SECONDS": "0.5",
        "HOSO_WATCH_POLL_SECONDS": "2",
        "HOSO_WATCH_DELETE": "true",
        "HOSO_WATCH_INOTIFY": "off",
        "HOSO_WATCH_BATCH_FILES": "0",  # at least one
        "PATH": "/usr/bin",  # not ours: ignored
    }
    s = from_env(env)
    assert s.data_dir == Path("/srv/hoso")
    assert s.db_url == "postgresql+psycopg://u:p@db/hoso" and s.broker_url == "redis://r:6379/0"
    assert s.s3 is not None and (s.s3.endpoint, s.s3.access_key, s.s3.secret_key) == ("minio:9000", "ak", "sk")
    assert s.s3.bucket == "scans" and s.s3.secure is True
    assert (s.jobs, s.pipeline.lang, s.pipeline.tessdata) == (3, "vie+eng", "/opt/tessdata")
    assert (s.pipeline.max_pixels, s.pipeline.max_pages) == (50_000_000, 20)
    assert (s.web.secret_key, s.web.max_upload_mb) == ("cookie-key", 9)
    assert s.watch == WatchSettings(stable_seconds=0.5, poll_seconds=2.0, delete=True, inotify=False, batch_files=1)


def test_empty_variables_count_as_unset() -> None:
    s = from_env({"HOSO_DATABASE_URL": "", "HOSO_BROKER_URL": "", "HOSO_JOBS": "", "HOSO_S3_ENDPOINT": ""})
    assert s == Settings()


def test_command_line_overrides_win_over_the_environment() -> None:
    s = from_env({"HOSO_JOBS": "4", "HOSO_LANG": "eng"}, jobs=1, lang=None, max_pages=7, data_dir=Path("x"))
    assert (s.jobs, s.pipeline.lang, s.pipeline.max_pages, s.data_dir) == (1, "eng", 7, Path("x"))


def test_the_process_environment_is_read_when_none_is_given(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOSO_JOBS", "5")
    assert from_env().jobs == 5
    assert Settings().jobs == 0  # Settings(...) itself reads nothing


@pytest.mark.parametrize(
    ("env", "says"),
    [
        ({"HOSO_JOBS": "many"}, "HOSO_JOBS='many' is not a whole number"),
        ({"HOSO_MAX_PIXELS": "1e9"}, "HOSO_MAX_PIXELS='1e9' is not a whole number"),
        ({"HOSO_WATCH_STABLE_SECONDS": "-1"}, "HOSO_WATCH_STABLE_SECONDS='-1' is not a number of seconds"),
        ({"HOSO_WATCH_POLL_SECONDS": "soon"}, "HOSO_WATCH_POLL_SECONDS='soon' is not a number of seconds"),
        ({"HOSO_S3_SECURE": "maybe"}, "HOSO_S3_SECURE='maybe' is not true or false"),
        ({"HOSO_S3_ENDPOINT": "minio:9000", "HOSO_S3_ACCESS_KEY": "ak"}, "HOSO_S3_SECRET_KEY is not"),
    ],
)
def test_a_bad_value_is_a_config_error_naming_the_variable(env: dict[str, str], says: str) -> None:
    with pytest.raises(ConfigError) as err:
        from_env(env)
    assert says in str(err.value)
    assert err.value.exit_code == 4


def test_importing_settings_leaves_pydantic_settings_to_the_first_variable_read() -> None:
    import subprocess
    import sys

    from tests.conftest import ROOT

    probe = (
        "import sys, workers.settings as s; a = 'pydantic_settings' in sys.modules; s.from_env({'HOSO_LANG': ''}); "
        "b = 'pydantic_settings' in sys.modules; s.from_env({'hoso_jobs': '2'}); "
        "print(a, b, 'pydantic_settings' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT)
    # no variable set (an empty one is unset): nothing to validate; one set, in any case: validated
    assert out.stdout.split() == ["False", "False", "True"]


def test_no_variable_set_gives_what_the_variables_defaults_give() -> None:
    # The shortcut taken without HOSO_* variables must agree with the declared defaults of every variable.
    from workers.settings import _arrange, read_environment

    assert from_env({"PATH": "/bin", "HOSO_DATA_DIR": ""}) == _arrange(read_environment({}))
