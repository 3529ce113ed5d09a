"""Family b: upper-secondary diplomas and graduation certificates; the school printed with its full name.

0: diploma with the labels in a narrow column (long labels wrap over two lines), serial "Số hiệu bằng";
1: temporary certificate where every value sits inside one sentence ("Chứng nhận học sinh …, sinh ngày …");
2: copy issued from the register ("BẢN SAO … cấp từ sổ gốc"), one ruled table.
"""

from __future__ import annotations

import random
from datetime import date

from ..canvas import RED, Canvas
from ..vn import Person, World, make_person, official_name, random_address, random_date, upper
from .parts import MOTTO, MOTTO_2, PlanB, Truth, date_text, geometry, heading, masthead, pick, sign, split_label

VARIANTS = 3
GRADES = (("Xuất sắc", 1.0), ("Giỏi", 3.0), ("Khá", 5.0), ("Trung bình", 4.0))


def _graduate(world: World, rng: random.Random) -> Person:
    if world.child.birth <= date(world.today.year - 18, 5, 31):
        return world.child
    if world.applicant.birth.year >= 1975:
        return world.applicant
    born = random_date(rng, date(1995, 1, 1), date(2006, 12, 31))
    return make_person(
        rng,
        sex=rng.choice(("Nam", "Nữ")),
        birth=born,
        residence=random_address(rng, world.loc),
        family=world.applicant.family,
    )


