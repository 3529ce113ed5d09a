"""Procedures as data: for each procedure a commune-level centre handles, its code, name and the papers a dossier
must hold (thành phần hồ sơ).

The shipped list lives in `procedures.json` beside this file. A province adds or changes procedures without code:
a JSON file of the same shape (`HOSO_PROCEDURES_FILE`, workers/settings.py) is merged over it by procedure key (a
procedure given there replaces the shipped one of that key whole; a new key is added) and validated at start. Every
document type a component names must be one of `doctypes.json`'s.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from schemas.doctypes import DocTypeCatalog, load_catalog
from schemas.errors import ConfigError

PROCEDURES_FILE = Path(__file__).with_name("procedures.json")
KEY_PATTERN = r"^[a-z][a-z0-9_]{1,63}$"

Form = Literal[
    "original",  # bản chính
    "copy",  # bản sao (chứng thực or from the register)
    "original_or_copy",  # bản chính hoặc bản sao
    "shown",  # xuất trình: the clerk sees the original, the centre keeps a scan
]


def _twice(keys: list[str]) -> list[str]:
    return sorted({k for k in keys if keys.count(k) > 1})


class Component(BaseModel):
    """One paper a procedure requires (a component of the dossier, thành phần hồ sơ)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str = Field(pattern=KEY_PATTERN, description="stable within the procedure; names the exported file")
    name_vi: str = Field(min_length=1, description="the paper as the clerk names it: 'Giấy chứng sinh'")
    types: list[str] = Field(min_length=1, description="document types (doctypes.json) that fulfil it")
    count: int = Field(1, ge=1, description="how many such papers (the two spouses' identity cards: 2)")
    form: Form = "original"
    required: bool = True
    condition: str | None = Field(None, description="when a conditional paper is needed, in Vietnamese")
    portal_name: str = Field(min_length=1, description="the component's name on the National Public Service Portal")

    @model_validator(mode="after")
    def _condition_when_conditional(self) -> Component:
        if not self.required and not (self.condition or "").strip():
            raise ValueError(f"component {self.key!r} is conditional (required: false) but names no condition")
        return self


class Procedure(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str = Field(pattern=KEY_PATTERN, description="stable: `hoso process --procedure KEY`, a watch subfolder")
    code: str = Field(min_length=1, description="the procedure's code in the national database of procedures")
    name_vi: str = Field(min_length=1)
    name_en: str = ""
    level: Literal["commune", "province"] = "commune"
    components: list[Component] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_components(self) -> Procedure:
        twice = _twice([c.key for c in self.components])
        if twice:
            raise ValueError(f"procedure {self.key!r} lists components {twice} more than once")
        return self


class ProcedureCatalog(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    procedures: list[Procedure]

    @model_validator(mode="after")
    def _unique_keys(self) -> ProcedureCatalog:
        twice = _twice([p.key for p in self.procedures])
        if twice:
            raise ValueError(f"procedures {twice} are listed more than once")
        return self

    @property
    def keys(self) -> list[str]:
        return [p.key for p in self.procedures]

    def find(self, key: str) -> Procedure | None:
        return next((p for p in self.procedures if p.key == key), None)

    def merged(self, extra: ProcedureCatalog) -> ProcedureCatalog:
        """This catalogue with `extra`'s procedures over it: one of the same key replaces it, a new one is added."""
        theirs = {p.key: p for p in extra.procedures}
        ours = [theirs.pop(p.key, p) for p in self.procedures]
        return ProcedureCatalog(procedures=[*ours, *theirs.values()])

    def check_types(self, doctypes: DocTypeCatalog) -> None:
        """Every document type a component names is a known one (else ValueError naming them)."""
        known = set(doctypes.keys)
        unknown = sorted(
            {f"{p.key}.{c.key}: {t}" for p in self.procedures for c in p.components for t in c.types if t not in known}
        )
        if unknown:
            raise ValueError(f"unknown document types {unknown}; known types: {sorted(known)}")


def _read(path: Path) -> ProcedureCatalog:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return ProcedureCatalog.model_validate(data)
    except OSError as exc:
        raise ConfigError(f"procedures file {path} cannot be read: {exc.strerror or exc}") from exc
    except json.JSONDecodeError as exc:
        raise ConfigError(f"procedures file {path} is not JSON: {exc}") from exc
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()[:5])
        raise ConfigError(f"procedures file {path} is not a list of procedures: {problems}") from exc


@lru_cache(maxsize=8)
def load_procedures(extra: Path | None = None, shipped: Path = PROCEDURES_FILE) -> ProcedureCatalog:
    """The shipped procedures, with the province's file `extra` merged over them; ConfigError when either is
    not a valid list or names a document type hoso does not know."""
    catalog = _read(shipped)
    if extra is not None:
        catalog = catalog.merged(_read(extra))
    try:
        catalog.check_types(load_catalog())
    except ValueError as exc:
        raise ConfigError(f"procedures{f' file {extra}' if extra else ''}: {exc}") from exc
    return catalog
