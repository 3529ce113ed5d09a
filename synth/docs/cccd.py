"""Photocopy of a citizen identity card (CCCD 2021 chip card, or the 2024 "Căn cước"): front and back on A4."""

from __future__ import annotations

import math
import random
from datetime import date, timedelta

from ..canvas import INK, PURPLE, Canvas, Color, Run, leading_for
from ..vn import Person, World, birthday_at, dmy, expiry_for, fold, mrz_lines, official_name, random_date, upper
from .base import DocPlan, FieldSet, Issuer, sign_block, ward_committee

CARD_W, CARD_H = 85.6, 53.98
VARIANTS = 4  # 0: 2021 side by side, 1: 2021 stacked, 2: 2024 stacked, 3: 2024 side by side

FEATURES = ("Nốt ruồi C:1cm trên trước đầu mày trái", "Sẹo chấm C:2cm dưới sau mép phải",
            "Nốt ruồi C:1,5cm dưới trước cánh mũi phải", "Sẹo chấm C:1cm trên sau đuôi mắt trái",
            "Nốt ruồi C:2cm dưới sau mép trái", "Sẹo chấm C:3cm trên trước tai phải")


def card_place(text: str) -> str:
    """"xã Nghi Lộc, tỉnh Nghệ An" -> "Nghi Lộc, Nghệ An" (identity cards drop the unit words)."""
    parts = []
    for part in text.split(", "):
        for prefix in ("phường ", "xã ", "tỉnh ", "thành phố "):
            if part.startswith(prefix):
                part = part[len(prefix):]
        parts.append(part)
    return ", ".join(parts)


class Card:
    """Draws on a card-sized area of the page in card millimetres, scaled."""

    def __init__(self, cv: Canvas, x: float, y: float, scale: float, tone: int):
        self.cv, self.x, self.y, self.s = cv, x, y, scale
        cv.rect(x, y, CARD_W * scale, CARD_H * scale, radius=3.2 * scale, fill=(tone, tone, tone),
                color=(90, 90, 90), width=0.3)
        rng = cv.rng
        # faint guilloche of the card background as the copier renders it
        for k in range(9):
            amp = rng.uniform(1.0, 3.0)
            phase = rng.uniform(0, 6.28)
            pts = []
            for i in range(60):
                u = 2 + i * (CARD_W - 4) / 59
                v = 6 + k * 5.4 + amp * math.sin(u / 6.0 + phase)
                pts.append((cv.pxf(self.X(u)), cv.pxf(self.Y(v))))
            cv.draw.line(pts, fill=(tone - 14, tone - 14, tone - 14), width=max(1, cv.px(0.15)))

    def X(self, u: float) -> float:
        return self.x + u * self.s

    def Y(self, v: float) -> float:
        return self.y + v * self.s

    def text(self, u: float, v: float, text: str, size: float, style: str = "regular", *, align: str = "left",
             color: Color = INK, max_w: float | None = None) -> float:
        return self.cv.text(self.X(u), self.Y(v), text, size=size * self.s, style=style, align=align, color=color,
                            max_width=None if max_w is None else max_w * self.s) / self.s

    def runs(self, u: float, v: float, runs: list[Run], size: float, max_w: float | None = None) -> float:
        return self.cv.runs(self.X(u), self.Y(v), runs, size=size * self.s,
                            max_width=None if max_w is None else max_w * self.s) / self.s

    def labelled(self, u: float, v: float, label: str, value: str, size: float, *,
                 width: float, next_u: float | None = None, pitch: float = 3.0) -> float:
        """Label and value on one line, the value wrapped onto following lines; returns the next v."""
        cv = self.cv
        label_w = cv.width(label + " ", size * self.s) / self.s
        parts = cv.wrap(value, size=size * self.s, style="bold", first_width=(width - label_w) * self.s,
                        width=(width - ((next_u or u) - u)) * self.s)
        for i, part in enumerate(parts):
            if i == 0:
                runs = [Run(label + " ", "regular")] + ([Run(part, "bold")] if part else [])
                self.cv.runs(self.X(u), self.Y(v), runs, size=size * self.s)
            else:
                self.text(next_u or u, v, part, size, "bold")
            v += pitch
        return v

    def mono(self, u: float, v: float, text: str, size: float) -> None:
        cv = self.cv
        cv.draw.text((cv.pxf(self.X(u)), cv.pxf(self.Y(v))), text, font=cv.mono(size * self.s), fill=INK,
                     anchor="ls")
        cv.record(text)


