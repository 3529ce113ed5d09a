"""Vietnamese facts the generator draws from: names, places, numbers in words, dates, identity numbers."""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from pipeline.extract.admin_map import LEGACY, MAP_2025, Unit, admin_map


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """NFC with runs of white space folded to one space."""
    return " ".join(nfc(text).split())


def upper(text: str) -> str:
    return nfc(nfc(text).upper())


def ascii_fold(text: str) -> str:
    """Vietnamese without diacritics (as in the machine-readable zone)."""
    text = nfc(text).replace("Đ", "D").replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# --- names -------------------------------------------------------------------------------------------

FAMILY_NAMES: tuple[tuple[str, float], ...] = (
    ("Nguyễn", 38.0), ("Trần", 11.0), ("Lê", 9.5), ("Phạm", 7.0), ("Hoàng", 5.1), ("Huỳnh", 5.0),
    ("Phan", 4.5), ("Vũ", 3.9), ("Võ", 3.9), ("Đặng", 2.1), ("Bùi", 2.0), ("Đỗ", 1.4), ("Hồ", 1.3),
    ("Ngô", 1.3), ("Dương", 1.0), ("Lý", 0.5), ("Đinh", 0.6), ("Trương", 0.6), ("Lâm", 0.4), ("Mai", 0.4),
    ("Hà", 0.4), ("Lương", 0.3), ("Cao", 0.3), ("Đoàn", 0.4), ("Trịnh", 0.3), ("Tôn Nữ", 0.1),
    ("Châu", 0.2), ("Thái", 0.2), ("Tạ", 0.2), ("Kiều", 0.1),
)
MIDDLE_MALE = ("Văn", "Hữu", "Đức", "Minh", "Quốc", "Thanh", "Công", "Quang", "Xuân", "Gia", "Tuấn",
               "Hoàng", "Đình", "Ngọc", "Bảo", "Anh", "Trọng", "Thành", "Tấn", "Nhật", "Viết", "Duy")
MIDDLE_FEMALE = ("Thị", "Ngọc", "Thu", "Thanh", "Minh", "Kim", "Thùy", "Phương", "Bảo", "Mỹ", "Diệu",
                 "Hồng", "Hoài", "Khánh", "Ánh", "Thảo", "Quỳnh", "Như")
GIVEN_MALE = ("An", "Bình", "Cường", "Dũng", "Đạt", "Đức", "Hải", "Hiếu", "Hùng", "Huy", "Khang", "Khoa",
              "Kiên", "Long", "Lộc", "Minh", "Nam", "Nghĩa", "Phát", "Phong", "Phúc", "Quân", "Quang",
              "Sơn", "Tài", "Thắng", "Thành", "Thịnh", "Tiến", "Toàn", "Trung", "Tuấn", "Tùng", "Việt",
              "Vinh", "Vũ", "Khôi", "Duy", "Hoàng", "Lâm", "Hưng", "Thuận", "Nhân", "Tường")
GIVEN_FEMALE = ("Anh", "Châu", "Chi", "Dung", "Duyên", "Giang", "Hà", "Hạnh", "Hằng", "Hoa", "Hồng",
                "Hương", "Huyền", "Lan", "Linh", "Loan", "Mai", "My", "Nga", "Ngân", "Ngọc", "Nhung",
                "Oanh", "Phương", "Quỳnh", "Thảo", "Thu", "Thủy", "Trang", "Trinh", "Tuyết", "Uyên",
                "Vân", "Vy", "Yến", "Hiền", "Lệ", "Nhi", "Diễm", "Xuân")
ETHNICITIES = (("Kinh", 90.0), ("Hoa", 2.0), ("Tày", 2.0), ("Mường", 2.0), ("Khmer", 2.0), ("Thái", 2.0))


