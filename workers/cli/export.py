"""`hoso export CODE [--out DIR]`: the dossier as the portal takes it (a zip of signed PDF/A-2b files and a
manifest); `hoso verify FILE`: who signed an exported PDF, when, and whether it changed since (registered by
workers/cli/__init__.py)."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any


def register(sub: Any, common: Callable[[argparse.ArgumentParser], None]) -> None:
    p = sub.add_parser("export", help="write a dossier's documents as signed PDF/A files and a manifest, in a zip")
    p.add_argument("code")
    p.add_argument("--out", type=Path, default=Path("."), help="folder to write CODE.zip to (default: here)")
    common(p)
    p.set_defaults(handler=cmd_export)

    v = sub.add_parser("verify", help="check an exported PDF's signature: who signed, when, changed since?")
    v.add_argument("file", type=Path)
    v.add_argument(
        "--trust", type=Path, action="append", help="a trusted root certificate, PEM or DER (env HOSO_SIGNING_TRUST)"
    )
    v.set_defaults(handler=cmd_verify)


def cmd_export(args: argparse.Namespace) -> int:
    from workers.cli import records_of, settings_from_args
    from workers.stores.objects import make_store
    from workers.usecases.export import export_dossier

    settings = settings_from_args(args)
    records = records_of(settings, args.code)
    try:
        dossier = records.dossier(args.code)
    finally:
        records.close()
    args.out.mkdir(parents=True, exist_ok=True)
    target = args.out / f"{dossier.code}.zip"
    fd, tmp = tempfile.mkstemp(prefix=f".{dossier.code}-", suffix=".zip", dir=args.out)
    try:
        with os.fdopen(fd, "wb") as out:
            done = export_dossier(settings, make_store(settings), dossier, out)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    pages = sum(len(f.pages) for f in done.files)
    signed = f"signed by {done.signed_by}" if done.signed_by else f"NOT signed: {done.unsigned_reason}"
    print(f"hoso: dossier {done.code}: {len(done.files)} PDF/A-2b file(s), {pages} page(s), {signed}", file=sys.stderr)
    for f in done.files:
        what = f"{f.component[1]} ({f.type})" if f.component else f.type
        print(f"  {f.name}: {what}, pages {', '.join(map(str, f.pages))}", file=sys.stderr)
    for s in done.skipped:
        print(f"  document {s['document']} ({s['type']}) not exported: {s['reason']}", file=sys.stderr)
    print(target)
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    from schemas.errors import MissingFile
    from workers.settings import from_env
    from workers.usecases.signing import load_trust_roots, verify_pdf

    configured = from_env().export.signing_trust
    trust = args.trust or ([configured] if configured else [])
    roots = load_trust_roots(trust) if trust else None
    try:
        data = args.file.read_bytes()
    except OSError as exc:
        raise MissingFile(f"{args.file} cannot be read ({exc.strerror})") from None
    result = verify_pdf(data, roots)
    print(result.report(str(args.file)))
    return int(result.outcome)