def _header(card: Card, center: float) -> None:
    card.text(center, 5.2, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 5.4, "bold", align="center", max_w=50)
    card.text(center, 8.0, "Độc lập - Tự do - Hạnh phúc", 5.2, "bold", align="center", max_w=50)
    card.text(center, 10.7, "SOCIALIST REPUBLIC OF VIET NAM", 4.5, align="center", max_w=50)
    card.text(center, 13.2, "Independence - Freedom - Happiness", 4.5, align="center", max_w=50)


def _front(card: Card, p: Person, *, new: bool, expiry: str, qr: str | None) -> None:
    cv = card.cv
    cv.emblem(card.X(9.0), card.Y(9.2), 12.0 * card.s)
    _header(card, 46.0)
    if qr:
        cv.qr(card.X(73.0), card.Y(2.5), 10.5 * card.s, qr)
    red: Color = (150, 60, 60)
    if new:
        card.text(50.0, 18.4, "CĂN CƯỚC", 9.0, "bold", align="center", color=red)
        card.text(50.0, 21.4, "IDENTITY CARD", 5.0, "bold", align="center")
    else:
        card.text(50.0, 18.4, "CĂN CƯỚC CÔNG DÂN", 8.0, "bold", align="center", color=red, max_w=54)
        card.text(50.0, 21.4, "Citizen Identity Card", 5.0, "bold", align="center")
    cv.photo(card.X(3.0), card.Y(17.0), 20.0 * card.s, 25.0 * card.s)
    u, w = 25.0, 59.0
    if new:
        card.text(u, 25.0, "Số định danh cá nhân / Personal identification number:", 4.4, max_w=w)
        card.text(u, 28.8, p.id_number, 8.0, "bold")
        card.text(u, 32.4, "Họ, chữ đệm và tên khai sinh / Full name:", 4.4, max_w=w)
        card.text(u, 35.8, p.upper, 7.0, "bold", max_w=w)
        card.runs(u, 39.4, [Run("Ngày, tháng, năm sinh / Date of birth: "), Run(dmy(p.birth), "bold")], 4.6,
                  max_w=w)
        card.runs(u, 43.0, [Run("Giới tính / Sex: "), Run(p.sex, "bold")], 4.6)
        card.runs(u + 24.0, 43.0, [Run("Quốc tịch / Nationality: "), Run("Việt Nam", "bold")], 4.6, max_w=35)
        return
    card.runs(u, 25.2, [Run("Số / No.: "), Run(p.id_number, "bold")], 6.6)
    card.text(u, 28.8, "Họ và tên / Full name:", 4.6)
    card.text(u, 32.2, p.upper, 7.0, "bold", max_w=w)
    card.runs(u, 35.6, [Run("Ngày sinh / Date of birth: "), Run(dmy(p.birth), "bold")], 4.6)
    card.runs(u, 38.8, [Run("Giới tính / Sex: "), Run(p.sex, "bold")], 4.6)
    card.runs(u + 22.0, 38.8, [Run("Quốc tịch / Nationality: "), Run("Việt Nam", "bold")], 4.6, max_w=37)
    card.text(u, 42.0, "Quê quán / Place of origin:", 4.6)
    card.text(u, 45.0, card_place(p.origin), 5.2, "bold", max_w=w)
    card.labelled(u, 48.2, "Nơi thường trú / Place of residence:", p.residence.card(), 4.8, width=w,
                  pitch=3.0)
    card.text(3.0, 46.6, f"Có giá trị đến: {expiry}", 4.2, max_w=21.5)
    card.text(3.0, 49.0, "Date of expiry", 4.2, "italic")