def person_name(rng: random.Random, sex: str, family: str | None = None) -> str:
    fam = family or rng.choices([f for f, _ in FAMILY_NAMES], [w for _, w in FAMILY_NAMES])[0]
    if sex == "Nam":
        middle = rng.choice(MIDDLE_MALE)
        given = rng.choice(GIVEN_MALE)
        extra = rng.choice(MIDDLE_MALE[3:]) if rng.random() < 0.12 else ""
    else:
        middle = rng.choice(MIDDLE_FEMALE)
        given = rng.choice(GIVEN_FEMALE)
        extra = rng.choice(MIDDLE_FEMALE[1:]) if rng.random() < 0.2 else ""
    if fam == "Tôn Nữ":
        fam, middle = "Tôn Nữ", rng.choice(MIDDLE_FEMALE[1:])
    parts = [fam, middle, extra, given]
    return fold(" ".join(p for p in parts if p))


# --- places ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Locality:
    """A province or city with a few of its wards or communes."""

    code: str  # province code of the 12-digit identity number
    province: str  # as written in an address: "thành phố Huế"
    short: str  # in date lines and on cards: "Huế"
    card_province: str  # as printed on identity cards
    edu_name: str  # the province in "SỞ GIÁO DỤC VÀ ĐÀO TẠO ..."
    wards: tuple[str, ...]  # "phường Phú Hội"
    streets: tuple[str, ...]  # empty for rural places
    hospital: str
    schools: tuple[str, ...]
    portal_code: int  # the H.. part of dossier codes

    @property
    def urban(self) -> bool:
        return bool(self.streets)


def _today(code: str) -> Unit:
    """The 2025 province (or city) that the legacy province of card code `code` is part of."""
    m = admin_map()
    legacy = next(u for u in m.provinces[LEGACY].units if f"{int(u.code):03d}" == code)
    new_ward, _ = m.conversion[m.legacy_province_wards[legacy.code].units[0].code]
    return m.province_of_ward[(MAP_2025, new_ward)]


def _province(code: str) -> str:
    """That province as written in an address ("thành phố Huế", "tỉnh Nghệ An"), from the dataset."""
    province = _today(code)
    return f"{province.kind.lower()} {province.short}"


def _wards(code: str, *names: str) -> tuple[str, ...]:
    """Wards and communes of today's map, named and typed as the dataset has them ("phường Thuận Hóa"); a
    name that is not one of the province's is a mistake in the generator and stops it (KeyError)."""
    by_name = {u.short: u for u in admin_map().wards_2025[_today(code).code].units}
    return tuple(f"{by_name[n].kind.lower()} {by_name[n].short}" for n in names)


