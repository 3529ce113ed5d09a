"""Family b: copies of identity cards. The card's own wording is fixed by law, so what varies is the copy:
where the sides sit on the sheet, their size, crop, tone, the order the fields are drawn in, the copy stamp.

0: 2021 chip card, sides stacked at the left, "BẢN SAO" and a certification box beside them;
1: 2024 "Căn cước", sides side by side low on the sheet, a copy note above;
2: 2021 chip card enlarged (the sides fill the width), copied with the lid open (dark margins).
"""

from __future__ import annotations

import math
import random
from datetime import date, timedelta

from ..canvas import INK, PURPLE, Canvas, Color
from ..vn import Person, World, birthday_at, expiry_for, fold, mrz_lines, official_name, random_date, upper
from .parts import PlanB, T, Truth, commune_office, date_text, inline, pick, sign

VARIANTS = 3
W, H = 85.6, 53.98
RED: Color = (140, 50, 50)


class Side:
    """One side of a card drawn at (x, y) and ``scale``; coordinates inside are card millimetres."""

    def __init__(self, cv: Canvas, x: float, y: float, scale: float, tone: int):
        self.cv, self.x, self.y, self.s = cv, x, y, scale
        cv.rect(x, y, W * scale, H * scale, radius=2.8 * scale, fill=(tone, tone, tone), color=(70, 70, 70), width=0.35)
        rng = cv.rng
        for k in range(7):  # the background pattern as the copier renders it
            pts = []
            amp, phase = rng.uniform(0.8, 2.5), rng.uniform(0.0, 6.28)
            for i in range(50):
                u = 3 + i * (W - 6) / 49
                pts.append((cv.pxf(self.u(u)), cv.pxf(self.v(8 + k * 6.5 + amp * math.cos(u / 5.0 + phase)))))
            cv.draw.line(pts, fill=(tone - 12,) * 3, width=max(1, cv.px(0.12)))

    def u(self, u: float) -> float:
        return self.x + u * self.s

    def v(self, v: float) -> float:
        return self.y + v * self.s

    def text(
        self,
        u: float,
        v: float,
        text: str,
        size: float,
        style: str = "regular",
        *,
        align: str = "left",
        color: Color = INK,
        max_w: float | None = None,
    ) -> None:
        self.cv.text(
            self.u(u),
            self.v(v),
            text,
            size=size * self.s,
            style=style,
            align=align,
            color=color,
            max_width=None if max_w is None else max_w * self.s,
        )

    def pair(self, u: float, v: float, label: str, value: str, size: float, *, max_w: float) -> None:
        inline(
            self.cv,
            self.u(u),
            self.v(v),
            [T(label + " "), T(value, "bold")],
            size=size * self.s,
            max_width=max_w * self.s,
        )

    def wrapped(self, u: float, v: float, text: str, size: float, width: float, pitch: float) -> float:
        for part in self.cv.wrap(
            text, size=size * self.s, style="bold", first_width=width * self.s, width=width * self.s
        ):
            self.text(u, v, part, size, "bold")
            v += pitch
        return v

    def mrz(self, lines: tuple[str, str, str]) -> None:
        cv = self.cv
        for i, line in enumerate(lines):
            cv.draw.text(
                (cv.pxf(self.u(3.5)), cv.pxf(self.v(41.5 + 4.5 * i))),
                line,
                font=cv.mono(11.0 * self.s),
                fill=INK,
                anchor="ls",
            )
            cv.record(line)


def _motto(side: Side, centre: float) -> None:
    side.text(centre, 5.0, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 5.2, "bold", align="center", max_w=52)
    side.text(centre, 7.9, "Độc lập - Tự do - Hạnh phúc", 5.0, "bold", align="center", max_w=50)
    side.text(centre, 10.6, "SOCIALIST REPUBLIC OF VIET NAM", 4.3, align="center", max_w=50)
    side.text(centre, 13.0, "Independence - Freedom - Happiness", 4.3, "italic", align="center", max_w=50)