def _back(card: Card, p: Person, *, new: bool, issued: date, expiry: str, feature: str, signer: str,
          mrz: tuple[str, str, str], qr: str | None, seal: bool) -> None:
    cv = card.cv
    if new:
        w = 60.0
        card.text(3.0, 5.6, "Nơi cư trú / Place of residence:", 4.4)
        v = 8.8
        for part in cv.wrap(p.residence.card(), size=5.0 * card.s, style="bold", first_width=w * card.s,
                            width=w * card.s):
            card.text(3.0, v, part, 5.0, "bold")
            v += 2.9
        card.text(3.0, v + 0.6, "Nơi đăng ký khai sinh / Place of birth:", 4.4)
        card.text(3.0, v + 3.6, card_place(p.origin), 5.0, "bold", max_w=w)
        card.runs(3.0, v + 7.2, [Run("Ngày, tháng, năm cấp / Date of issue: "), Run(dmy(issued), "bold")], 4.4,
                  max_w=w)
        card.runs(3.0, v + 10.4, [Run("Ngày, tháng, năm hết hạn / Date of expiry: "), Run(expiry, "bold")],
                  4.4, max_w=w)
        if qr:
            cv.qr(card.X(68.0), card.Y(3.0), 14.0 * card.s, qr)
        card.text(74.0, 24.0, "BỘ CÔNG AN", 5.0, "bold", align="center")
        card.text(74.0, 26.4, "MINISTRY OF PUBLIC SECURITY", 3.4, align="center", max_w=20)
        if seal:
            cv.seal(card.X(70.0), card.Y(30.5), "BỘ CÔNG AN * CỤC CẢNH SÁT QLHC VỀ TTXH *", diameter=12.0 * card.s)
        cv.signature(card.X(75.0), card.Y(31.0), width=12.0 * card.s)
    else:
        card.text(3.0, 5.8, "Đặc điểm nhân dạng / Personal identification:", 4.4, max_w=44)
        card.text(3.0, 8.8, feature, 4.8, "bold", max_w=44)
        card.runs(3.0, 12.6, [Run("Ngày, tháng, năm / Date, month, year: "), Run(dmy(issued), "bold")], 4.4,
                  max_w=44)
        card.text(23.0, 16.8, "CỤC TRƯỞNG CỤC CẢNH SÁT", 4.6, "bold", align="center", max_w=42)
        card.text(23.0, 19.3, "QUẢN LÝ HÀNH CHÍNH VỀ TRẬT TỰ XÃ HỘI", 4.6, "bold", align="center", max_w=42)
        if seal:
            cv.seal(card.X(15.0), card.Y(26.5), "BỘ CÔNG AN * CỤC CẢNH SÁT QLHC VỀ TTXH *", diameter=13.0 * card.s)
        cv.signature(card.X(24.0), card.Y(26.0), width=14.0 * card.s)
        card.text(23.0, 33.2, signer, 5.2, "bold", align="center", max_w=42)
        for u, vi, en in ((48.0, "Ngón trỏ trái", "Left index finger"),
                          (66.5, "Ngón trỏ phải", "Right index finger")):
            cv.fingerprint(card.X(u), card.Y(3.0), 15.5 * card.s, 18.0 * card.s)
            card.text(u + 7.75, 24.0, vi, 4.0, align="center")
            card.text(u + 7.75, 26.3, en, 3.8, "italic", align="center")
        cv.rect(card.X(62.0), card.Y(29.0), 11.0 * card.s, 8.5 * card.s, fill=(185, 185, 185), color=(80, 80, 80),
                width=0.25, radius=1.0 * card.s)
    for i, line in enumerate(mrz):
        card.mono(4.0, 42.2 + 4.4 * i, line, 11.2)