LOCALITIES: tuple[Locality, ...] = (
    Locality("046", _province("046"), "Huế", "Thừa Thiên Huế", "THỪA THIÊN HUẾ",
             _wards("046", "Vỹ Dạ", "Thuận An", "Mỹ Thượng", "Thuận Hóa", "Hóa Châu", "Kim Long", "An Cựu",
                    "Thủy Xuân", "Hương An", "Phú Xuân"),
             ("Lê Lợi", "Hùng Vương", "Trần Hưng Đạo", "Nguyễn Huệ", "Hai Bà Trưng", "Điện Biên Phủ",
              "Phan Đình Phùng", "Lý Thường Kiệt", "Bà Triệu", "Nguyễn Trãi"),
             "Bệnh viện Trung ương Huế", ("THPT Quốc Học", "THPT Hai Bà Trưng", "THPT Nguyễn Huệ",
                                          "THPT Gia Hội", "THPT Cao Thắng"), 57),
    Locality("001", _province("001"), "Hà Nội", "Hà Nội", "HÀ NỘI",
             _wards("001", "Hoàn Kiếm", "Ba Đình", "Ngọc Hà", "Cầu Giấy", "Đống Đa", "Hai Bà Trưng", "Tây Hồ",
                    "Láng", "Kim Liên", "Thanh Xuân"),
             ("Kim Mã", "Láng Hạ", "Nguyễn Trãi", "Tràng Thi", "Hàng Bài", "Giảng Võ", "Xuân Thủy",
              "Trần Duy Hưng", "Nguyễn Chí Thanh", "Đội Cấn"),
             "Bệnh viện Phụ sản Hà Nội", ("THPT Chu Văn An", "THPT Kim Liên", "THPT Việt Đức",
                                         "THPT Phan Đình Phùng", "THPT Trần Phú"), 26),
    Locality("079", _province("079"), "TP. Hồ Chí Minh", "TP. Hồ Chí Minh", "THÀNH PHỐ HỒ CHÍ MINH",
             _wards("079", "Bến Thành", "Sài Gòn", "Tân Định", "Bàn Cờ", "Xuân Hòa", "Phú Nhuận", "Gia Định",
                    "Bình Thạnh", "Chợ Lớn", "Tân Sơn Nhất"),
             ("Lê Lợi", "Nguyễn Thị Minh Khai", "Cách Mạng Tháng Tám", "Võ Văn Tần", "Điện Biên Phủ",
              "Nguyễn Văn Trỗi", "Phan Xích Long", "Nguyễn Đình Chiểu"),
             "Bệnh viện Từ Dũ", ("THPT Lê Hồng Phong", "THPT Nguyễn Thị Minh Khai", "THPT Gia Định",
                                 "THPT Bùi Thị Xuân", "THPT Marie Curie"), 29),
    Locality("048", _province("048"), "Đà Nẵng", "Đà Nẵng", "ĐÀ NẴNG",
             _wards("048", "Hải Châu", "Thanh Khê", "Sơn Trà", "Ngũ Hành Sơn", "Hòa Cường", "An Hải", "Cẩm Lệ",
                    "Liên Chiểu"),
             ("Bạch Đằng", "Trần Phú", "Nguyễn Văn Linh", "Lê Duẩn", "Hàm Nghi", "Ông Ích Khiêm"),
             "Bệnh viện Phụ sản - Nhi Đà Nẵng", ("THPT Phan Châu Trinh", "THPT Trần Phú",
                                                "THPT Hoàng Hoa Thám", "THPT Nguyễn Hiền"), 17),
    Locality("031", _province("031"), "Hải Phòng", "Hải Phòng", "HẢI PHÒNG",
             _wards("031", "Hồng Bàng", "Lê Chân", "Ngô Quyền", "Hải An", "Kiến An", "Gia Viên"),
             ("Lạch Tray", "Điện Biên Phủ", "Trần Phú", "Lê Lợi", "Tô Hiệu", "Lê Thánh Tông"),
             "Bệnh viện Phụ sản Hải Phòng", ("THPT Trần Phú", "THPT Ngô Quyền", "THPT Lê Quý Đôn"), 31),
    Locality("092", _province("092"), "Cần Thơ", "Cần Thơ", "CẦN THƠ",
             _wards("092", "Ninh Kiều", "Cái Khế", "Tân An", "An Bình", "Hưng Phú"),
             ("30 Tháng 4", "Trần Hưng Đạo", "Nguyễn Văn Cừ", "Mậu Thân", "Hòa Bình"),
             "Bệnh viện Phụ sản thành phố Cần Thơ", ("THPT Châu Văn Liêm", "THPT Lý Tự Trọng",
                                                    "THPT Nguyễn Việt Hồng"), 15),
    Locality("040", _province("040"), "Nghệ An", "Nghệ An", "NGHỆ AN",
             _wards("040", "Nghi Lộc", "Diễn Châu", "Hưng Nguyên", "Yên Thành", "Đô Lương", "Quỳnh Lưu",
                    "Nam Đàn", "Cát Ngạn"),
             (), "Bệnh viện Sản Nhi Nghệ An", ("THPT Nghi Lộc 1", "THPT Diễn Châu 2", "THPT Nam Đàn 1",
                                               "THPT Đô Lương 1"), 40),
    Locality("038", _province("038"), "Thanh Hóa", "Thanh Hóa", "THANH HÓA",
             _wards("038", "Hoằng Hóa", "Quảng Yên", "Thọ Xuân", "Nông Cống", "Hà Trung", "Hậu Lộc"),
             (), "Bệnh viện Phụ sản Thanh Hóa", ("THPT Hoằng Hóa 4", "THPT Lam Sơn", "THPT Hậu Lộc 1",
                                                "THPT Nông Cống 1"), 56),
    Locality("089", _province("089"), "An Giang", "An Giang", "AN GIANG",
             _wards("089", "Long Điền", "Chợ Mới", "Phú Tân", "Tân Châu", "Mỹ Hòa Hưng"),
             (), "Bệnh viện Đa khoa Trung tâm An Giang", ("THPT Long Xuyên", "THPT Thoại Ngọc Hầu",
                                                         "THPT Chợ Mới"), 1),
)