def _front_2021(side: Side, p: Person, expiry: str, qr: str | None) -> None:
    cv = side.cv
    cv.emblem(side.u(9.5), side.v(9.0), 11.5 * side.s)
    _motto(side, 47.0)
    if qr:
        cv.qr(side.u(74.0), side.v(3.0), 10.0 * side.s, qr)
    side.text(50.0, 18.2, "CĂN CƯỚC CÔNG DÂN", 7.8, "bold", align="center", color=RED, max_w=52)
    side.text(50.0, 21.2, "Citizen Identity Card", 4.8, "bold", align="center")
    cv.photo(side.u(3.5), side.v(16.5), 19.5 * side.s, 24.5 * side.s)
    u, w = 25.5, 58.0
    side.pair(u, 24.8, "Số/No.:", p.id_number, 6.4, max_w=w)
    side.text(u, 28.0, "Họ và tên/Full name:", 4.5)
    side.text(u, 31.2, p.upper, 6.8, "bold", max_w=w)
    side.pair(u, 34.4, "Ngày sinh/Date of birth:", date_text(p.birth, 0), 4.5, max_w=w)
    inline(
        side.cv,
        side.u(u),
        side.v(37.4),
        [T("Giới tính/Sex: "), T(p.sex, "bold"), T("    Quốc tịch/Nationality: "), T("Việt Nam", "bold")],
        size=4.5 * side.s,
        max_width=w * side.s,
    )
    side.text(u, 40.4, "Quê quán/Place of origin:", 4.5)
    side.text(
        u,
        43.2,
        p.origin.replace("xã ", "").replace("phường ", "").replace("tỉnh ", "").replace("thành phố ", ""),
        5.0,
        "bold",
        max_w=w,
    )
    side.text(u, 46.2, "Nơi thường trú/Place of residence:", 4.5)
    side.wrapped(u, 49.0, p.residence.card(), 4.9, w, 2.7)
    side.text(3.5, 45.8, "Có giá trị đến:", 4.1)
    side.text(3.5, 48.2, expiry, 4.4, "bold", max_w=21)
    side.text(3.5, 50.6, "Date of expiry", 3.9, "italic")


def _back_2021(side: Side, issued: date, feature: str, signer: str, mrz: tuple[str, str, str], seal: bool) -> None:
    cv = side.cv
    for u, vi, en in ((3.5, "Ngón trỏ trái", "Left index finger"), (21.5, "Ngón trỏ phải", "Right index finger")):
        cv.fingerprint(side.u(u), side.v(3.5), 16.0 * side.s, 18.5 * side.s)
        side.text(u + 8.0, 24.6, vi, 3.9, align="center")
        side.text(u + 8.0, 26.8, en, 3.6, "italic", align="center")
    side.text(42.0, 6.0, "Đặc điểm nhân dạng/Personal identification:", 4.2, max_w=42)
    side.text(42.0, 9.0, feature, 4.6, "bold", max_w=42)
    side.pair(42.0, 12.8, "Ngày, tháng, năm/Date, month, year:", date_text(issued, 0), 4.1, max_w=42)
    side.text(63.0, 17.0, "CỤC TRƯỞNG CỤC CẢNH SÁT", 4.3, "bold", align="center", max_w=40)
    side.text(63.0, 19.4, "QUẢN LÝ HÀNH CHÍNH VỀ TRẬT TỰ XÃ HỘI", 4.3, "bold", align="center", max_w=40)
    if seal:
        cv.seal(side.u(55.0), side.v(27.0), "BỘ CÔNG AN * CỤC CẢNH SÁT QLHC VỀ TTXH *", diameter=12.5 * side.s)
    cv.signature(side.u(64.0), side.v(26.5), width=13.0 * side.s)
    side.text(63.0, 33.6, signer, 4.9, "bold", align="center", max_w=40)
    side.mrz(mrz)