def build(world: World, rng: random.Random, variant: int, seal: bool, role: int = 0) -> DocPlan:
    person = (world.applicant, world.spouse)[role] if role in (0, 1) else world.stranger(rng)
    new = variant in (2, 3)
    fourteen = birthday_at(person.birth, 14)
    if new:
        start, end = max(date(2024, 7, 1), fourteen), world.today - timedelta(days=15)
    else:
        start, end = max(date(2021, 3, 1), fourteen), min(date(2024, 6, 28), world.today - timedelta(days=15))
    issued = random_date(rng, start, max(start, end))
    exp_date = expiry_for(person.birth, issued)
    expiry = dmy(exp_date) if exp_date else "Không thời hạn"
    feature = rng.choice(FEATURES)
    signer = upper(official_name(rng)) if not new else ""
    mrz = mrz_lines(person.id_number, person.name, person.sex, person.birth, exp_date)
    qr = (f"{person.id_number}|{person.old_id}|{person.name}|{person.birth.strftime('%d%m%Y')}|{person.sex}|"
          f"{person.residence.card()}|{issued.strftime('%d%m%Y')}")
    certify = rng.random() < 0.6
    cert_day = world.today - timedelta(days=rng.randint(0, 20))
    cert_no = rng.randint(12, 2400)
    committee = ward_committee(world, rng)
    clerk = official_name(rng)

    fields = FieldSet()
    fields.digits("id_number", person.id_number)
    fields.name("full_name", person.name)
    fields.date("date_of_birth", person.birth)
    fields.add("sex", person.sex)
    fields.add("place_of_residence", person.residence.card())
    fields.add("expiry_date", exp_date.isoformat() if exp_date else expiry)

    def render(cv: Canvas) -> None:
        crng = cv.rng
        tone = crng.randint(206, 228)
        side = variant in (0, 3)
        left = crng.uniform(10.0, 16.0)
        usable = cv.width_mm - 2 * left
        if side:
            s = min(crng.uniform(0.96, 1.08), (usable - 6.0) / (2 * CARD_W))
            gap = usable - 2 * CARD_W * s
            top = crng.uniform(18.0, 45.0)
            front = Card(cv, left, top, s, tone)
            back_xy = (left + CARD_W * s + gap * crng.uniform(0.4, 1.0), top + crng.uniform(-2, 2))
            bottom = top + CARD_H * s
        else:
            s = crng.uniform(1.0, 1.5)
            x = (cv.width_mm - CARD_W * s) / 2 + crng.uniform(-12, 12)
            top = crng.uniform(16.0, 30.0)
            front = Card(cv, x, top, s, tone)
            back_xy = (x + crng.uniform(-4, 4), top + CARD_H * s + crng.uniform(8.0, 22.0))
            bottom = back_xy[1] + CARD_H * s
        _front(front, person, new=new, expiry=expiry, qr=qr if crng.random() < 0.8 else None)
        back = Card(cv, back_xy[0], back_xy[1], s, tone)
        _back(back, person, new=new, issued=issued, expiry=expiry, feature=feature, signer=signer, mrz=mrz,
              qr=qr if new else None, seal=seal)
        if certify and bottom < cv.height_mm - 90:
            _certification(cv, committee, bottom + crng.uniform(12.0, 30.0), cert_no, cert_day, clerk, seal)

    return DocPlan("cccd", fields.freeze(), (render,))


def _certification(cv: Canvas, committee: Issuer, y: float, number: int, day: date, clerk: str,
                   seal: bool) -> None:
    """The "certified true copy" stamp of the ward with its signature and seal."""
    rng = cv.rng
    size = rng.uniform(11.0, 12.5)
    lead = leading_for(size, 1.35)
    x = rng.uniform(15.0, 25.0)
    w = 88.0
    lines = [("CHỨNG THỰC BẢN SAO ĐÚNG VỚI BẢN CHÍNH", "bold"),
             (f"Số chứng thực: {number} Quyển số: 01/{day.year}-SCT/BS", "regular"),
             (f"Ngày {day.day:02d} tháng {day.month:02d} năm {day.year}", "regular")]
    cv.stamp_box(x - 2, y - lead, w, lead * len(lines) + 3)
    yy = y
    for text, style in lines:
        cv.text(x + w / 2 - 2, yy, text, size=size, style=style, align="center", color=PURPLE, max_width=w - 4)
        yy += lead
    office = committee.office if rng.random() < 0.5 else ("CÔNG CHỨC TƯ PHÁP - HỘ TỊCH",)
    sign_block(cv, x + w + (cv.width_mm - x - w) / 2 - 4, y, size=size, date_text=None, office=office,
               name=fold(clerk), seal_ring=committee.seal_ring if seal else None,
               gap=rng.uniform(16.0, 22.0))
