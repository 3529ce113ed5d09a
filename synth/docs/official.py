"""Official documents (văn bản hành chính) a land or civil procedure attaches: a decision, a letter, a notice.

One layout for all (Nghị định 30/2020/NĐ-CP): the issuing body top left with its number under it, the motto
top right with the place-and-date line under it, the kind and subject centred (a letter's "V/v …" under its
number instead), the body, "Nơi nhận:" bottom left, the signer's title, signature, red seal and name bottom
right. Numbers and days are sometimes filled in by pen after signing (blue, apart from their symbol); a
received paper sometimes carries an "ĐẾN" stamp under its number.
"""

from __future__ import annotations

import random
from datetime import timedelta

from ..canvas import BLUE, INK, PURPLE, Canvas, Run, leading_for
from ..vn import World, dmy, official_name, upper, ward_name
from .base import MOTTO, MOTTO_2, DocPlan, FieldSet, Issuer, Layout, layout, sign_block, ward_committee

VARIANTS = 3  # 0: Quyết định (Căn cứ…, Điều 1…), 1: Công văn with "V/v" under its number, 2: Thông báo

PURPOSES = ("đất ở tại đô thị", "đất ở tại nông thôn", "đất thương mại, dịch vụ")
LETTER_SUBJECTS = (
    "V/v hướng dẫn hồ sơ cấp Giấy chứng nhận quyền sử dụng đất",
    "V/v trả lời đơn đề nghị của công dân",
    "V/v xác minh nguồn gốc sử dụng đất",
    "V/v đề nghị cung cấp thông tin thửa đất",
)


