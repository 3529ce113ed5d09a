"""The procedures this installation knows (the shipped ones with the province's file over them, settings'
`procedures_file`) and how an intake channel names one: a key, a subfolder, a receipt sheet."""

from __future__ import annotations

from pipeline.extract.text import fold
from schemas.errors import UnknownProcedure
from schemas.procedures import Procedure, ProcedureCatalog, load_procedures
from workers.settings import Settings


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
