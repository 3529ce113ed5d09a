"""Addresses on the administrative map, before and after 1 July 2025 (issue 15).

    python bench/addresses.py [--quick] [--show-misses]

Generated addresses (synth/addresses.py: units drawn from the dataset, both maps, the type words written out,
abbreviated or left out, with or without "tỉnh"/"thành phố"; 40 % of unit names with one or two slips of the
kind Tesseract's Vietnamese model makes), half of them with the paper's date. Provinces are split in four
groups by code: groups 0-2 are `dev` (what the rules were written against), group 3 is `held-out` (never
looked at while writing them); figures are printed for each.

Targets:
- ward and province right (their codes, on the map the address was printed on) >= 98 %;
- conversion to today's units right on every sampled legacy address: today's ward code as the dataset's own
  converter (vietnamadminunits.convert_address, given the address without a street so it asks no geocoder)
  gives it;
- 0 respellings that change a valid unit: an address printed right is never changed, and a unit name that
  is some unit's name is never respelt (a slip that made another valid name included).

Also printed: the two datasets compared on the same addresses (vietnamadminunits' own parser with the map
given; vietnam-provinces, units of 2025 with codes, matched by name), load and parse times (CPU), and whether
importing what `hoso process` loads reads the map (it must not: the map is read when an address is parsed).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, Verdicts, print_table
from pipeline.extract.address import _parts, _split_type, read_address
from pipeline.extract.admin_map import LEGACY, MAP_2025, admin_map, key, marked_key
from synth.addresses import SampleAddress, sample_addresses

SEED = 15


def _right(s: SampleAddress, units: dict[str, object] | None) -> bool:
    if units is None or units["printed_map"] != s.map:
        return False
    codes = units["codes"]
    assert isinstance(codes, dict)
    return codes.get("ward") == s.ward.code and codes.get("province") == s.province.code


def _load_times() -> tuple[float, float, bool]:
    """CPU seconds to import the address reader and to read the map, in a fresh process; and whether
    importing the command line and the pipeline's stages reads the map or imports the dataset's code."""
    code = (
        "import time, sys\n"
        "t = time.process_time()\n"
        "import workers.cli, pipeline.page, pipeline.documents\n"
        "imp = time.process_time() - t\n"
        "from pipeline.extract import admin_map as A\n"
        "untouched = A.admin_map.cache_info().currsize == 0 and 'vietnamadminunits' not in sys.modules"
        " and 'shapely' not in sys.modules\n"
        "t = time.process_time(); A.admin_map(); load = time.process_time() - t\n"
        "print(imp, load, untouched)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    imp, load, untouched = out.stdout.split()
    return float(imp), float(load), untouched == "True"


def _their_parse(samples: list[SampleAddress]) -> list[bool]:
    from vietnamadminunits import parse_address

    right = []
    for s in samples:
        try:
            u = parse_address(s.text, mode="LEGACY" if s.map == LEGACY else "FROM_2025")
            right.append(u.ward_code == s.ward.code and u.province_code == s.province.code)
        except Exception:
            right.append(False)
    return right


def _vietnam_provinces(samples: list[SampleAddress]) -> tuple[list[bool | None], float]:
    """vietnam-provinces (2025 map only): province and ward found by their folded names in the two last
    parts; and the share of the 2025 wards whose code agrees with vietnamadminunits'."""
    from vietnam_provinces import NESTED_DIVISIONS_JSON_PATH

    data = json.loads(Path(NESTED_DIVISIONS_JSON_PATH).read_text(encoding="utf-8"))
    provinces = {}
    for p in data:
        short = p["name"].removeprefix("Thành phố ").removeprefix("Tỉnh ")
        provinces[key(short)] = p
    m = admin_map()
    ours = {(p.code, w.code) for p in m.provinces[MAP_2025].units for w in m.wards_2025[p.code].units}
    theirs = {(f"{p['code']:02d}", f"{w['code']:05d}") for p in data for w in p["wards"]}
    agree = len(ours & theirs) / max(1, len(ours | theirs))
    right: list[bool | None] = []
    for s in samples:
        if s.map == LEGACY:
            right.append(None)  # it has no legacy map, no districts and no conversion
            continue
        parts = [x.strip() for x in s.text.split(",")]
        p = provinces.get(key(_split_type(parts[-1], "province")[1]))
        ok = False
        if p is not None and len(parts) >= 2:
            name = key(_split_type(parts[-2], "ward")[1])
            ward = next(
                (w for w in p["wards"] if key(w["name"].split(" ", 1)[1]) == name or key(w["name"]) == name), None
            )
            ok = ward is not None and f"{ward['code']:05d}" == s.ward.code and f"{p['code']:02d}" == s.province.code
        right.append(ok)
    return right, agree