def _issuer(world: World, rng: random.Random) -> tuple[Issuer, str]:
    """The body and its symbol after the kind's initials ("UBND", "STNMT")."""
    loc = world.loc
    pick = rng.random()
    if pick < 0.45:
        return ward_committee(world, rng), "UBND"
    province = upper(loc.province)
    if pick < 0.75:
        office: tuple[str, ...] = rng.choice((("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"),
                             ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")))
        ring = f"ỦY BAN NHÂN DÂN {province} *"
        body = Issuer(("ỦY BAN NHÂN DÂN", province), office, ring, loc.short, f"Ủy ban nhân dân {loc.province}")
        return body, "UBND"
    parent = upper(f"UBND {loc.province}").replace("THÀNH PHỐ", "TP.")
    office = rng.choice((("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"), ("GIÁM ĐỐC",)))
    ring = f"SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG * {upper(loc.short)} *"
    body = Issuer((parent, "SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG"), office, ring, loc.short, "Sở Tài nguyên và Môi trường")
    return body, "STNMT"


def _header(cv: Canvas, lay: Layout, issuer: Issuer, *, number: str, symbol: str, by_hand: bool,
            date_text: str, sub: list[str]) -> float:
    """Issuer, rule, "Số: …" and a letter's "V/v" lines top left; motto and place-and-date top right."""
    size = lay.size - 0.5
    lead = leading_for(size, 1.3)
    y0 = lay.top + size * 0.35
    split = lay.left + min(80.0, lay.width * 0.44)
    cx = (lay.left + split) / 2
    yy = y0
    for i, line in enumerate(issuer.header):
        bold = i == len(issuer.header) - 1 or (len(issuer.header) > 2 and i > 0)
        cv.text(cx, yy, line, size=size, style="bold" if bold else "regular", align="center",
                max_width=split - lay.left - 2)
        yy += lead
    cv.hline(cx - 11, cx + 11, yy - lead + 1.8, width=0.25)
    yy += 1.5
    if by_hand:  # filled in by pen into the blank left before the symbol
        runs = [Run("Số: ", "regular"), Run(number, "italic", BLUE), Run(f" /{symbol}", "regular")]
    else:
        runs = [Run(f"Số: {number}/{symbol}", "regular")]
    cv.runs(cx, yy, runs, size=size, align="center", max_width=split - lay.left - 2)
    yy += lead
    for line in sub:
        cv.text(cx, yy, line, size=size - 0.5, align="center", max_width=split - lay.left - 2)
        yy += lead * 0.95
    rx = (split + lay.right) / 2 + 2
    ry = y0
    cv.text(rx, ry, MOTTO, size=size, style="bold", align="center", max_width=lay.right - split)
    ry += lead
    w = cv.text(rx, ry, MOTTO_2, size=size + 0.5, style="bold", align="center", max_width=lay.right - split)
    cv.hline(rx - w / 2, rx + w / 2, ry + 1.6, width=0.25)
    ry += lead * 1.5
    cv.text(rx, ry, date_text, size=size, style="italic", align="center", max_width=lay.right - split)
    return max(yy, ry + lead) + lead * 0.6


def _received_stamp(cv: Canvas, x: float, y: float, rng: random.Random, day_text: str) -> None:
    """The "ĐẾN" stamp of the office that received the paper, with its handwritten number and date."""
    cv.stamp_box(x, y, 48.0, 17.0)
    cv.text(x + 2, y + 5, "CÔNG VĂN", size=7.5, style="bold", color=PURPLE, record=False)
    cv.text(x + 2, y + 12.5, "ĐẾN", size=13, style="bold", color=PURPLE, record=False)
    cv.text(x + 18, y + 7, f"Số: {rng.randint(100, 9999)}", size=8, style="italic", color=BLUE, record=False)
    cv.text(x + 18, y + 13.5, f"Ngày: {day_text}", size=8, style="italic", color=BLUE, record=False)


def build(world: World, rng: random.Random, variant: int, seal: bool, role: int = 0) -> DocPlan:
    p = world.applicant if role != 1 else world.spouse
    issuer, body_symbol = _issuer(world, rng)
    day = world.today - timedelta(days=rng.randint(3, 120))
    number = str(rng.randint(12, 2999))
    by_hand = rng.random() < 0.35
    stamped = rng.random() < 0.35
    padded = rng.random() < 0.6
    signer = official_name(rng)
    kind_symbol = ("QĐ", None, "TB")[variant]
    unit = rng.choice(("TNMT", "VP", "ĐC", "KT"))
    symbol = f"{kind_symbol}-{body_symbol}" if kind_symbol else f"{body_symbol}-{unit}"
    purpose = rng.choice(PURPOSES)
    parcel, sheet = rng.randint(1, 900), rng.randint(1, 60)
    area = f"{rng.randint(40, 480)},{rng.randint(0, 9)}"
    place = issuer.place
    if by_hand and padded:
        date_text = f"{place}, ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"
    else:
        date_text = f"{place}, ngày {day.day} tháng {day.month} năm {day.year}"
    if variant == 0:
        subject = rng.choice((f"Về việc cho phép chuyển mục đích sử dụng đất sang {purpose}",
                              "Về việc công nhận quyền sử dụng đất cho hộ gia đình, cá nhân",
                              f"Về việc giao {purpose} cho hộ gia đình, cá nhân"))
    elif variant == 1:
        subject = rng.choice(LETTER_SUBJECTS)
    else:
        subject = "Về việc bổ sung thành phần hồ sơ"

    fields = FieldSet()
    fields.add("document_number", f"{number}/{symbol}")
    fields.date("issue_date", day)
    fields.add("issuer", " ".join(issuer.header))
    fields.add("subject", subject)
    fields.add("signer_title", " / ".join(issuer.office))
    fields.add("signer_name", signer)

    def closing(cv: Canvas, lay: Layout, y: float, recipients: tuple[str, ...]) -> None:
        x, w, size, lead = lay.left, lay.width, lay.size, lay.lead
        yl = y
        cv.text(x, yl, "Nơi nhận:", size=size - 1.5, style="bolditalic")
        for item in recipients:
            yl += lead * 0.85
            cv.text(x, yl, item, size=size - 2)
        sign_block(cv, x + w * 0.7, y, size=size - 0.5, date_text=None, office=issuer.office, name=signer,
                   seal_ring=issuer.seal_ring if seal else None)

    def render(cv: Canvas) -> None:
        lay = layout(cv, 13.0)
        x, w, size, lead = lay.left, lay.width, lay.size, lay.lead
        sub: list[str] = []
        if variant == 1:
            sub = cv.wrap(subject, size=size - 0.5, style="regular", first_width=min(80.0, w * 0.44) - 8,
                          width=min(80.0, w * 0.44) - 8)
        y = _header(cv, lay, issuer, number=number, symbol=symbol, by_hand=by_hand, date_text=date_text, sub=sub)
        if stamped:
            _received_stamp(cv, x + 2, y - lead * 0.6, rng, dmy(day + timedelta(days=rng.randint(1, 5))))
            y += lead * 1.2
        if variant != 1:
            kind = "QUYẾT ĐỊNH" if variant == 0 else "THÔNG BÁO"
            cv.text(lay.center, y, kind, size=size + 1.5, style="bold", align="center")
            y += leading_for(size + 1.5, 1.25)
            for line in cv.wrap(subject, size=size, style="bold", first_width=w * 0.8, width=w * 0.8):
                cv.text(lay.center, y, line, size=size, style="bold", align="center")
                y += leading_for(size, 1.3)
            cv.hline(lay.center - 20, lay.center + 20, y - lead * 0.55, width=0.25, color=INK)
            y += lead * 0.6
        if variant == 0:
            name = issuer.name.upper() if issuer.header[-1] != "SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG" else "GIÁM ĐỐC SỞ"
            cv.text(lay.center, y, upper(name), size=size, style="bold", align="center", max_width=w)
            y += lead * 1.2
            grounds = ("Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;",
                       "Căn cứ Luật Đất đai ngày 18 tháng 01 năm 2024;",
                       "Căn cứ Nghị định số 102/2024/NĐ-CP ngày 30 tháng 7 năm 2024 của Chính phủ quy định chi tiết "
                       "thi hành một số điều của Luật Đất đai;",
                       f"Xét đơn đề nghị của Ông/Bà {upper(p.name)} và Tờ trình số {rng.randint(10, 300)}/TTr-TNMT "
                       f"ngày {dmy(day - timedelta(days=rng.randint(2, 20)))}.")
            for para in grounds:
                y = cv.paragraph(x, y, w, para, size=size, leading=lead, indent=10, style="italic")
            cv.text(lay.center, y, "QUYẾT ĐỊNH:", size=size + 0.5, style="bold", align="center")
            y += lead * 1.2
            articles = (f"Điều 1. Cho phép Ông/Bà {upper(p.name)}, nơi cư trú: {p.residence.full()}, sử dụng "
                        f"thửa đất số {parcel}, tờ bản đồ số {sheet}, diện tích {area} m², mục đích sử dụng: "
                        f"{purpose}.",
                        "Điều 2. Người sử dụng đất có trách nhiệm thực hiện nghĩa vụ tài chính theo quy định.",
                        "Điều 3. Quyết định này có hiệu lực thi hành kể từ ngày ký. Chánh Văn phòng, Trưởng phòng "
                        "Tài nguyên và Môi trường và Ông/Bà có tên tại Điều 1 chịu trách nhiệm thi hành Quyết "
                        "định này./.")
            for para in articles:
                y = cv.paragraph(x, y, w, para, size=size, leading=lead, indent=10)
            y += lead * 0.5
            closing(cv, lay, y, ("- Như Điều 3;", "- Lưu: VT, TNMT."))
        elif variant == 1:
            ward = ward_name(world.ward)
            cv.text(lay.center, y, f"Kính gửi: Ông/Bà {upper(p.name)}", size=size, align="center")
            y += lead * 1.4
            body: tuple[str, ...]
            body = (f"{issuer.name} nhận được đơn của Ông/Bà {upper(p.name)}, nơi cư trú: {p.residence.full()}, "
                    f"đề nghị về thửa đất số {parcel}, tờ bản đồ số {sheet} tại {ward}.",
                    "Sau khi xem xét hồ sơ và đối chiếu quy định của pháp luật đất đai, đề nghị Ông/Bà liên hệ "
                    "Bộ phận tiếp nhận và trả kết quả để được hướng dẫn hoàn thiện hồ sơ theo quy định.",
                    f"{issuer.name} trả lời để Ông/Bà biết và thực hiện./.")
            for para in body:
                y = cv.paragraph(x, y, w, para, size=size, leading=lead, indent=10)
            y += lead * 0.5
            closing(cv, lay, y, ("- Như trên;", "- Lưu: VT."))
        else:
            body = (f"Ngày {dmy(day - timedelta(days=5))}, Trung tâm Phục vụ hành chính công {world.ward} tiếp "
                    f"nhận hồ sơ của Ông/Bà {upper(p.name)}, nơi cư trú: {p.residence.full()}.",
                    "Qua kiểm tra, hồ sơ chưa đầy đủ thành phần theo quy định. Đề nghị Ông/Bà bổ sung các giấy tờ "
                    "sau: bản sao Giấy chứng nhận kết hôn; bản sao Căn cước công dân còn hiệu lực.",
                    "Thời hạn bổ sung hồ sơ trong vòng 10 ngày làm việc kể từ ngày nhận được Thông báo này. Quá "
                    "thời hạn trên, hồ sơ sẽ được trả lại theo quy định.",
                    f"{issuer.name} thông báo để Ông/Bà biết và thực hiện./.")
            for para in body:
                y = cv.paragraph(x, y, w, para, size=size, leading=lead, indent=10)
            y += lead * 0.5
            closing(cv, lay, y, ("- Như trên;", "- Lưu: VT, TPHT."))

    return DocPlan("official_document", fields.freeze(), (render,))