def _front_2024(side: Side, p: Person, qr: str | None) -> None:
    cv = side.cv
    cv.emblem(side.u(9.5), side.v(9.0), 11.5 * side.s)
    _motto(side, 47.0)
    if qr:
        cv.qr(side.u(73.5), side.v(3.5), 8.5 * side.s, qr)
    side.text(52.0, 18.6, "CĂN CƯỚC", 8.8, "bold", align="center", color=RED)
    side.text(52.0, 21.6, "IDENTITY CARD", 4.8, "bold", align="center")
    cv.photo(side.u(3.5), side.v(17.5), 19.5 * side.s, 25.0 * side.s)
    u, w = 25.5, 58.0
    side.text(u, 25.2, "Số định danh cá nhân/Personal identification number:", 4.2, max_w=w)
    side.text(u, 29.0, p.id_number, 7.8, "bold")
    side.text(u, 32.6, "Họ, chữ đệm và tên khai sinh/Full name:", 4.2, max_w=w)
    side.text(u, 36.0, p.upper, 6.8, "bold", max_w=w)
    side.pair(u, 39.6, "Ngày, tháng, năm sinh/Date of birth:", date_text(p.birth, 0), 4.4, max_w=w)
    inline(
        side.cv,
        side.u(u),
        side.v(43.2),
        [T("Giới tính/Sex: "), T(p.sex, "bold"), T("    Quốc tịch/Nationality: "), T("Việt Nam", "bold")],
        size=4.4 * side.s,
        max_width=w * side.s,
    )


def _back_2024(
    side: Side, p: Person, issued: date, expiry: str, mrz: tuple[str, str, str], qr: str, seal: bool
) -> None:
    cv = side.cv
    w = 58.0
    side.text(3.5, 5.4, "Nơi cư trú/Place of residence:", 4.2)
    v = side.wrapped(3.5, 8.6, p.residence.card(), 4.8, w, 2.9)
    side.text(3.5, v + 0.6, "Nơi đăng ký khai sinh/Place of birth:", 4.2)
    side.text(3.5, v + 3.6, p.origin, 4.8, "bold", max_w=w)
    side.pair(3.5, v + 7.2, "Ngày, tháng, năm cấp/Date of issue:", date_text(issued, 0), 4.2, max_w=w)
    side.pair(3.5, v + 10.4, "Ngày, tháng, năm hết hạn/Date of expiry:", expiry, 4.2, max_w=w)
    cv.qr(side.u(67.5), side.v(3.0), 14.5 * side.s, qr)
    side.text(74.5, 23.8, "BỘ CÔNG AN", 4.8, "bold", align="center")
    side.text(74.5, 26.2, "MINISTRY OF PUBLIC SECURITY", 3.3, align="center", max_w=20)
    if seal:
        cv.seal(side.u(71.0), side.v(31.0), "BỘ CÔNG AN * CỤC CẢNH SÁT QLHC VỀ TTXH *", diameter=12.0 * side.s)
    cv.signature(side.u(76.0), side.v(31.5), width=12.0 * side.s)
    side.mrz(mrz)


FEATURES = (
    "Nốt ruồi cách 1,5cm dưới sau đuôi mắt phải",
    "Sẹo chấm cách 2cm trên trước cánh mũi trái",
    "Nốt ruồi cách 1cm trên sau mép trái",
    "Sẹo chấm cách 2,5cm dưới trước tai trái",
)