def _respelt_valid(s: SampleAddress, value: str) -> int:
    """Unit names read as some unit's name of their level (a slip that made another valid name, or none) that
    the reading changed."""
    m = admin_map()
    read, out = _parts(s.text), _parts(value)  # both cut and cleaned as the reader cuts them
    if len(read) != len(out):
        return 1
    levels = ["province", "district", "ward"] if s.district is not None else ["province", "ward"]
    bad = 0
    for level, a, b in zip(levels, reversed(read), reversed(out), strict=False):
        if a != b:
            valid = m.names[(LEGACY, level)] | m.names.get((MAP_2025, level), set())
            bad += marked_key(_split_type(a, level)[1]) in valid
    return bad


def _ocr_read(samples: list[SampleAddress], seed: int) -> list[str]:
    """Each printed address drawn as one line (a font of the generator's, 10-12 pt, 200 dpi), given the
    generator's scan or photocopy defects, and read by hoso's Tesseract seam (vie, one block)."""
    import random

    import numpy as np
    from PIL import Image, ImageDraw

    from pipeline.ocr import OcrEngine
    from schemas.settings import DEFAULT_TESSDATA
    from synth.fonts import family, truetype
    from synth.scan import apply_defects

    rng = random.Random(seed)
    nprng = np.random.default_rng(seed)
    engine = OcrEngine("vie", DEFAULT_TESSDATA)
    fonts = ("liberation-serif", "dejavu-sans", "noto-serif", "liberation-sans")
    dpi = 200
    out = []
    try:
        for s in samples:
            size = round(rng.uniform(10, 12) / 72 * dpi)
            font = truetype(family(rng.choice(fonts)).path("regular"), size)
            # a strip of a page around the line, so that the page defects (a copier's edge shadow) fall as they
            # would on a page: mostly on the margins
            width = int(font.getlength(s.printed)) + 8 * size
            img = Image.new("RGB", (width, 12 * size), "white")
            ImageDraw.Draw(img).text((4 * size, 5 * size), s.printed, font=font, fill=(20, 20, 20))
            img = apply_defects(img, rng.choice(("scan", "photocopy")), nprng, dpi)
            words = engine.read_strip(np.asarray(img.convert("L")), dpi)
            out.append(" ".join(w for w, _ in words))
    finally:
        engine.close()
    return out


