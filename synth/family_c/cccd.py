"""Family c: copies of identity cards, drawn by their own card painter.

0: the 2016 CCCD without a chip (no MRZ, fingerprints on the back), front above back in the middle of the
   sheet, enlarged, a certification of the copy under them;
1: the 2024 "Căn cước" (personal identification number, residence on the back, MRZ), both sides side by side at
   the top of the sheet, a handwritten-style copy note under them;
2: the 2021 chip card, front at the top left and back at the bottom right of the sheet, lightly toned.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from ..canvas import INK, Canvas, Color
from ..family_b.parts import PlanB, T, Truth, date_text, inline, pick, sign
from ..vn import Person, World, birthday_at, expiry_for, mrz_lines, official_name, random_date, upper
from .common import committee

VARIANTS = 3
W, H = 85.6, 53.98
RED: Color = (150, 40, 40)

MARKS = (
    "Sẹo chấm C: 1cm trên đuôi lông mày trái",
    "Nốt ruồi C: 2cm dưới trước dái tai phải",
    "Sẹo chấm C: 1,5cm sau cánh mũi phải",
    "Nốt ruồi C: 3cm trên sau mép phải",
)


class Card:
    """One side of a card at (x, y) mm on the sheet, ``k`` times its real size."""

    def __init__(self, cv: Canvas, x: float, y: float, k: float, tone: int):
        self.cv, self.x, self.y, self.k = cv, x, y, k
        cv.rect(x, y, W * k, H * k, radius=3.0 * k, fill=(tone, tone, tone), color=(90, 90, 90), width=0.3)
        for i in range(5):  # guilloche rows as a copier leaves them
            yy = y + (12 + i * 8) * k
            cv.hline(x + 2 * k, x + (W - 2) * k, yy, width=0.1, color=(tone - 10,) * 3)

    def at(self, u: float, v: float) -> tuple[float, float]:
        return self.x + u * self.k, self.y + v * self.k

    def text(self, u: float, v: float, text: str, size: float, style: str = "regular", *, align: str = "left",
             color: Color = INK, max_w: float = 60.0) -> None:
        x, y = self.at(u, v)
        self.cv.text(x, y, text, size=size * self.k, style=style, align=align, color=color, max_width=max_w * self.k)

    def pair(self, u: float, v: float, label: str, value: str, size: float, *, max_w: float = 58.0) -> None:
        x, y = self.at(u, v)
        inline(self.cv, x, y, [T(label + " "), T(value, "bold")], size=size * self.k, max_width=max_w * self.k)

    def block(self, u: float, v: float, text: str, size: float, width: float, pitch: float) -> float:
        for part in self.cv.wrap(text, size=size * self.k, style="bold", first_width=width * self.k,
                                 width=width * self.k):
            self.text(u, v, part, size, "bold", max_w=width)
            v += pitch
        return v

    def mrz(self, lines: tuple[str, str, str], v: float = 42.0) -> None:
        cv = self.cv
        for i, line in enumerate(lines):
            x, y = self.at(4.0, v + 4.4 * i)
            cv.draw.text((cv.pxf(x), cv.pxf(y)), line, font=cv.mono(10.5 * self.k), fill=INK, anchor="ls")
            cv.record(line)


def _heads(card: Card, title: str, english: str) -> None:  # centred between the emblem and the QR code
    card.text(46.0, 5.2, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 5.0, "bold", align="center", max_w=50)
    card.text(46.0, 8.2, "Độc lập - Tự do - Hạnh phúc", 4.9, "bold", align="center", max_w=48)
    card.text(46.0, 13.8, title, 7.6, "bold", align="center", color=RED, max_w=50)
    card.text(46.0, 16.8, english, 4.6, "bold", align="center", max_w=48)


def build(world: World, rng: random.Random, variant: int, seal: bool, role: int = 0) -> PlanB:
    p: Person = (world.applicant, world.spouse)[role] if role in (0, 1) else world.stranger(rng)
    fourteen = birthday_at(p.birth, 14)
    if variant == 0:
        start, end = max(date(2016, 3, 1), fourteen), date(2020, 12, 31)
    elif variant == 1:
        start, end = max(date(2024, 7, 1), fourteen), world.today - timedelta(days=12)
    else:
        start, end = max(date(2021, 2, 1), fourteen), min(date(2024, 6, 28), world.today - timedelta(days=12))
    issued = random_date(rng, start, max(start, end))
    exp = expiry_for(p.birth, issued)
    expiry = date_text(exp, 0) if exp else "Không thời hạn"
    residence = p.residence.full() if variant == 1 else p.residence.card()
    origin = p.origin
    mark = pick(rng, MARKS)
    chief = upper(official_name(rng))
    mrz = mrz_lines(p.id_number, p.name, p.sex, p.birth, exp)
    _, place, ring, _ = committee(world, rng)
    cert_day = world.today - timedelta(days=rng.randint(0, 30))
    cert_no = rng.randint(10, 4000)
    clerk = official_name(rng)

    truth = Truth()
    if variant == 1:
        labels = ("Số định danh cá nhân/Personal identification number:", "Họ, chữ đệm và tên khai sinh/Full name:",
                  "Ngày, tháng, năm sinh/Date of birth:", "Giới tính/Sex:", "Nơi cư trú/Place of residence:",
                  "Ngày, tháng, năm hết hạn/Date of expiry:")
    elif variant == 0:
        labels = ("Số:", "Họ và tên:", "Ngày, tháng, năm sinh:", "Giới tính:", "Nơi thường trú:", "Có giá trị đến:")
    else:
        labels = ("Số/No.:", "Họ và tên/Full name:", "Ngày sinh/Date of birth:", "Giới tính/Sex:",
                  "Nơi thường trú/Place of residence:", "Có giá trị đến/Date of expiry:")
    truth.digits("id_number", p.id_number, labels[0])
    truth.name("full_name", p.name, labels[1])
    truth.date("date_of_birth", p.birth, labels[2])
    truth.add("sex", p.sex, labels[3])
    truth.add("place_of_residence", residence, labels[4])
    truth.add("expiry_date", exp.isoformat() if exp else expiry, labels[5])

    def front_2016(c: Card) -> None:
        c.cv.emblem(*c.at(11.0, 11.0), 14.0 * c.k)
        _heads(c, "CĂN CƯỚC CÔNG DÂN", "")
        c.cv.photo(*c.at(3.5, 20.0), 19.0 * c.k, 24.0 * c.k)
        c.pair(25.0, 21.5, labels[0], p.id_number, 6.2)
        c.text(25.0, 25.2, labels[1], 4.6)
        c.text(25.0, 28.6, upper(p.name), 6.4, "bold", max_w=58)
        c.pair(25.0, 32.0, labels[2], date_text(p.birth, 0), 4.7)
        inline(c.cv, *c.at(25.0, 35.2), [T(labels[3] + " "), T(p.sex, "bold"), T("    Quốc tịch: "),
                                          T("Việt Nam", "bold")], size=4.7 * c.k, max_width=58 * c.k)
        c.pair(25.0, 38.4, "Quê quán:", origin, 4.6)
        c.text(25.0, 41.6, labels[4], 4.6)
        c.block(25.0, 44.8, residence, 4.8, 58.0, 3.0)
        c.text(3.5, 48.0, labels[5], 4.0, max_w=21)
        c.text(3.5, 51.0, expiry, 4.4, "bold", max_w=21)

    def back_2016(c: Card) -> None:
        c.text(4.0, 6.0, "Đặc điểm nhân dạng:", 4.8)
        c.text(4.0, 9.4, mark, 4.8, "bold", max_w=50)
        c.text(4.0, 14.0, date_text(issued, 4), 4.8, "italic", max_w=50)
        c.text(30.0, 18.0, "CỤC TRƯỞNG CỤC CẢNH SÁT", 4.4, "bold", align="center", max_w=50)
        c.text(30.0, 21.0, "ĐKQL CƯ TRÚ VÀ DLQG VỀ DÂN CƯ", 4.4, "bold", align="center", max_w=50)
        c.cv.signature(*c.at(30.0, 28.0), width=14.0 * c.k)
        c.text(30.0, 36.0, chief, 4.6, "bold", align="center", max_w=50)
        for i, finger in enumerate(("Ngón trỏ trái", "Ngón trỏ phải")):
            c.cv.fingerprint(*c.at(58.0 + i * 13.5, 12.0), 12.0 * c.k, 16.0 * c.k)
            c.text(64.0 + i * 13.5, 32.0, finger, 3.4, align="center", max_w=13)

    def front_2024(c: Card, qr: str) -> None:
        c.cv.emblem(*c.at(10.0, 10.0), 12.0 * c.k)
        _heads(c, "CĂN CƯỚC", "IDENTITY CARD")
        c.cv.qr(*c.at(75.5, 3.0), 8.5 * c.k, qr)
        c.cv.photo(*c.at(3.5, 19.5), 19.0 * c.k, 24.0 * c.k)
        c.text(25.0, 21.5, labels[0], 4.2, max_w=58)
        c.text(25.0, 25.4, p.id_number, 7.0, "bold", max_w=40)
        c.text(25.0, 29.0, labels[1], 4.2, max_w=58)
        c.text(25.0, 32.4, upper(p.name), 6.4, "bold", max_w=58)
        c.pair(25.0, 36.0, labels[2], date_text(p.birth, 0), 4.4)
        inline(c.cv, *c.at(25.0, 39.4), [T(labels[3] + " "), T(p.sex, "bold"), T("   Quốc tịch/Nationality: "),
                                          T("Việt Nam", "bold")], size=4.4 * c.k, max_width=58 * c.k)

    def back_2024(c: Card) -> None:
        c.text(4.0, 5.0, labels[4], 4.3, max_w=58)
        v = c.block(4.0, 8.2, residence, 4.7, 58.0, 3.0)
        c.text(4.0, v + 0.6, "Nơi đăng ký khai sinh/Place of birth:", 4.3, max_w=58)
        c.text(4.0, v + 3.8, p.birth_loc.province, 4.7, "bold", max_w=58)
        c.pair(4.0, v + 7.2, "Ngày, tháng, năm cấp/Date of issue:", date_text(issued, 0), 4.3)
        c.pair(4.0, v + 10.4, labels[5], expiry, 4.3)
        c.text(71.0, 8.0, "BỘ CÔNG AN", 4.0, "bold", align="center", max_w=24)
        c.text(71.0, 10.8, "MINISTRY OF PUBLIC SECURITY", 3.0, align="center", max_w=24)
        c.cv.signature(*c.at(71.0, 18.0), width=12.0 * c.k)
        c.mrz(mrz)

    def front_2021(c: Card, qr: str) -> None:
        c.cv.emblem(*c.at(10.0, 10.0), 12.0 * c.k)
        _heads(c, "CĂN CƯỚC CÔNG DÂN", "Citizen Identity Card")
        c.cv.qr(*c.at(73.0, 2.5), 10.0 * c.k, qr)
        c.cv.photo(*c.at(3.5, 19.5), 19.0 * c.k, 24.0 * c.k)
        c.pair(25.0, 21.6, labels[0], p.id_number, 6.0)
        c.text(25.0, 24.8, labels[1], 4.4)
        c.text(25.0, 28.0, upper(p.name), 6.3, "bold", max_w=58)
        c.pair(25.0, 31.2, labels[2], date_text(p.birth, 0), 4.4)
        inline(c.cv, *c.at(25.0, 34.2), [T(labels[3] + " "), T(p.sex, "bold"), T("   Quốc tịch/Nationality: "),
                                          T("Việt Nam", "bold")], size=4.4 * c.k, max_width=58 * c.k)
        c.text(25.0, 37.2, "Quê quán/Place of origin:", 4.4)
        c.text(25.0, 40.2, origin, 4.7, "bold", max_w=58)
        c.text(25.0, 43.2, labels[4], 4.4)
        c.block(25.0, 46.2, residence, 4.7, 58.0, 2.9)
        c.text(3.5, 47.0, labels[5], 3.6, max_w=21)
        c.text(3.5, 50.4, expiry, 4.2, "bold", max_w=21)

    def back_2021(c: Card) -> None:
        c.text(4.0, 5.5, "Đặc điểm nhân dạng/Personal identification:", 4.2, max_w=55)
        c.text(4.0, 8.8, mark, 4.5, "bold", max_w=55)
        c.pair(4.0, 13.0, "Ngày, tháng, năm/Date, month, year:", date_text(issued, 0), 4.2, max_w=55)
        c.text(32.0, 17.4, "CỤC TRƯỞNG CỤC CẢNH SÁT", 4.0, "bold", align="center", max_w=50)
        c.text(32.0, 20.2, "QUẢN LÝ HÀNH CHÍNH VỀ TRẬT TỰ XÃ HỘI", 4.0, "bold", align="center", max_w=50)
        c.cv.signature(*c.at(32.0, 27.0), width=14.0 * c.k)
        c.text(32.0, 35.0, chief, 4.4, "bold", align="center", max_w=50)
        c.cv.fingerprint(*c.at(66.0, 6.0), 14.0 * c.k, 17.0 * c.k)
        c.mrz(mrz)

    qr = f"{p.id_number}|{p.old_id}|{p.name}|{p.birth.strftime('%d%m%Y')}|{p.sex}|{residence}"

    def certify(cv: Canvas, x: float, y: float, w: float, size: float) -> float:
        lead = size * 0.3528 * 1.4
        cv.text(x, y, "CHỨNG THỰC BẢN SAO ĐÚNG VỚI BẢN CHÍNH", size=size, style="bold", max_width=w)
        y += lead
        inline(cv, x, y, [T("Số chứng thực: "), T(f"{cert_no}", "bold"), T("   Quyển số: "),
                          T(f"{rng_book:02d}/{cert_day.year}-SCT/BS", "bold")], size=size - 0.5, max_width=w)
        y += lead
        return sign(cv, x + w * 0.5, y, size=size - 0.5, when=f"{place}, {date_text(cert_day, 4)}",
                    titles=("TM. ỦY BAN NHÂN DÂN", "CÔNG CHỨC TƯ PHÁP - HỘ TỊCH"), name=clerk,
                    ring=ring if seal else None, width=min(95.0, w))

    rng_book = rng.randint(1, 12)

    def render(cv: Canvas) -> None:
        r = cv.rng
        tone = r.randint(205, 232)
        if variant == 0:
            k = r.uniform(1.35, 1.6)
            x = (cv.width_mm - W * k) / 2 + r.uniform(-8, 8)
            y = r.uniform(14.0, 26.0)
            front_2016(Card(cv, x, y, k, tone))
            y += H * k + r.uniform(6.0, 14.0)
            back_2016(Card(cv, x, y, k, tone))
            y += H * k + 12.0
            certify(cv, max(14.0, x), y, min(150.0, cv.width_mm - x - 14.0), r.uniform(10.5, 12.0))
        elif variant == 1:
            k = r.uniform(0.98, 1.06)
            gap = r.uniform(2.0, 6.0)
            x = (cv.width_mm - 2 * W * k - gap) / 2
            y = r.uniform(16.0, 40.0)
            front_2024(Card(cv, x, y, k, tone), qr)
            back_2024(Card(cv, x + W * k + gap, y, k, tone))
            size = r.uniform(11.0, 12.5)
            note_y = y + H * k + 16.0
            cv.text(x, note_y, "Bản sao từ bản chính", size=size, style="italic")
            certify(cv, x + 20.0, note_y + 10.0, 120.0, size)
        else:
            k = r.uniform(1.15, 1.3)
            tone = r.randint(222, 240)
            x0, y0 = r.uniform(12.0, 22.0), r.uniform(14.0, 24.0)
            front_2021(Card(cv, x0, y0, k, tone), qr)
            x1 = cv.width_mm - W * k - r.uniform(12.0, 22.0)
            y1 = y0 + H * k + r.uniform(14.0, 30.0)
            back_2021(Card(cv, x1, y1, k, tone))
            certify(cv, 20.0, y1 + H * k + 14.0, 120.0, r.uniform(10.5, 12.0))

    return truth.plan("cccd", (render,))