# Card codes (birth-registration provinces, the 63 of the legacy map) of the provinces without a locality.
OTHER_PROVINCE_CODES: dict[str, str] = {
    u.short: f"{int(u.code):03d}"
    for u in admin_map().provinces[LEGACY].units
    if f"{int(u.code):03d}" not in {loc.code for loc in LOCALITIES}
}


def ward_name(ward: str) -> str:
    """"phường Phú Hội" -> "Phú Hội"."""
    for prefix in ("phường ", "xã "):
        if ward.startswith(prefix):
            return ward[len(prefix):]
    return ward


@dataclass(frozen=True)
class Address:
    house: str  # "12", "45/3", "Thôn 3", "Tổ 5"
    street: str  # "" for rural
    ward: str
    loc: Locality

    def full(self) -> str:
        """As written in certificates: "45/3 Hùng Vương, phường Phú Nhuận, thành phố Huế"."""
        first = f"{self.house} {self.street}" if self.street else self.house
        return fold(f"{first}, {self.ward}, {self.loc.province}")

    def card(self) -> str:
        """As printed on an identity card: "45/3 Hùng Vương, Phú Nhuận, Thừa Thiên Huế"."""
        first = f"{self.house} {self.street}" if self.street else self.house
        return fold(f"{first}, {ward_name(self.ward)}, {self.loc.card_province}")


def random_address(rng: random.Random, loc: Locality) -> Address:
    ward = rng.choice(loc.wards)
    if loc.urban:
        n = rng.randint(1, 320)
        house = f"{n}/{rng.randint(1, 40)}" if rng.random() < 0.3 else str(n)
        if rng.random() < 0.15:
            house = f"Kiệt {rng.randint(2, 150)}/{rng.randint(1, 30)}" if loc.code == "046" else house
        return Address(house, rng.choice(loc.streets), ward, loc)
    kind = "Ấp" if loc.code in ("089", "092") else rng.choice(("Thôn", "Xóm"))
    return Address(f"{kind} {rng.randint(1, 12)}", "", ward, loc)


def origin_text(rng: random.Random, loc: Locality) -> str:
    """Quê quán as on a certificate: "xã Nghi Lộc, tỉnh Nghệ An"."""
    return fold(f"{rng.choice(loc.wards)}, {loc.province}")


# --- numbers and dates ---------------------------------------------------------------------------------

_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")


def _tens(n: int) -> str:
    """0 < n < 100."""
    if n < 10:
        return _DIGITS[n]
    t, u = divmod(n, 10)
    head = "mười" if t == 1 else f"{_DIGITS[t]} mươi"
    if u == 0:
        return head
    if u == 5:
        return f"{head} lăm"
    if u == 1 and t > 1:
        return f"{head} mốt"
    if u == 4 and t > 1:
        return f"{head} tư"
    return f"{head} {_DIGITS[u]}"


def _hundreds(n: int, inner: bool) -> str:
    """0 < n < 1000; ``inner`` when it follows thousands (then zero hundreds are said)."""
    h, rest = divmod(n, 100)
    if h == 0 and not inner:
        return _tens(rest)
    head = f"{_DIGITS[h]} trăm"
    if rest == 0:
        return head
    if rest < 10:
        return f"{head} linh {_DIGITS[rest]}"
    return f"{head} {_tens(rest)}"


def words_vi(n: int) -> str:
    """A whole number in Vietnamese words: 2015 -> "hai nghìn không trăm mười lăm"."""
    if n < 0:
        raise ValueError("negative numbers are not needed")
    if n == 0:
        return "không"
    if n < 1000:
        return _hundreds(n, inner=False)
    thousands, rest = divmod(n, 1000)
    head = f"{words_vi(thousands)} nghìn"
    return head if rest == 0 else f"{head} {_hundreds(rest, inner=True)}"


def date_in_words(d: date) -> str:
    """"Ngày mười hai, tháng năm, năm hai nghìn không trăm mười lăm"."""
    day = f"mồng {words_vi(d.day)}" if d.day <= 10 else words_vi(d.day)
    month = "tư" if d.month == 4 else words_vi(d.month)
    return f"Ngày {day}, tháng {month}, năm {words_vi(d.year)}"


