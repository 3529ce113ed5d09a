"""Upper-secondary diploma (Bằng tốt nghiệp THPT) or the temporary graduation certificate."""

from __future__ import annotations

import random
from datetime import date

from ..canvas import RED, Canvas, leading_for
from ..vn import Person, World, dmy, make_person, official_name, random_address, random_date, upper
from .base import MOTTO, MOTTO_2, DocPlan, FieldSet, header, layout, sign_block, title

VARIANTS = 3  # 0: modern diploma with a border, 1: older diploma, 2: temporary certificate from the school

CLASSES = (("Xuất sắc", 1.0), ("Giỏi", 3.0), ("Khá", 5.0), ("Trung bình", 4.0))


def _holder(world: World, rng: random.Random) -> Person:
    if world.child.birth.year <= 2006 and world.child.birth <= date(world.today.year - 18, 6, 1):
        return world.child
    if world.applicant.birth.year >= 1976:
        return world.applicant
    birth = random_date(rng, date(1996, 1, 1), date(2006, 12, 31))
    return make_person(rng, sex=rng.choice(("Nam", "Nữ")), birth=birth, residence=random_address(rng, world.loc),
                       family=world.applicant.family)


def build(world: World, rng: random.Random, variant: int, seal: bool, role: int = 0) -> DocPlan:
    p = _holder(world, rng)
    year = p.birth.year + 18
    loc = p.birth_loc
    school = rng.choice(loc.schools)
    grade = rng.choices([c for c, _ in CLASSES], [w for _, w in CLASSES])[0]
    issue = random_date(rng, date(year, 7, 5), date(year, 8, 25))
    diploma_serial = f"{rng.choice('ABCDEG')} {rng.randint(0, 9999999):07d}"
    temp_serial = f"{rng.randint(1, 650)}/GCNTN-{''.join(w[0] for w in school.split()[1:]).upper()}"
    serial = temp_serial if variant == 2 else diploma_serial
    register = f"{rng.randint(1, 9999):04d}/{year}/THPT"
    director = official_name(rng)
    birth_place = loc.card_province
    dept = f"SỞ GIÁO DỤC VÀ ĐÀO TẠO {loc.edu_name}"

    fields = FieldSet()
    fields.name("full_name", p.name)
    fields.date("date_of_birth", p.birth)
    fields.add("school", school)
    fields.add("graduation_year", str(year))
    fields.add("classification", grade)
    fields.serial("serial_number", serial)
    exam = date(year, 6, rng.randint(20, 30))

    def render(cv: Canvas) -> None:
        if variant == 2:
            return _temporary(cv)
        lay = layout(cv, 14.0 if variant == 0 else 13.0)
        size, lead = lay.size, lay.lead * 1.1
        x = lay.left + 10
        inner = lay.right - 10 - x
        # decorative double frame
        cv.rect(lay.left - 8, 12, lay.width + 16, cv.height_mm - 24, width=1.4, color=(120, 60, 40))
        cv.rect(lay.left - 5, 15, lay.width + 10, cv.height_mm - 30, width=0.4, color=(120, 60, 40))
        for cx, cy in ((lay.left - 5, 15), (lay.right + 5, 15), (lay.left - 5, cv.height_mm - 15),
                       (lay.right + 5, cv.height_mm - 15)):
            cv.star(cx, cy, 4.0, fill=(150, 80, 50))
        y = 34.0
        if variant == 1:
            y = header(cv, lay, issuer=("BỘ GIÁO DỤC VÀ ĐÀO TẠO",), number=None, y=y)
        else:
            cv.text(lay.center, y, MOTTO, size=size - 1, style="bold", align="center", max_width=inner)
            y += leading_for(size)
            mw = cv.text(lay.center, y, MOTTO_2, size=size - 0.5, style="bold", align="center")
            cv.hline(lay.center - mw / 2, lay.center + mw / 2, y + 1.6)
            y += lead * 1.6
            cv.emblem(lay.center, y + 9, 18.0)
            y += 26
        y = title(cv, lay, y + lead, ["BẰNG TỐT NGHIỆP", "TRUNG HỌC PHỔ THÔNG"], size=size + 8, color=RED)
        y += lead * 0.5
        cv.text(lay.center, y, f"GIÁM ĐỐC {dept}", size=size - 0.5, style="bold", align="center", max_width=inner)
        y += lead * 1.4
        label = "Cấp cho:" if variant == 0 else "Họ và tên:"
        name_value = upper(p.name)
        y = cv.field(x, y, inner, label, name_value, size=size + 1, leading=lead, value_style="bold")
        y = cv.field(x, y, inner, "Ngày sinh:", dmy(p.birth), size=size, leading=lead)
        y = cv.field(x, y, inner, "Nơi sinh:", birth_place, size=size, leading=lead)
        y = cv.field(x, y, inner, "Giới tính:", p.sex, size=size, leading=lead)
        y = cv.field(x, y, inner, "Học sinh trường:", school, size=size, leading=lead)
        y = cv.field(x, y, inner, "Năm tốt nghiệp:" if variant == 0 else "Khóa thi ngày:",
                     str(year) if variant == 0 else dmy(exam), size=size,
                     leading=lead)
        if variant == 1:
            y = cv.field(x, y, inner, "Năm tốt nghiệp:", str(year), size=size, leading=lead)
        y = cv.field(x, y, inner, "Xếp loại tốt nghiệp:" if variant == 0 else "Xếp loại:", grade, size=size,
                     leading=lead, value_style="bold")
        y += lead * 0.8
        sign_block(cv, x + inner * 0.68, y, size=size - 0.5,
                   date_text=f"{loc.short}, ngày {issue.day:02d} tháng {issue.month:02d} năm {issue.year}",
                   office=["GIÁM ĐỐC"] if variant == 0 else ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"], name=director,
                   seal_ring=f"{dept} *" if seal else None)
        cv.text(x, cv.height_mm - 36, f"Số hiệu: {serial}", size=size - 1, style="bold")
        cv.text(x, cv.height_mm - 36 + leading_for(size), f"Số vào sổ cấp bằng: {register}", size=size - 1)

    def _temporary(cv: Canvas) -> None:
        lay = layout(cv, 13.0)
        size, lead, x, w = lay.size, lay.lead, lay.left, lay.width
        y = header(cv, lay, issuer=(f"SỞ GD&ĐT {loc.edu_name}", upper(f"TRƯỜNG {school}")), number=f"Số: {serial}")
        y += lead
        y = title(cv, lay, y, ["GIẤY CHỨNG NHẬN TỐT NGHIỆP TẠM THỜI"], size=size + 3)
        y += lead * 0.5
        cv.text(lay.center, y, f"HIỆU TRƯỞNG TRƯỜNG {upper(school)}", size=size, style="bold", align="center",
                max_width=w)
        y += lead * 1.5
        y = cv.paragraph(x, y, w, f"Căn cứ Quyết định công nhận tốt nghiệp trung học phổ thông năm {year} của "
                                  f"Giám đốc Sở Giáo dục và Đào tạo {loc.card_province};", size=size, leading=lead,
                         indent=8)
        y += lead * 0.3
        cv.text(lay.center, y, "CHỨNG NHẬN:", size=size, style="bold", align="center")
        y += lead * 1.2
        y = cv.field(x, y, w, "Họ và tên:", upper(p.name), size=size, leading=lead, value_style="bold")
        y = cv.field(x, y, w, "Ngày sinh:", dmy(p.birth), size=size, leading=lead)
        y = cv.field(x, y, w, "Nơi sinh:", birth_place, size=size, leading=lead)
        y = cv.field(x, y, w, "Giới tính:", p.sex, size=size, leading=lead)
        y = cv.field(x, y, w, "Học sinh trường:", school, size=size, leading=lead)
        y = cv.field(x, y, w, "Đã tốt nghiệp trung học phổ thông năm:", str(year), size=size, leading=lead)
        y = cv.field(x, y, w, "Xếp loại:", grade, size=size, leading=lead, value_style="bold")
        y += lead * 0.3
        y = cv.paragraph(x, y, w, "Giấy chứng nhận tốt nghiệp tạm thời có giá trị đến khi được cấp bằng tốt "
                                  "nghiệp chính thức.", size=size, style="italic", leading=lead, indent=8)
        y += lead
        sign_block(cv, x + w * 0.68, y, size=size - 0.5,
                   date_text=f"{loc.short}, ngày {issue.day:02d} tháng {issue.month:02d} năm {issue.year}",
                   office=["HIỆU TRƯỞNG"], name=director,
                   seal_ring=f"TRƯỜNG {upper(school)} * {loc.edu_name} *" if seal else None)

    return DocPlan("diploma", fields.freeze(), (render,))
