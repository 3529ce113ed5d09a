"""Family d: copies of identity cards, drawn by family d's own card painter.

0: the 2024 "Căn cước": front above back at the left of the sheet, enlarged, every value under its bilingual
   label; the file code and page number of the centre's copy at the top ("Mã hồ sơ …", "Trang 1/1"), a "SAO Y
   BẢN CHÍNH" stamp and a seal pressed over the back;
1: the 2021 chip card, front and back side by side in the lower half, the inline labels bilingual with spaced
   slashes ("Họ và tên / Full name:"); above them the citizen's handwritten note with a phone number.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from ..canvas import INK, Canvas, Color
from ..family_b.parts import PlanB, Truth, date_text, pick
from ..vn import Person, World, birthday_at, expiry_for, mrz_lines, official_name, random_date, upper
from .common import PEN, office, seal_over

VARIANTS = 2
W, H = 85.6, 53.98
TITLE_RED: Color = (170, 35, 45)
MARKS = ("Nốt ruồi cách 1,5cm dưới sau mép trái", "Sẹo chấm cách 2cm trên đầu lông mày phải",
         "Nốt ruồi cách 3cm dưới cằm bên trái", "Sẹo chấm cách 1cm sau đuôi mắt phải")


class Side:
    """One side of a card at (x, y) mm on the sheet, ``k`` times its real size, in a copier's gray."""

    def __init__(self, cv: Canvas, x: float, y: float, k: float, tone: int):
        self.cv, self.x, self.y, self.k = cv, x, y, k
        cv.rect(x, y, W * k, H * k, radius=2.5 * k, fill=(tone, tone, tone), color=(70, 70, 70), width=0.35)
        cv.rect(x + 1.2 * k, y + H * k * 0.78, W * k - 2.4 * k, H * k * 0.2, fill=(tone - 8,) * 3,
                color=(tone - 8,) * 3, width=0.1)

    def at(self, u: float, v: float) -> tuple[float, float]:
        return self.x + u * self.k, self.y + v * self.k

    def t(self, u: float, v: float, text: str, size: float, style: str = "regular", *, align: str = "left",
          color: Color = INK, max_w: float = 56.0) -> None:
        x, y = self.at(u, v)
        self.cv.text(x, y, text, size=size * self.k, style=style, align=align, color=color, max_width=max_w * self.k)

    def under(self, u: float, v: float, label: str, value: str, *, lsize: float = 4.4, vsize: float = 6.0,
              max_w: float = 56.0, pitch: float = 3.1) -> float:
        """The label, then the value under it (wrapped); returns the v under the last value line."""
        self.t(u, v, label, lsize, max_w=max_w)
        v += pitch
        for part in self.cv.wrap(value, size=vsize * self.k, style="bold", first_width=max_w * self.k,
                                 width=max_w * self.k):
            self.t(u, v, part, vsize, "bold", max_w=max_w)
            v += pitch
        return v


