"""Document types as data: names, title phrases, fields with their printed labels, patterns and checks.

The types themselves live in `doctypes.json` beside this file; adding a type (or a label a province prints
differently) is an edit of that file, not of code. The value kinds, normalisers and validators named there
are the closed vocabulary below, implemented in `pipeline/extract/`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

ValueKind = Literal[
    "date",  # 12/05/2015, 12-05-2015, ngày 12 tháng 05 năm 2015  -> 2015-05-12
    "id_number",  # 12 digits (CCCD / personal identification number) -> digits
    "digits",  # any run of digits -> digits
    "reg_number",  # a registration number as printed: 229/2006, 15/2019/QĐ, 123
    "school",  # a school's name as printed, from "Trường" on when printed: Trường THPT Nguyễn Du
    "phone",  # 0912 345 678 / +84 912 345 678 -> 0912345678
    "name",  # a person's name in capitals -> NGUYỄN VĂN AN
    "area",  # 1.250,5 m² -> 1250.5
    "year",  # 2019 -> 2019
    "serial",  # CS 123456 / A 0123456 -> CS123456
    "sex",  # Nam / Nữ (Male / Female)
    "choice",  # one of `choices`, matched loosely
    "text",  # as printed, spaces folded
    "address",  # as printed, spaces folded; a misspelt province at its end spelt as the province is
]

Validator = Literal[
    "cccd",  # 12 digits, known province code, 4th digit agrees with sex and century of birth
    "date_exists",  # a real calendar date, not in the future
    "birth_before_registration",  # date_of_birth <= registration_date / issue after birth
    "year_plausible",  # 1900 <= year <= this year
    "phone_vn",  # 10 digits starting with 0
    "card_expiry",  # a CCCD expires on the 25th, 40th or 60th birthday
]


class FieldSpec(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str
    name_vi: str = Field("", description="the field's name on screen, in Vietnamese")
    name_en: str = Field("", description="the field's name on screen, in English")
    labels: list[str] = Field(description="printed labels, Vietnamese and English, as on the paper")
    kind: ValueKind = "text"
    choices: list[str] = Field(
        default_factory=list, description="the values of a choice; for a date, words printed instead of one"
    )
    validators: list[Validator] = Field(default_factory=list)
    column: Literal["left", "right"] | None = Field(None, description="for papers printed in two columns")
    sections: list[str] = Field(
        default_factory=list, description="headings the label is printed under (Người mẹ, Thông tin người vợ)"
    )
    occurrence: int = Field(1, description="the n-th time the label is printed (wife before husband)")
    after: str | None = Field(
        None, description="without headings, a shared label belongs to this field's person: the nearest below it"
    )
    unlabelled: bool = Field(
        False, description="the value may be printed alone on its line, without a label (a land-use serial)"
    )
    mrz: Literal["id_number", "date_of_birth", "sex", "expiry_date", "name"] | None = Field(
        None, description="the same value in an identity card's machine-readable zone (IDVNM…), which confirms it"
    )
    cues: list[str] = Field(
        default_factory=list,
        description="words that name the field's person or thing inside a label that is not one of `labels` "
        "(role words, first-person phrases: 'người nộp', 'tôi tên là'); scored as partial label evidence",
    )
    required: bool = True
    review_below: float = Field(
        0.8,
        description="the field needs review when its confidence is lower; for types read by the learned scorer "
        "the confidence is a calibrated probability of being right (bench/fields.py prints the curve)",
    )


class DocTypeSpec(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str
    name_vi: str
    name_en: str
    titles: list[str] = Field(description="title phrases printed at the top of the first page")
    keywords: list[str] = Field(default_factory=list, description="phrases typical of any page of the type")
    fields: list[FieldSpec] = Field(default_factory=list)
    multi_page: bool = False
    review_below: float = Field(0.75, description="the document needs review when its type confidence is lower")


class DocTypeCatalog(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    types: list[DocTypeSpec]

    def get(self, key: str) -> DocTypeSpec:
        for t in self.types:
            if t.key == key:
                return t
        raise KeyError(key)

    @property
    def keys(self) -> list[str]:
        return [t.key for t in self.types]

    def with_learned(self, variants: Mapping[str, Mapping[str, Sequence[str]]]) -> DocTypeCatalog:
        """A new catalogue whose fields also list the label variants learned from reviewers' corrections
        ({type: {field: [label, ...]}}, `hoso train`), after their own; a type or field not in the catalogue and
        a label already listed (same letters and marks, any case) are passed over. This catalogue is unchanged."""
        if not variants:
            return self
        types = []
        for t in self.types:
            learned = variants.get(t.key) or {}
            fields = []
            for f in t.fields:
                known = {lab.casefold().strip(" :") for lab in f.labels}
                extra = []
                for lab in learned.get(f.key, ()):
                    lab = " ".join(lab.split()).strip(" :")
                    if lab and lab.casefold() not in known:
                        known.add(lab.casefold())
                        extra.append(lab)
                fields.append(f.model_copy(update={"labels": [*f.labels, *extra]}) if extra else f)
            types.append(t.model_copy(update={"fields": fields}))
        return DocTypeCatalog(types=types)


CATALOG_FILE = Path(__file__).with_name("doctypes.json")


@lru_cache(maxsize=4)
def load_catalog(path: Path = CATALOG_FILE) -> DocTypeCatalog:
    return DocTypeCatalog.model_validate(json.loads(path.read_text(encoding="utf-8")))
