"""Family d: upper-secondary diplomas.

0: the bilingual diploma as the law's sample prints it: the English half on the left ("Full name", "Date of
   birth", "Ranking"; the labels in the truth), the Vietnamese half on the right, every value twice; the
   serial and register number at the foot of each half;
1: the school's temporary certificate filled by hand: printed labels in bold capitals with their colons
   aligned, the values written in pen, the classification among printed words ("Xếp loại:"), the school's
   phone in the head and the certificate number at the top left.
"""

from __future__ import annotations

import random

from ..canvas import Canvas
from ..family_b.parts import PlanB, Truth, date_text, pick
from ..vn import World, official_name, upper
from .common import PEN, aligned, contact, head, page, signer

VARIANTS = 2
GRADES = ("Xuất sắc", "Giỏi", "Khá", "Trung bình")
ENGLISH = {"Xuất sắc": "Excellent", "Giỏi": "Very good", "Khá": "Good", "Trung bình": "Average"}


def build(world: World, rng: random.Random, variant: int, seal: bool, role: int = 0) -> PlanB:
    p = world.applicant if role != 1 else world.spouse
    loc = world.loc
    school = "Trường " + pick(rng, loc.schools)
    year = p.birth.year + 18
    grade = rng.choices(GRADES, (1, 3, 5, 3))[0]
    chief = official_name(rng)
    style = rng.randrange(3)
    if variant == 0:
        serial = f"{pick(rng, 'ABCDEGHKLMN')} {rng.randint(0, 9999999):07d}"
        labels = ("Full name:", "Date of birth:", "School:", "Year of graduation:", "Ranking:", "Serial No.:")
        vietnamese = ("Họ và tên:", "Ngày sinh:", "Học sinh trường:", "Năm tốt nghiệp:", "Xếp loại:", "Số hiệu:")
    else:
        serial = f"{rng.randint(10, 990)}/GCNTN-{pick(rng, ('THPT', 'TrTHPT', 'HT'))}"
        labels = ("HỌ VÀ TÊN HỌC SINH", "SINH NGÀY", "HỌC SINH CỦA", "KHÓA THI NĂM", "XẾP HẠNG TỐT NGHIỆP", "Số GCN:")
        vietnamese = labels
    truth = Truth()
    truth.name("full_name", p.name, labels[0])
    truth.date("date_of_birth", p.birth, labels[1])
    truth.add("school", school, labels[2])
    truth.add("graduation_year", str(year), labels[3])
    truth.add("classification", grade, labels[4])
    truth.add("serial_number", serial, labels[5])
    register = f"{rng.randint(1, 9999):04d}/{year}"
    issued = p.birth.replace(year=year, month=7, day=20 + rng.randint(0, 8))

    def v0(cv: Canvas) -> None:
        g = page(cv, 11.0)
        cv.rect(12.0, 12.0, cv.width_mm - 24.0, cv.height_mm - 24.0, width=1.0, color=(120, 40, 40))
        half = (cv.width_mm - 40.0) / 2
        xs = (18.0, 22.0 + half)
        y0 = g.top + 14.0
        eng = [("SOCIALIST REPUBLIC OF VIET NAM", "bold"), ("Independence - Freedom - Happiness", "italic")]
        vie = [("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "bold"), ("Độc lập - Tự do - Hạnh phúc", "bold")]
        ys = []
        for k, (x, mast) in enumerate(zip(xs, (eng, vie), strict=True)):
            y = y0
            for text, st in mast:
                cv.text(x + half / 2, y, text, size=g.size - 1, style=st, align="center", max_width=half - 2)
                y += g.lead
            y += g.lead
            for line in (("THE DIRECTOR OF THE DEPARTMENT", f"OF EDUCATION AND TRAINING {loc.edu_name}") if k == 0 else
                         ("GIÁM ĐỐC", f"SỞ GIÁO DỤC VÀ ĐÀO TẠO {loc.edu_name}")):
                cv.text(x + half / 2, y, line, size=g.size - 1, style="bold", align="center", max_width=half - 2)
                y += g.lead
            y += g.lead * 0.5
            cv.text(x + half / 2, y, "confers" if k == 0 else "cấp", size=g.size - 1, style="italic",
                    align="center")
            y += g.lead * 1.4
            name = ("UPPER SECONDARY SCHOOL", "GRADUATION DIPLOMA") if k == 0 else ("BẰNG TỐT NGHIỆP",
                                                                                   "TRUNG HỌC PHỔ THÔNG")
            for line in name:
                cv.text(x + half / 2, y, line, size=g.size + 2.5, style="bold", align="center", max_width=half - 2,
                        color=(170, 30, 40))
                y += g.lead * 1.2
            y += g.lead * 0.5
            words = labels if k == 0 else vietnamese
            items = [(words[0], upper(p.name)), (words[1], date_text(p.birth, style)), (words[2], school),
                     (words[3], str(year)), (words[4], ENGLISH[grade] if k == 0 else grade)]
            for label, value in items:
                y = cv.field(x, y, half - 2, label, value, size=g.size, leading=g.lead,
                             value_style="bold" if label.endswith("tên:") or label == "Full name:" else "regular")
            ys.append(y)
        y = max(ys) + g.lead
        cv.text(xs[0], y, f"{labels[5]} {serial}", size=g.size - 0.5)
        cv.text(xs[0], y + g.lead, f"Reg. No.: {register}", size=g.size - 0.5)
        signer(cv, g, y, f"{loc.short}, {date_text(issued, 4)}", ("GIÁM ĐỐC",), chief,
               ring=f"SỞ GIÁO DỤC VÀ ĐÀO TẠO {loc.edu_name} *" if seal else None, at=0.75)
        foot = cv.height_mm - 22.0
        cv.text(xs[1], foot - g.lead, f"{vietnamese[5]} {serial}", size=g.size - 0.5)
        cv.text(xs[1], foot, f"Số vào sổ cấp bằng: {register}", size=g.size - 0.5)

    def v1(cv: Canvas) -> None:
        g = page(cv, 12.0)
        x, w = g.left, g.width
        y = head(cv, g, (f"SỞ GD&ĐT {loc.edu_name}", upper(school)), f"{labels[5]} {serial}", style=0,
                 extra=contact(cv.rng))
        for line in ("GIẤY CHỨNG NHẬN TỐT NGHIỆP", "TRUNG HỌC PHỔ THÔNG TẠM THỜI"):
            cv.text(g.center, y, line, size=g.size + 3, style="bold", align="center", max_width=w)
            y += g.lead * 1.3
        cv.text(g.center, y, f"Hiệu trưởng {school} chứng nhận:", size=g.size, style="italic", align="center",
                max_width=w)
        y += g.lead * 1.5
        y = aligned(cv, g, x, y, w, [(labels[0], upper(p.name)), (labels[1], date_text(p.birth, style)),
                                     ("NƠI SINH", p.birth_loc.province), ("GIỚI TÍNH", p.sex),
                                     (labels[2], school), (labels[3], str(year)), (labels[4], grade)],
                    tab=cv.rng.uniform(44.0, 52.0), caps=True, value_style="italic", value_color=PEN)
        y = cv.paragraph(x, y + g.lead * 0.3, w, "Giấy chứng nhận có giá trị đến khi được cấp bằng tốt nghiệp chính "
                         "thức.", size=g.size - 0.5, leading=g.lead, style="italic")
        signer(cv, g, y + g.lead, f"{loc.short}, {date_text(issued, 3)}", ("HIỆU TRƯỞNG",), chief,
               ring=f"{upper(school)} * {upper(loc.short)}" if seal else None)

    return truth.plan("diploma", ((v0, v1)[variant],))