def build(world: World, rng: random.Random, variant: int, seal: bool, role: int = 0) -> PlanB:
    person = (world.applicant, world.spouse)[role] if role in (0, 1) else world.stranger(rng)
    new = variant == 1
    fourteen = birthday_at(person.birth, 14)
    if new:
        start, end = max(date(2024, 7, 1), fourteen), world.today - timedelta(days=10)
    else:
        start, end = max(date(2021, 1, 15), fourteen), min(date(2024, 6, 30), world.today - timedelta(days=10))
    issued = random_date(rng, start, max(start, end))
    exp = expiry_for(person.birth, issued)
    expiry = date_text(exp, 0) if exp else "Không thời hạn"
    mrz = mrz_lines(person.id_number, person.name, person.sex, person.birth, exp)
    qr = f"{person.id_number}||{person.name}|{person.birth.strftime('%d%m%Y')}|{person.sex}|{person.residence.card()}"
    feature = pick(rng, FEATURES)
    signer = upper(official_name(rng))
    office = commune_office(world, rng)
    clerk = fold(official_name(rng))
    cert_day = world.today - timedelta(days=rng.randint(0, 25))
    cert_no = f"{rng.randint(5, 3000)}/{cert_day.year}"

    truth = Truth()
    truth.digits(
        "id_number", person.id_number, "Số định danh cá nhân/Personal identification number" if new else "Số/No."
    )
    truth.name("full_name", person.name, "Họ, chữ đệm và tên khai sinh/Full name" if new else "Họ và tên/Full name")
    truth.date(
        "date_of_birth", person.birth, "Ngày, tháng, năm sinh/Date of birth" if new else "Ngày sinh/Date of birth"
    )
    truth.add("sex", person.sex, "Giới tính/Sex")
    truth.add(
        "place_of_residence",
        person.residence.card(),
        "Nơi cư trú/Place of residence" if new else "Nơi thường trú/Place of residence",
    )
    truth.add(
        "expiry_date",
        exp.isoformat() if exp else expiry,
        "Ngày, tháng, năm hết hạn/Date of expiry" if new else "Có giá trị đến",
    )

    def certification(cv: Canvas, x: float, y: float, w: float) -> float:
        size = cv.rng.uniform(10.5, 12.0)
        lead = size * 0.3528 * 1.35
        lines = [
            ("SAO Y BẢN CHÍNH", "bold"),
            (f"Số chứng thực: {cert_no}", "regular"),
            (f"Ngày {cert_day.day} tháng {cert_day.month} năm {cert_day.year}", "italic"),
        ]
        cv.stamp_box(x, y - lead, w, lead * len(lines) + 2.5)
        yy = y
        for text, style in lines:
            cv.text(x + w / 2, yy, text, size=size, style=style, align="center", color=PURPLE, max_width=w - 4)
            yy += lead
        return sign(
            cv,
            x + w / 2,
            yy + lead * 0.6,
            size=size,
            when=None,
            titles=office.titles,
            name=clerk,
            ring=office.ring if seal else None,
            space=cv.rng.uniform(15.0, 20.0),
            width=w,
        )

    def render(cv: Canvas) -> None:
        r = cv.rng
        tone = r.randint(196, 224)
        if variant == 0:
            s = r.uniform(1.1, 1.3)
            x = r.uniform(10.0, 18.0)
            y = r.uniform(14.0, 26.0)
            cv.text(x, y, "BẢN SAO", size=r.uniform(12.0, 14.0), style="bold", color=PURPLE)
            y += 5.0
            back_y = y + H * s + r.uniform(5.0, 14.0)
            _front_2021(Side(cv, x, y, s, tone), person, expiry, qr if r.random() < 0.7 else None)
            right = x + W * s + 8.0
            if right < cv.width_mm - 55.0:
                certification(cv, right, y + r.uniform(20.0, 50.0), cv.width_mm - right - 8.0)
            _back_2021(Side(cv, x, back_y, s, tone), issued, feature, signer, mrz, seal)
        elif variant == 1:
            s = min(r.uniform(0.95, 1.1), (cv.width_mm - 26.0) / (2 * W))
            x = r.uniform(8.0, 13.0)
            note = pick(r, ("Bản photo Căn cước", "Bản sao Căn cước (hai mặt)", "Photo hai mặt"))
            y0 = r.uniform(90.0, 140.0)
            cv.text(x, y0 - 10.0, note, size=r.uniform(11.0, 13.0), style="italic")
            _front_2024(Side(cv, x, y0, s, tone), person, qr if r.random() < 0.8 else None)
            bx = x + W * s + r.uniform(4.0, cv.width_mm - x - 2 * W * s - 8.0)
            _back_2024(Side(cv, bx, y0 + r.uniform(-3, 3), s, tone), person, issued, expiry, mrz, qr, seal)
            if y0 + H * s + 80.0 < 284.0:
                certification(cv, cv.width_mm - 105.0, y0 + H * s + 22.0, 90.0)
        else:
            s = (cv.width_mm - r.uniform(14.0, 24.0)) / W
            x = (cv.width_mm - W * s) / 2
            y = r.uniform(10.0, 16.0)
            dark = r.randint(60, 110)
            edge = r.uniform(3.0, 6.0)
            cv.rect(0, 0, cv.width_mm, edge, fill=(dark,) * 3, color=(dark,) * 3)
            cv.rect(0, cv.height_mm - edge, cv.width_mm, edge, fill=(dark,) * 3, color=(dark,) * 3)
            _front_2021(Side(cv, x, y, s, tone), person, expiry, qr)
            _back_2021(Side(cv, x, y + H * s + r.uniform(8.0, 20.0), s, tone), issued, feature, signer, mrz, seal)

    return truth.plan("cccd", (render,))
