"""Write the record's JSON Schema: `python -m schemas.export` (a test checks the file is current)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from schemas.record import Dossier

SCHEMA_FILE = Path(__file__).with_name("dossier.schema.json")


def schema_text() -> str:
    schema = Dossier.model_json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://hoso.invalid/schemas/dossier.schema.json"
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def main() -> int:
    SCHEMA_FILE.write_text(schema_text(), encoding="utf-8")
    print(f"wrote {SCHEMA_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
