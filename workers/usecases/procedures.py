"""The procedures this installation knows (the shipped ones with the province's file over them, settings'
`procedures_file`) and how an intake channel names one: a key, a subfolder, a receipt sheet."""

from __future__ import annotations

import re

from pipeline.extract.text import fold
from schemas.errors import UnknownProcedure
from schemas.procedures import KEY_PATTERN, Procedure, ProcedureCatalog, load_procedures
from workers.settings import Settings

_KEY = re.compile(KEY_PATTERN)  # a word written as a key (lower case, digits, underscores), not a note


def catalog(settings: Settings) -> ProcedureCatalog:
    return load_procedures(settings.procedures_file)


def resolve(settings: Settings, key: str) -> Procedure:
    """The procedure of `key`; UnknownProcedure listing the keys when there is none."""
    procs = catalog(settings)
    found = procs.find(key.strip())
    if found is None:
        listed = ", ".join(f"{p.key} ({p.name_vi})" for p in procs.procedures)
        raise UnknownProcedure(f"no procedure with key {key!r}; the procedures are: {listed}")
    return found


def named(settings: Settings, text: str) -> Procedure | None:
    """The procedure `text` names, by its key or its Vietnamese name (marks and case aside), else None."""
    wanted = fold(" ".join(text.split())).strip()
    for p in catalog(settings).procedures:
        if wanted in (p.key, fold(p.name_vi)):
            return p
    return None


def of_folder(settings: Settings, folder: str) -> Procedure | None:
    """The procedure a watch-folder subfolder names: its first part is a procedure key (`birth_registration/…`)."""
    first = folder.replace("\\", "/").strip("/").split("/", 1)[0]
    return catalog(settings).find(first) if first else None


def of_form(settings: Settings, text: str | None) -> Procedure | None:
    """The procedure a counter form or an API call names: a key or a name; free text that names none is a note
    (None), but an unknown key-like word (`khai_sinh`) is refused with the keys."""
    text = (text or "").strip()
    if not text:
        return None
    found = named(settings, text)
    if found is None and _KEY.match(text):
        return resolve(settings, text)  # raises UnknownProcedure naming the keys
    return found
