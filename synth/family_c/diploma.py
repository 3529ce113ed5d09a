"""Family c: upper-secondary diplomas.

0: the diploma in a double frame, "công nhận" then the graduate on dotted lines, year and classification as
   pairs on one line, serial and register number at the foot;
1: the school's temporary certificate: the labels of the first lines wrap over two lines in a left column,
   the school and the year inside a sentence, the classification ticked among the four.
"""

from __future__ import annotations

import random

from ..canvas import Canvas
from ..family_b.parts import PlanB, Truth, date_text, heading, pairs, pick, split_label
from ..vn import World, official_name, upper
from .common import choice_line, leader, page, signer, top

VARIANTS = 2
GRADES = ("Xuất sắc", "Giỏi", "Khá", "Trung bình")


def build(world: World, rng: random.Random, variant: int, seal: bool, role: int = 0) -> PlanB:
    p = world.applicant if role != 1 else world.spouse
    loc = world.loc
    school = "Trường " + pick(rng, loc.schools)
    year = p.birth.year + 18
    grade = rng.choices(GRADES, (1, 3, 5, 3))[0]
    chief = official_name(rng)
    style = rng.randrange(5)
    if variant == 0:
        serial = f"{pick(rng, 'ABCDEGHKLMN')} {rng.randint(0, 9999999):07d}"
        labels = ("Cho:", "Sinh ngày:", "Học sinh", "Năm tốt nghiệp:", "Loại tốt nghiệp:", "Số hiệu văn bằng:")
    else:
        serial = f"{rng.randint(10, 990)}/GCN-{''.join(w[0] for w in school.split()[2:]).upper() or 'TH'}"
        labels = ("Họ, chữ đệm và tên của người học:", "Ngày, tháng, năm sinh của người học:", "tại",
                  "trong năm", "Xếp loại tốt nghiệp:", "Số:")
    truth = Truth()
    truth.name("full_name", p.name, labels[0])
    truth.date("date_of_birth", p.birth, labels[1])
    truth.add("school", school, labels[2])
    truth.add("graduation_year", str(year), labels[3])
    truth.add("classification", grade, labels[4])
    truth.add("serial_number", serial, labels[5])
    issued_on = date_text(p.birth.replace(year=year, month=7, day=15 + rng.randint(0, 14)), style)
    register = f"{rng.randint(1, 9000)}/THPT-{year}"

    def v0(cv: Canvas) -> None:
        g = page(cv, 13.0)
        x, w = g.left + 6, g.width - 12
        cv.rect(g.left - 4, g.top - 4, g.width + 8, cv.height_mm - 2 * g.top + 8, width=0.8)
        cv.rect(g.left - 2, g.top - 2, g.width + 4, cv.height_mm - 2 * g.top + 4, width=0.25)
        y = top(cv, g, (), None, style=1) + 2
        y = heading(cv, g, y, ["BẰNG TỐT NGHIỆP", "TRUNG HỌC PHỔ THÔNG"], size=g.size + 6)
        cv.text(g.center, y, f"GIÁM ĐỐC SỞ GIÁO DỤC VÀ ĐÀO TẠO {loc.edu_name}", size=g.size, style="bold",
                align="center", max_width=w)
        y += g.lead * 1.2
        cv.text(g.center, y, "công nhận tốt nghiệp trung học phổ thông", size=g.size, style="italic", align="center")
        y += g.lead * 1.3
        y = leader(cv, g, x, y, w, labels[0], upper(p.name), value_style="bold")
        y = leader(cv, g, x, y, w, labels[1], date_text(p.birth, style))
        y = leader(cv, g, x, y, w, "Nơi sinh:", p.birth_loc.province)
        y = leader(cv, g, x, y, w, labels[2], school)
        pairs(cv, x, y, w, [(labels[3], str(year)), (labels[4], grade)], size=g.size)
        y += g.lead * 1.6
        signer(cv, g, y, f"{loc.short}, {issued_on}", ("GIÁM ĐỐC",), chief,
               ring=f"SỞ GIÁO DỤC VÀ ĐÀO TẠO {loc.edu_name} *" if seal else None, at=0.68)
        foot = cv.height_mm - g.top - 10
        cv.text(x, foot - g.lead, f"{labels[5]} {serial}", size=g.size - 0.5)
        cv.text(x, foot, f"Số vào sổ cấp bằng: {register}", size=g.size - 0.5)

    def v1(cv: Canvas) -> None:
        g = page(cv, 12.0)
        x, w = g.left, g.width
        lw = w * cv.rng.uniform(0.3, 0.38)
        y = top(cv, g, (f"SỞ GD&ĐT {loc.edu_name}", upper(school)), f"{labels[5]} {serial}", style=0)
        y = heading(cv, g, y, ["GIẤY CHỨNG NHẬN", "TỐT NGHIỆP TẠM THỜI"], size=g.size + 4)
        cv.text(g.center, y, f"HIỆU TRƯỞNG {upper(school)} chứng nhận:", size=g.size, align="center", max_width=w)
        y += g.lead * 1.3
        y = split_label(cv, x, y, lw, w, labels[0], upper(p.name), size=g.size, lead=g.lead, value_style="bold")
        y = split_label(cv, x, y, lw, w, labels[1], date_text(p.birth, style), size=g.size, lead=g.lead)
        y = split_label(cv, x, y, lw, w, "Giới tính:", p.sex, size=g.size, lead=g.lead)
        y = cv.paragraph(x, y, w, f"Đã hoàn thành chương trình trung học phổ thông {labels[2]} {school} và đã "
                         f"tốt nghiệp kỳ thi tốt nghiệp trung học phổ thông {labels[3]} {year}.", size=g.size,
                         leading=g.lead, indent=6)
        y = choice_line(cv, g, x, y, labels[4], GRADES, grade, written=written)
        y = cv.paragraph(x, y, w, "Giấy chứng nhận này có giá trị đến khi người học được cấp bằng tốt nghiệp.",
                         size=g.size - 0.5, leading=g.lead, style="italic")
        signer(cv, g, y + g.lead, f"{loc.short}, {issued_on}", ("HIỆU TRƯỞNG",), chief,
               ring=f"{upper(school)} * {upper(loc.short)} *" if seal else None)

    written = rng.random() < 0.5
    return truth.plan("diploma", ((v0, v1)[variant],))