def area_in_words(area: float) -> str:
    whole = int(area)
    tenth = round((area - whole) * 10)
    text = words_vi(whole)
    if tenth:
        text += f" phẩy {_DIGITS[tenth]}"
    return text[0].upper() + text[1:] + " mét vuông"


def dmy(d: date) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def iso(d: date) -> str:
    return d.isoformat()


def date_line(place: str, d: date, *, pad: bool = True) -> str:
    """"Huế, ngày 18 tháng 06 năm 2025"."""
    if pad:
        return f"{place}, ngày {d.day:02d} tháng {d.month:02d} năm {d.year}"
    return f"{place}, ngày {d.day} tháng {d.month} năm {d.year}"


def format_area(area: float, decimals: int) -> str:
    """Vietnamese number: 1250.5 -> "1.250,5"."""
    text = f"{area:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def area_value(printed: str) -> str:
    """The normalised truth value of a printed area: "1.250,5" -> "1250.5"."""
    return printed.replace(".", "").replace(",", ".")


def random_date(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, max(0, (end - start).days)))


def birthday_at(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


# --- identity numbers -----------------------------------------------------------------------------------

def cccd_number(rng: random.Random, province_code: str, sex: str, birth: date) -> str:
    """A valid 12-digit number: province, sex/century, year, sequence."""
    century = (birth.year // 100) - 19  # 0 for the 1900s, 1 for the 2000s
    sex_digit = 2 * century + (0 if sex == "Nam" else 1)
    return f"{province_code}{sex_digit}{birth.year % 100:02d}{rng.randint(0, 999999):06d}"


def expiry_for(birth: date, issued: date) -> date | None:
    """Renewal at 25, 40 and 60; a card issued within two years of a milestone runs to the next one."""
    for milestone in (25, 40, 60):
        if age_on(birth, issued) < milestone - 2:
            return birthday_at(birth, milestone)
    return None


def phone_number(rng: random.Random) -> str:
    prefix = rng.choice(("090", "091", "093", "094", "096", "097", "098", "086", "088", "089", "032",
                         "033", "034", "035", "036", "037", "038", "039", "070", "076", "077", "078",
                         "079", "081", "082", "083", "084", "085", "056", "058", "059"))
    return prefix + "".join(str(rng.randint(0, 9)) for _ in range(7))


def format_phone(rng: random.Random, phone: str) -> str:
    style = rng.randrange(3)
    if style == 0:
        return phone
    sep = " " if style == 1 else "."
    return f"{phone[:4]}{sep}{phone[4:7]}{sep}{phone[7:]}"


_MRZ_VALUES = {**{str(i): i for i in range(10)}, **{chr(65 + i): 10 + i for i in range(26)}, "<": 0}


def mrz_check(text: str) -> str:
    weights = (7, 3, 1)
    return str(sum(_MRZ_VALUES[c] * weights[i % 3] for i, c in enumerate(text)) % 10)


def mrz_lines(id_number: str, name: str, sex: str, birth: date, expiry: date | None) -> tuple[str, str, str]:
    """The three 30-character lines (TD1) on the back of a chip card."""
    doc = id_number[-9:]
    line1 = f"IDVNM{doc}{mrz_check(doc)}{id_number}<<{mrz_check(id_number)}"
    born = birth.strftime("%y%m%d")
    expires = expiry.strftime("%y%m%d") if expiry else "<<<<<<"
    exp_check = mrz_check(expires) if expiry else "<"
    head = f"{born}{mrz_check(born)}{'M' if sex == 'Nam' else 'F'}{expires}{exp_check}VNM"
    composite = line1[5:30] + head[0:7] + head[8:15] + "<" * 11
    line2 = f"{head}{'<' * 11}{mrz_check(composite)}"
    parts = ascii_fold(name).upper().split()
    line3 = (parts[0] + "<<" + "<".join(parts[1:]))[:30].ljust(30, "<")
    return line1, line2, line3


# --- people --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Person:
    name: str  # "Nguyễn Văn An"
    sex: str  # "Nam" | "Nữ"
    birth: date
    id_number: str
    old_id: str  # 9-digit CMND
    birth_loc: Locality
    origin: str
    residence: Address
    ethnicity: str
    phone: str

    @property
    def upper(self) -> str:
        return upper(self.name)

    @property
    def family(self) -> str:
        return self.name.split()[0] if not self.name.startswith("Tôn Nữ") else "Tôn Nữ"


def make_person(rng: random.Random, *, sex: str, birth: date, residence: Address,
                birth_loc: Locality | None = None, family: str | None = None) -> Person:
    loc = birth_loc or (residence.loc if rng.random() < 0.6 else rng.choice(LOCALITIES))
    ethnicity = rng.choices([e for e, _ in ETHNICITIES], [w for _, w in ETHNICITIES])[0]
    return Person(
        name=person_name(rng, sex, family),
        sex=sex,
        birth=birth,
        id_number=cccd_number(rng, loc.code, sex, birth),
        old_id=f"{rng.randint(10, 39)}{rng.randint(0, 9999999):07d}",
        birth_loc=loc,
        origin=origin_text(rng, loc),
        residence=residence,
        ethnicity=ethnicity,
        phone=phone_number(rng),
    )


PROCEDURES = ("birth", "marriage", "diploma_copy", "land", "certify")


@dataclass(frozen=True)
class World:
    """The people and places one dossier is about, so that its papers agree with each other."""

    loc: Locality
    ward: str  # the ward or commune where the dossier is handed in
    today: date
    applicant: Person
    spouse: Person
    child: Person
    marriage_date: date
    procedure: str

    @property
    def husband(self) -> Person:
        return self.applicant if self.applicant.sex == "Nam" else self.spouse

    @property
    def wife(self) -> Person:
        return self.spouse if self.applicant.sex == "Nam" else self.applicant

    def stranger(self, rng: random.Random, *, young: bool = False) -> Person:
        sex = rng.choice(("Nam", "Nữ"))
        years = (1995, 2006) if young else (1962, 2004)
        birth = random_date(rng, date(years[0], 1, 1), date(years[1], 12, 31))
        return make_person(rng, sex=sex, birth=birth, residence=random_address(rng, self.loc))


def make_world(rng: random.Random, procedure: str | None = None) -> World:
    loc = rng.choice(LOCALITIES)
    today = random_date(rng, date(2025, 1, 6), date(2025, 11, 28))
    while today.weekday() >= 5:
        today -= timedelta(days=1)
    home = random_address(rng, loc)
    sex = rng.choice(("Nam", "Nữ"))
    birth = random_date(rng, date(1966, 1, 1), date(2000, 12, 31))
    applicant = make_person(rng, sex=sex, birth=birth, residence=home)
    gap = rng.randint(-2, 8) if sex == "Nam" else -rng.randint(-2, 8)
    spouse_year = min(2001, max(1960, birth.year + gap))
    spouse_birth = random_date(rng, date(spouse_year, 1, 1), date(spouse_year, 12, 28))
    spouse = make_person(rng, sex="Nữ" if sex == "Nam" else "Nam", birth=spouse_birth, residence=home)
    younger = max(birth, spouse_birth)
    marriage = random_date(rng, birthday_at(younger, 21), birthday_at(younger, 29))
    marriage = min(marriage, today - timedelta(days=rng.randint(200, 900)))
    child_birth = random_date(rng, marriage + timedelta(days=300), marriage + timedelta(days=6 * 365))
    if child_birth > today - timedelta(days=20):
        child_birth = today - timedelta(days=rng.randint(20, 58))
    father = applicant if sex == "Nam" else spouse
    child = make_person(rng, sex=rng.choice(("Nam", "Nữ")), birth=child_birth, residence=home,
                        birth_loc=loc, family=father.family)
    child = Person(child.name, child.sex, child.birth, child.id_number, "", loc, father.origin,
                   home, father.ethnicity, "")
    return World(loc=loc, ward=home.ward, today=today, applicant=applicant, spouse=spouse, child=child,
                 marriage_date=marriage, procedure=procedure or rng.choice(PROCEDURES))


def official_name(rng: random.Random) -> str:
    return person_name(rng, rng.choice(("Nam", "Nam", "Nữ")))