def build(world: World, rng: random.Random, variant: int, seal: bool, role: int = 0) -> PlanB:
    p: Person = (world.applicant, world.spouse)[role] if role in (0, 1) else world.stranger(rng)
    fourteen = birthday_at(p.birth, 14)
    if variant == 0:
        start, end = max(date(2024, 7, 1), fourteen), world.today - timedelta(days=15)
    else:
        start, end = max(date(2021, 1, 15), fourteen), min(date(2024, 6, 25), world.today - timedelta(days=15))
    issued = random_date(rng, start, max(start, end))
    exp = expiry_for(p.birth, issued)
    expiry = date_text(exp, 0) if exp else "Không thời hạn"
    residence = p.residence.full() if variant == 0 else p.residence.card()
    mrz = mrz_lines(p.id_number, p.name, p.sex, p.birth, exp)
    _, place, ring, _ = office(world, rng)
    mark = pick(rng, MARKS)
    chief = upper(official_name(rng))
    file_code = (f"H{world.loc.code[1:]}.{rng.randint(10, 99)}-{world.today.strftime('%y%m%d')}-"
                 f"{rng.randint(1, 9999):04d}")
    if variant == 0:
        labels = ("Số định danh cá nhân / Personal identification number",
                  "Họ, chữ đệm và tên khai sinh / Surname, middle name and given name",
                  "Ngày, tháng, năm sinh / Date of birth", "Giới tính / Sex", "Nơi cư trú / Place of residence",
                  "Ngày, tháng, năm hết hạn / Date of expiry")
    else:
        labels = ("Số / No.:", "Họ và tên / Full name:", "Ngày sinh / Date of birth:", "Giới tính / Sex:",
                  "Nơi thường trú / Place of residence:", "Có giá trị đến / Date of expiry:")
    truth = Truth()
    truth.digits("id_number", p.id_number, labels[0])
    truth.name("full_name", p.name, labels[1])
    truth.date("date_of_birth", p.birth, labels[2])
    truth.add("sex", p.sex, labels[3])
    truth.add("place_of_residence", residence, labels[4])
    truth.add("expiry_date", exp.isoformat() if exp else expiry, labels[5])
    qr = f"{p.id_number}||{p.name}|{p.birth.strftime('%d%m%Y')}|{p.sex}|{residence}|{issued.strftime('%d%m%Y')}"

    def heads(s: Side, name: str, english: str) -> None:
        s.cv.emblem(*s.at(9.5, 9.5), 11.5 * s.k)
        s.t(47.0, 5.0, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 4.8, "bold", align="center", max_w=52)
        s.t(47.0, 8.0, "Độc lập - Tự do - Hạnh phúc", 4.6, "bold", align="center", max_w=50)
        s.t(47.0, 12.6, "SOCIALIST REPUBLIC OF VIET NAM", 3.6, align="center", max_w=50)
        s.t(47.0, 17.0, name, 7.8, "bold", align="center", color=TITLE_RED, max_w=50)
        if english:
            s.t(47.0, 20.0, english, 4.0, "bold", align="center", max_w=50)

    def front_2024(s: Side) -> None:
        heads(s, "CĂN CƯỚC", "IDENTITY CARD")
        s.cv.photo(*s.at(3.0, 23.0), 18.0 * s.k, 23.0 * s.k)
        s.cv.qr(*s.at(76.0, 2.5), 8.0 * s.k, qr)
        v = s.under(24.0, 23.4, labels[0], p.id_number, vsize=6.4)
        v = s.under(24.0, v, labels[1], upper(p.name))
        s.t(24.0, v, f"{labels[2]}: ", 3.9, max_w=40)
        s.t(24.0, v + 3.1, date_text(p.birth, 0), 5.2, "bold", max_w=24)
        s.t(52.0, v, f"{labels[3]}:", 3.9, max_w=24)
        s.t(52.0, v + 3.1, p.sex, 5.2, "bold", max_w=24)
        s.t(24.0, v + 6.6, "Quốc tịch / Nationality: Việt Nam", 3.9, max_w=56)

    def back_2024(s: Side) -> None:
        v = s.under(4.0, 5.0, labels[4], residence, max_w=60.0)
        v = s.under(4.0, v, "Nơi đăng ký khai sinh / Place of birth", p.birth_loc.province, max_w=60.0)
        s.t(4.0, v, "Ngày, tháng, năm cấp / Date of issue", 3.9, max_w=40)
        s.t(4.0, v + 3.1, date_text(issued, 0), 5.0, "bold", max_w=30)
        s.t(45.0, v, labels[5], 3.9, max_w=40)
        s.t(45.0, v + 3.1, expiry, 5.0, "bold", max_w=30)
        s.t(75.0, 6.0, "BỘ CÔNG AN", 3.8, "bold", align="center", max_w=20)
        s.cv.signature(*s.at(75.0, 13.0), width=11.0 * s.k)
        for i, line in enumerate(mrz):
            x, y = s.at(4.0, 43.0 + 4.2 * i)
            s.cv.draw.text((s.cv.pxf(x), s.cv.pxf(y)), line, font=s.cv.mono(8.2 * s.k), fill=INK, anchor="ls")
            s.cv.record(line)

    def front_2021(s: Side) -> None:
        heads(s, "CĂN CƯỚC CÔNG DÂN", "Citizen Identity Card")
        s.cv.photo(*s.at(3.0, 22.0), 18.0 * s.k, 23.0 * s.k)
        s.cv.qr(*s.at(75.0, 2.0), 9.0 * s.k, qr)
        s.t(24.0, 24.0, f"{labels[0]} {p.id_number}", 5.6, "bold", max_w=58)
        s.t(24.0, 27.6, labels[1], 4.0, max_w=58)
        s.t(24.0, 30.8, upper(p.name), 5.8, "bold", max_w=58)
        s.t(24.0, 34.0, f"{labels[2]} {date_text(p.birth, 0)}", 4.2, max_w=58)
        s.t(24.0, 37.0, f"{labels[3]} {p.sex}     Quốc tịch / Nationality: Việt Nam", 4.0, max_w=60)
        s.t(24.0, 40.0, "Quê quán / Place of origin:", 4.0, max_w=58)
        s.t(24.0, 43.0, p.origin, 4.4, "bold", max_w=58)
        s.t(24.0, 46.0, labels[4], 4.0, max_w=58)
        s.t(24.0, 49.0, residence, 4.4, "bold", max_w=60)
        s.t(2.5, 49.0, labels[5], 3.0, max_w=20)
        s.t(2.5, 52.0, expiry, 3.8, "bold", max_w=20)

    def back_2021(s: Side) -> None:
        s.t(4.0, 6.0, "Đặc điểm nhân dạng / Personal identification:", 4.0, max_w=60)
        s.t(4.0, 9.2, mark, 4.3, "bold", max_w=60)
        s.t(4.0, 13.2, f"Ngày, tháng, năm / Date, month, year: {date_text(issued, 0)}", 4.0, max_w=60)
        s.t(34.0, 17.6, "CỤC TRƯỞNG CỤC CẢNH SÁT", 3.9, "bold", align="center", max_w=50)
        s.t(34.0, 20.4, "QUẢN LÝ HÀNH CHÍNH VỀ TRẬT TỰ XÃ HỘI", 3.9, "bold", align="center", max_w=52)
        s.cv.signature(*s.at(34.0, 27.0), width=13.0 * s.k)
        s.t(34.0, 34.5, chief, 4.2, "bold", align="center", max_w=50)
        for i in range(2):
            s.cv.fingerprint(*s.at(62.0 + i * 11.5, 8.0), 10.0 * s.k, 14.0 * s.k)
        for i, line in enumerate(mrz):
            x, y = s.at(4.0, 43.0 + 4.2 * i)
            s.cv.draw.text((s.cv.pxf(x), s.cv.pxf(y)), line, font=s.cv.mono(8.2 * s.k), fill=INK, anchor="ls")
            s.cv.record(line)

    note_phone = p.phone[:4] + " " + p.phone[4:7] + " " + p.phone[7:]

    def render(cv: Canvas) -> None:
        r = cv.rng
        tone = r.randint(210, 236)
        if variant == 0:
            size = r.uniform(10.0, 11.0)
            cv.text(18.0, 14.0, f"Mã hồ sơ: {file_code}", size=size, style="italic")
            cv.text(cv.width_mm - 16.0, 14.0, "Trang 1/1", size=size, align="right")
            k = r.uniform(1.3, 1.45)
            x, y = r.uniform(16.0, 24.0), r.uniform(24.0, 32.0)
            front_2024(Side(cv, x, y, k, tone))
            y2 = y + H * k + r.uniform(5.0, 10.0)
            back_2024(Side(cv, x, y2, k, tone))
            sx = min(cv.width_mm - 40.0, x + W * k - 10.0)
            cv.rubber_stamp(sx, y2 + H * k * 0.35, [("SAO Y BẢN CHÍNH", 12.0)], color=(200, 40, 50),
                            angle=r.uniform(-8, 8))
            if seal:
                seal_over(cv, sx - 4.0, y2 + H * k * 0.62, ring)
            yy = y2 + H * k + 14.0
            cv.text(cv.width_mm - 60.0, yy, f"{place}, {date_text(world.today, 4)}", size=size, style="italic",
                    align="center")
            cv.text(cv.width_mm - 60.0, yy + 6.0, "CÔNG CHỨC TƯ PHÁP - HỘ TỊCH", size=size, style="bold",
                    align="center")
            cv.signature(cv.width_mm - 60.0, yy + 16.0, width=30.0)
        else:
            size = r.uniform(11.0, 12.5)
            x0 = r.uniform(18.0, 28.0)
            cv.text(x0, 30.0, "Tôi xin cam đoan bản sao này đúng với bản chính.", size=size, style="italic", color=PEN)
            cv.text(x0, 38.0, f"Người nộp: {upper(p.name)} - SĐT: {note_phone}", size=size, style="italic",
                    color=PEN)
            k = r.uniform(0.95, 1.05)
            gap = r.uniform(3.0, 8.0)
            x = (cv.width_mm - 2 * W * k - gap) / 2 + r.uniform(-4.0, 4.0)
            y = r.uniform(150.0, 175.0)
            front_2021(Side(cv, x, y, k, tone))
            back_2021(Side(cv, x + W * k + gap, y, k, tone))
            if seal:
                seal_over(cv, x + W * k + gap + 20.0, y + H * k + 14.0, ring)

    return truth.plan("cccd", (render,))