def build(world: World, rng: random.Random, variant: int, seal: bool, role: int = 0) -> PlanB:
    p = _graduate(world, rng)
    year = p.birth.year + 18
    loc = p.birth_loc
    school = "Trường " + pick(rng, loc.schools)
    grade = rng.choices([g for g, _ in GRADES], [w for _, w in GRADES])[0]
    issued = random_date(rng, date(year, 7, 1), date(year, 9, 10))
    initials = "".join(w[0] for w in school.split()[2:]).upper()
    serial = (
        f"{rng.randint(20, 900)}/GCN-{initials}"
        if variant == 1
        else f"{pick(rng, 'ABCDE')} {rng.randint(0, 9999999):07d}"
    )
    register = f"{rng.randint(1, 9999):04d}/{year}"
    style = rng.randrange(3)
    dob = date_text(p.birth, style)
    head = upper(official_name(rng))
    dept = f"SỞ GIÁO DỤC VÀ ĐÀO TẠO {loc.edu_name}"
    form = f"12A{rng.randint(1, 12)}"

    labels = (
        (
            "Người học:",
            "Sinh ngày:",
            "Đã hoàn thành chương trình giáo dục phổ thông tại:",
            "Kỳ thi năm:",
            "Loại tốt nghiệp:",
            "Số hiệu bằng:",
        ),
        (
            "Chứng nhận học sinh",
            "sinh ngày",
            f"học sinh lớp {form}",
            "đã tốt nghiệp trung học phổ thông năm",
            "xếp loại",
            "Số:",
        ),
        (
            "Họ tên người được cấp bằng",
            "Ngày tháng năm sinh",
            "Cơ sở giáo dục",
            "Năm dự thi",
            "Hạng tốt nghiệp",
            "Số hiệu văn bằng",
        ),
    )[variant]
    truth = Truth()
    truth.name("full_name", p.name, labels[0])
    truth.date("date_of_birth", p.birth, labels[1])
    truth.add("school", school, labels[2])
    truth.add("graduation_year", str(year), labels[3])
    truth.add("classification", grade, labels[4])
    truth.add("serial_number", serial, labels[5])

    def diploma(cv: Canvas) -> None:
        g = geometry(cv, 13.5, left=(26.0, 34.0), right=(22.0, 30.0))
        size, lead = g.size, g.lead * 1.15
        frame = (100, 70, 40)
        cv.rect(g.left - 12, 10, g.width + 24, cv.height_mm - 20, width=1.0, color=frame)
        cv.rect(g.left - 9, 13, g.width + 18, cv.height_mm - 26, width=0.3, color=frame)
        y = 30.0
        cv.text(g.center, y, MOTTO, size=size - 1.5, style="bold", align="center", max_width=g.width)
        y += lead
        cv.text(g.center, y, MOTTO_2, size=size - 1, style="bold", align="center")
        y += lead * 1.5
        cv.emblem(g.center, y + 8, 16.0)
        y += 26
        y = heading(cv, g, y, ["BẰNG TỐT NGHIỆP", "TRUNG HỌC PHỔ THÔNG"], size=size + 7, color=RED)
        cv.text(g.center, y, f"GIÁM ĐỐC {dept}", size=size - 1, style="bold", align="center", max_width=g.width)
        y += lead * 0.9
        cv.text(g.center, y, "cấp bằng này cho", size=size - 1, style="italic", align="center")
        y += lead * 1.3
        x, w = g.left, g.width
        col = w * cv.rng.uniform(0.3, 0.36)
        rows = [
            (labels[0], upper(p.name), "bold"),
            (labels[1], dob, "regular"),
            ("Nơi sinh:", loc.card_province, "regular"),
            ("Giới tính:", p.sex, "regular"),
            (labels[2], school, "bold"),
            (labels[3], str(year), "regular"),
            (labels[4], grade, "bold"),
        ]
        for label, value, vs in rows:
            y = split_label(cv, x, y, col, w, label, value, size=size, lead=lead, value_style=vs)
        y += lead * 0.4
        sign(
            cv,
            x + w * 0.66,
            y,
            size=size - 1,
            when=f"{loc.short}, {date_text(issued, 4)}",
            titles=["GIÁM ĐỐC"],
            name=head,
            ring=f"{dept} *" if seal else None,
        )
        cv.text(x, 262.0, f"{labels[5]} {serial}", size=size - 1.5, style="bold")
        cv.text(x, 262.0 + lead, f"Số vào sổ gốc cấp văn bằng: {register}", size=size - 1.5)

    def temporary(cv: Canvas) -> None:
        g = geometry(cv, 13.0)
        size, lead, x, w = g.size, g.lead, g.left, g.width
        y = masthead(cv, g, (f"SỞ GD&ĐT {loc.edu_name}", upper(school)), f"{labels[5]} {serial}", style=0)
        y = heading(cv, g, y + lead * 0.6, ["GIẤY CHỨNG NHẬN", "TỐT NGHIỆP TẠM THỜI"], size=size + 3)
        cv.text(g.center, y, f"HIỆU TRƯỞNG {upper(school)}", size=size, style="bold", align="center", max_width=w)
        y += lead * 1.4
        text = (
            f"{labels[0]} {upper(p.name)}, {labels[1]} {dob}, nơi sinh {loc.card_province}, {labels[2]} "
            f"{school}, {labels[3]} {year}, {labels[4]} {grade}."
        )
        y = cv.paragraph(x, y, w, text, size=size, leading=lead * 1.1, indent=8)
        y = cv.paragraph(
            x,
            y,
            w,
            "Giấy chứng nhận này có giá trị cho đến khi được cấp bằng tốt nghiệp chính thức.",
            size=size,
            style="italic",
            leading=lead,
            indent=8,
        )
        sign(
            cv,
            x + w * 0.68,
            y + lead,
            size=size - 0.5,
            when=f"{loc.short}, {date_text(issued, 3)}",
            titles=["HIỆU TRƯỞNG"],
            name=head,
            ring=f"{upper(school)} * {loc.edu_name} *" if seal else None,
        )

    def register_copy(cv: Canvas) -> None:
        g = geometry(cv, 12.5)
        size, lead, x, w = g.size, g.lead, g.left, g.width
        y = masthead(cv, g, ("SỞ GIÁO DỤC VÀ ĐÀO TẠO", loc.edu_name), f"Số vào sổ bản sao: {rng_copy}", style=0)
        y = heading(cv, g, y + lead * 0.4, ["BẢN SAO", "BẰNG TỐT NGHIỆP TRUNG HỌC PHỔ THÔNG"], size=size + 3)
        cv.text(g.center, y, "(Cấp từ sổ gốc)", size=size, style="italic", align="center")
        y += lead * 1.2
        rows = [
            [labels[0], upper(p.name)],
            [labels[1], dob],
            ["Nơi sinh", loc.card_province],
            ["Giới tính", p.sex],
            [labels[2], school],
            [labels[3], str(year)],
            [labels[4], grade],
            [labels[5], serial],
            ["Số vào sổ gốc cấp bằng", register],
        ]
        y = cv.table(x, y, [w * 0.36, w * 0.64], rows, size=size) + lead
        sign(
            cv,
            x + w * 0.68,
            y,
            size=size - 0.5,
            when=f"{world.loc.short}, {date_text(world.today, 4)}",
            titles=["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"],
            name=copy_signer,
            ring=f"{dept} *" if seal else None,
        )

    rng_copy = f"{rng.randint(1, 900)}/BS"
    copy_signer = upper(official_name(rng))
    return truth.plan("diploma", ((diploma, temporary, register_copy)[variant],))