def _misplaced(samples: list[SampleAddress]) -> list[str]:
    """Each 2025 address with its province swapped for the next one's, when that province has no ward of the
    same name (on either map)."""
    m = admin_map()
    out = []
    for s, other in zip(samples, samples[1:] + samples[:1], strict=True):
        p = other.province
        names = {u.key for u in m.wards_2025[p.code].units}
        legacy = [lp for lp in m.provinces[LEGACY].units if lp.short == p.short]
        if legacy:
            names |= {u.key for u in m.legacy_province_wards[legacy[0].code].units}
        if p.code != s.province.code and s.ward.key not in names:
            out.append(f"{s.ward.name}, {p.name}")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="60 addresses, to check the script works")
    ap.add_argument("--show-misses", action="store_true", help="list the dev split's wrong readings")
    ap.add_argument("--ocr", type=int, default=400, help="addresses also drawn and read by Tesseract (0: none)")
    args = ap.parse_args()
    n_legacy, n_new = (30, 30) if args.quick else (450, 350)
    imp, load, untouched = _load_times()
    t = time.process_time()
    samples = sample_addresses(SEED, n_legacy, n_new)
    gen = time.process_time() - t
    admin_map()
    t = time.process_time()
    readings = [read_address(s.text, s.issued) for s in samples]
    per_address = (time.process_time() - t) / len(samples)
    clean = [read_address(s.printed, s.issued) for s in samples]

    splits = {"dev": lambda s: s.province_group != 3, "held-out": lambda s: s.province_group == 3}
    theirs = _their_parse(samples)
    vp, agree = _vietnam_provinces(samples)
    rows = []
    results: dict[str, dict[str, float]] = defaultdict(dict)
    for name, inside in splits.items():
        for which in (LEGACY, MAP_2025, "all"):
            idx = [i for i, s in enumerate(samples) if inside(s) and which in ("all", s.map)]
            if not idx:
                continue
            ok = sum(_right(samples[i], readings[i].units) for i in idx) / len(idx)
            noisy = [i for i in idx if samples[i].slips]
            ok_noisy = sum(_right(samples[i], readings[i].units) for i in noisy) / max(1, len(noisy))
            ok_clean = sum(_right(samples[i], clean[i].units) for i in idx) / len(idx)
            vau = sum(theirs[i] for i in idx) / len(idx)
            vps = [vp[i] for i in idx if vp[i] is not None]
            rows.append((name, which, len(idx), len(noisy), ok, ok_noisy, ok_clean, vau,
                         f"{sum(map(bool, vps)) / len(vps):.2f}" if vps else "-"))  # fmt: skip
            results[name][which] = ok
    print_table(
        "ward and province right (codes, on the printed map): hoso; vietnamadminunits' own parser given the map;"
        " vietnam-provinces by name (2025 map only)",
        ["split", "map", "n", "with slips", "hoso", "hoso, slipped", "hoso, as printed", "vau parser", "v-provinces"],
        rows,
    )
    # conversion: every legacy address as printed, against the dataset's own converter
    from vietnamadminunits import convert_address

    conv_n = conv_ok = 0
    conv_miss: list[str] = []
    for s, r in zip(samples, clean, strict=True):
        if s.map != LEGACY or s.district is None:
            continue
        truth = convert_address(f"{s.ward.name}, {s.district.name}, {s.province.name}")
        current = (r.units or {}).get("current") or {}
        assert isinstance(current, dict)
        got = current.get("codes", {}).get("ward")
        conv_n += 1
        conv_ok += got == truth.ward_code
        if got != truth.ward_code and len(conv_miss) < 10:
            conv_miss.append(f"{s.printed!r}: {current.get('ward')} ({got}) vs {truth.ward} ({truth.ward_code})")
    respelt_clean = sum(r.value != s.printed for s, r in zip(samples, clean, strict=True))
    respelt_valid = sum(_respelt_valid(s, r.value) for s, r in zip(samples, readings, strict=True))
    review = sum(bool(r.review) for r in readings)
    print(f"\nconversion to today's units: {conv_ok}/{conv_n} legacy addresses as the dataset's converter has them")
    for line in conv_miss:
        print("  miss:", line)
    print(f"respelt when printed right: {respelt_clean}; valid unit names respelt in OCR'd text: {respelt_valid}")
    print(f"marked for review (a ward not in its province): {review}/{len(samples)}")
    print(
        f"\nCPU: importing the command line and the stages {imp:.3f} s (map read then: {not untouched}); "
        f"reading the map {load:.3f} s once per process; {1000 * per_address:.2f} ms per address; "
        f"generating {len(samples)} addresses {gen:.2f} s"
    )
    print(f"2025 ward codes agreeing between vietnamadminunits and vietnam-provinces: {agree:.1%}")
    # not a target: every unit name slipped once or twice, to see where the reading gives way
    hard = sample_addresses(SEED + 1, n_legacy // 2, n_new // 2, noise=1.0)
    hard_rows = []
    for name, inside in splits.items():
        idx = [i for i, s in enumerate(hard) if inside(s)]
        got = [read_address(hard[i].text, hard[i].issued) for i in idx]
        ok = sum(_right(hard[i], g.units) for i, g in zip(idx, got, strict=True)) / max(1, len(idx))
        marked = sum(g.review for g in got) / max(1, len(idx))
        hard_rows.append((name, len(idx), ok, marked))
    print_table(
        "every unit name slipped (not a target)", ["split", "n", "ward and province right", "marked"], hard_rows
    )
    # wards put in a province that has none of that name (a clerk's or the paper's slip): each must be marked
    wrong = _misplaced(sample_addresses(SEED + 3, 0, 200, noise=0.0))
    wrong_read = [read_address(text) for text in wrong]
    wrong_marked = sum(r.review and bool(r.suggestion) for r in wrong_read)
    print(f"ward of another province: {wrong_marked}/{len(wrong)} marked for review with suggestions")
    if args.show_misses:
        for text, r in zip(wrong, wrong_read, strict=True):
            if not (r.review and r.suggestion):
                print(f"UNMARKED {text!r} ->", json.dumps(r.units, ensure_ascii=False))
    ocr_ok: dict[str, float] = {}
    ocr_respelt = 0
    if args.ocr:
        drawn = sample_addresses(SEED + 2, args.ocr // 2, args.ocr - args.ocr // 2, noise=0.0)
        t = time.process_time()
        texts = _ocr_read(drawn, SEED + 2)
        ocr_s = time.process_time() - t
        read = [SampleAddress(t, s.printed, s.map, s.province, s.district, s.ward, s.issued, int(t != s.printed))
                for t, s in zip(texts, drawn, strict=True)]  # fmt: skip
        got = [read_address(s.text, s.issued) for s in read]
        ocr_respelt = sum(_respelt_valid(s, g.value) for s, g in zip(read, got, strict=True))
        theirs_ocr = _their_parse(read)
        ocr_rows = []
        for name, inside in splits.items():
            idx = [i for i, s in enumerate(read) if inside(s)]
            ok = sum(_right(read[i], got[i].units) for i in idx) / max(1, len(idx))
            exact_text = sum(read[i].text == read[i].printed for i in idx) / max(1, len(idx))
            vau = sum(theirs_ocr[i] for i in idx) / max(1, len(idx))
            ocr_rows.append((name, len(idx), exact_text, ok, vau))
            ocr_ok[name] = ok
        print_table(
            f"drawn and read by Tesseract (vie; the generator's scan/photocopy defects; {ocr_s:.0f} s CPU)",
            ["split", "n", "read exactly", "hoso right", "vau parser"],
            ocr_rows,
        )
        if args.show_misses:
            for s, g in zip(read, got, strict=True):
                if s.province_group != 3 and not _right(s, g.units):
                    print(f"OCR MISS [{s.map}] {s.text!r} (printed {s.printed!r})")
    if args.show_misses:
        for s, r in zip(samples, readings, strict=True):
            if s.province_group != 3 and not _right(s, r.units):
                print(f"MISS [{s.map}] {s.text!r} (printed {s.printed!r}, {s.ward.name}, {s.province.name}) ->",
                      json.dumps(r.units, ensure_ascii=False))  # fmt: skip
    v = Verdicts()
    for name in splits:
        ok = results[name]["all"]
        v.add(f"ward and province right ({name})", ok >= 0.98, f"{ok:.1%} (target >= 98 %)")
    for name, ok in ocr_ok.items():
        v.add(f"ward and province right, read by Tesseract ({name})", ok >= 0.98, f"{ok:.1%} (target >= 98 %)")
    v.add("conversion to today's units", conv_ok == conv_n, f"{conv_ok}/{conv_n} as the dataset's table")
    v.add("no respelling of a valid unit", respelt_clean == 0 and respelt_valid == 0 and ocr_respelt == 0,
          f"{respelt_clean} printed right changed, {respelt_valid + ocr_respelt} valid names respelt")  # fmt: skip
    v.add(
        "a ward of another province marked", wrong_marked == len(wrong), f"{wrong_marked}/{len(wrong)} with suggestions"
    )
    v.add("map not read at start-up", untouched, "importing workers.cli and the stages reads no dataset")
    v.summary()


if __name__ == "__main__":
    main()
