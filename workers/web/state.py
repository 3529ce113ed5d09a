"""What the web app holds while it runs: settings, the record database, the object store, the runner."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fastapi.templating import Jinja2Templates

from workers.settings import Settings
from workers.stores.objects import ObjectStore
from workers.stores.records import Records
from workers.usecases.sign_in import SignInGate
from workers.web.auth import Sessions
from workers.web.jobs import Runner

PACKAGE_DIR = Path(__file__).resolve().parent


@dataclass
class WebState:
    settings: Settings
    records: Records
    store: ObjectStore
    runner: Runner
    sessions: Sessions
    templates: Jinja2Templates
    sign_in: SignInGate

    @property
    def uploads_dir(self) -> Path:
        return self.settings.data_dir / "uploads"

    @property
    def max_upload_bytes(self) -> int:
        return self.settings.web.max_upload_mb * (1 << 20)

    def close(self) -> None:
        self.runner.close()
        self.records.close()
