"""Issue 17 targets: completeness at the counter, and the document types the procedures need.

(a) **Types on held-out layouts** (text level): the printed lines of generated pages in layouts the classifier is
never trained on (family a variants 2+, and every variant of family b, written apart), damaged as OCR damages text
(`ocr_noise` at 0.5 and 1.0, fixed seed), typed as the document stage types a first page: a title among its upper
lines names the type, else the classifier with the catalogue's keywords (on text lines, without their boxes).
`--compare OLD.json` prints the same for another model (the one before a retrain).

(b) **Completeness on document lists**: for every procedure (schemas/procedures.json), generated dossiers holding
every paper it lists (required and conditional), once complete and once with each required paper missing in turn
(one of two when it asks for two); each paper is a generated document in a held-out layout, typed as in (a), and
`pipeline.completeness` judges the dossier. Targets: 100 % of missing papers named; 0 false "missing" when the
paper's type was read right.

(c) `--ocr N`: N of those dossiers (one page a paper, 200 dpi) through the real page stage and document stage
(`hoso process --procedure`, embedded runner): the same two figures from the record's `completeness`. Slow (OCR,
~4 s a page on this machine); the figures of (b) are the target's, (c) checks the whole path.

    python bench/completeness.py [--quick] [--seeds N] [--compare OLD.json] [--ocr N]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import fresh_dir, print_table  # noqa: E402

SEED = 17_0017
TRAIN_VARIANTS = (0, 1)  # workers/usecases/train.py: what the classifier is trained on (family a)


def held_out_layouts(synth) -> list[tuple[str, str, int]]:  # type: ignore[no-untyped-def]
    """(type, family, variant) of every layout the classifier never sees in training."""
    out = []
    for t in synth.DOC_TYPES:
        out += [(t, "a", v) for v in range(synth.VARIANTS[t]) if v not in TRAIN_VARIANTS]
        out += [(t, "b", v) for v in range(synth.VARIANTS_B.get(t, 0))]
    return out


def page_texts(synth, doc_type: str, family: str, variant: int, seed: int) -> list[str]:  # type: ignore[no-untyped-def]
    _doc, pages = synth.make_document(
        doc_type, seed=seed, dpi=50, defects="none", seal=False, variant=variant, family=family
    )
    return ["\n".join(p.lines) for p in pages]


def typer(model_path: Path | None):  # type: ignore[no-untyped-def]
    """A function from a page's text to (type, probability), as the document stage types a page: the model with
    the catalogue's keywords, and a title among the upper lines settles it unless the text says otherwise
    (pipeline/documents.py; here on text lines, without their boxes)."""
    import itertools

    from rapidfuzz import fuzz

    from pipeline.classify import MODEL_FILE, TextClassifier
    from pipeline.documents import (
        _CONFLICT_CONFIDENCE,
        _TEXT_SURE,
        _TITLE_CUTOFF,
        _TITLE_DOUBT,
        _upper_share,
        _with_keywords,
    )
    from pipeline.extract.text import fold
    from schemas.doctypes import load_catalog

    model = TextClassifier.load(model_path or MODEL_FILE)
    catalog = load_catalog()
    titles = [(spec.key, fold(t)) for spec in catalog.types for t in spec.titles]

    def title_of(text: str) -> tuple[str, float] | None:
        lines = text.splitlines()
        upper = [fold(x) for x in lines[: max(3, int(len(lines) * 0.4))] if x.strip() and _upper_share(x) >= 0.7]
        best: tuple[int, float, str] | None = None  # the longest title, then the best score
        for line in upper + [f"{a} {b}" for a, b in itertools.pairwise(upper)]:
            for key, t in titles:
                prefix = fuzz.ratio(t, line[: len(t)]) if len(line) > len(t) else 0.0
                score = max(fuzz.ratio(t, line), prefix)
                if score >= _TITLE_CUTOFF and (best is None or (len(t), score) > best[:2]):
                    best = (len(t), score, key)
        return (best[2], best[1]) if best else None

    def classify(text: str) -> tuple[str, float]:
        probs = _with_keywords(model.predict_proba(text), fold(text), catalog)
        best = max(probs, key=lambda k: probs[k])
        title = title_of(text)
        if title is not None and probs.get(title[0], 0.0) < _TITLE_DOUBT and probs[best] >= _TEXT_SURE:
            return best, min(probs[best], _CONFLICT_CONFIDENCE)  # as type_documents: the text, surely, says otherwise
        if title is not None:  # as type_documents: the title names the type, the text only its confidence
            p = probs.get(title[0], 0.0)
            return title[0], max(p, min(0.99, title[1] / 100.0)) if p >= _TITLE_DOUBT else 0.5 * p + 0.3
        return best, probs[best]

    return classify


def types_section(synth, seeds: int, model: Path | None, label: str) -> dict[str, float]:  # type: ignore[no-untyped-def]
    from workers.usecases.train import ocr_noise

    classify = typer(model)
    rng = random.Random(SEED)
    right: dict[str, int] = defaultdict(int)
    seen: dict[str, int] = defaultdict(int)
    confusions: dict[tuple[str, str], int] = defaultdict(int)
    for t, fam, v in held_out_layouts(synth):
        for i in range(seeds):
            for text in page_texts(synth, t, fam, v, SEED + 7 * i)[:1]:  # the first page: where the type shows
                for level in (0.5, 1.0):
                    got, _p = classify(ocr_noise(text, rng, level))
                    seen[t] += 1
                    right[t] += got == t
                    if got != t:
                        confusions[(t, got)] += 1
    rows = [[t, seen[t], right[t], 100.0 * right[t] / seen[t]] for t in synth.DOC_TYPES if seen[t]]
    total = sum(seen.values())
    rows.append(["all", total, sum(right.values()), 100.0 * sum(right.values()) / total])
    print_table(f"(a) page type on held-out layouts, {label}", ["type", "pages", "right", "%"], rows, digits=1)
    if confusions:
        worst = sorted(confusions.items(), key=lambda kv: -kv[1])[:8]
        print("  most confused: " + ", ".join(f"{a}->{b} {n}" for (a, b), n in worst))
    return {t: 100.0 * right[t] / seen[t] for t in seen}


def dossier_cases(procedure) -> list[tuple[str, list[tuple[str, str]], str | None]]:  # type: ignore[no-untyped-def]
    """(case, [(component key, doc type)], the component left out or None): complete, then each required paper
    missing in turn (one of two when the component asks for two)."""
    papers = [(c.key, c.types[0]) for c in procedure.components for _ in range(c.count)]
    cases: list[tuple[str, list[tuple[str, str]], str | None]] = [("complete", papers, None)]
    for c in procedure.components:
        if c.required:
            at = next(i for i, (k, _t) in enumerate(papers) if k == c.key)
            # a conditional paper of the same type would stand in for it (a certified copy's copy): left out too
            stand_ins = {o.key for o in procedure.components if not o.required and set(o.types) & set(c.types)}
            rest = [p for i, p in enumerate(papers) if i != at and p[0] not in stand_ins]
            cases.append((f"without {c.key}", rest, c.key))
    return cases


def layout_for(synth, doc_type: str, rng: random.Random) -> tuple[str, int]:  # type: ignore[no-untyped-def]
    options = [(f, v) for (t, f, v) in held_out_layouts(synth) if t == doc_type]
    return rng.choice(options) if options else ("a", rng.randrange(synth.VARIANTS[doc_type]))


def lists_section(synth, seeds: int, model: Path | None) -> tuple[int, int, int, int]:  # type: ignore[no-untyped-def]
    from pipeline.completeness import completeness
    from schemas.procedures import load_procedures
    from schemas.record import Document
    from workers.usecases.train import ocr_noise

    classify = typer(model)
    rng = random.Random(SEED + 1)
    expected = named = false_missing = read_right_components = 0
    rows = []
    for proc in load_procedures().procedures:
        p_expected = p_named = p_false = 0
        for _case, papers, left_out in dossier_cases(proc):
            for i in range(seeds):
                docs, truth = [], []
                for n, (_key, t) in enumerate(papers):
                    fam, v = layout_for(synth, t, rng)
                    text = page_texts(synth, t, fam, v, SEED + 101 * i + n)[0]
                    got, p = classify(ocr_noise(text, rng, rng.choice((0.5, 1.0))))
                    docs.append(Document(type=got, type_confidence=round(p, 3), pages=[n + 1]))
                    truth.append(t)
                result = completeness(proc, docs)
                by_key = {c.key: c for c in result.components}
                if left_out is not None:
                    expected += 1
                    p_expected += 1
                    if by_key[left_out].missing:
                        named += 1
                        p_named += 1
                for comp in proc.components:
                    if comp.key == left_out or not comp.required:
                        continue
                    # its papers (by truth) all typed right: then it must not be reported missing
                    mine = [j for j, (k, _t) in enumerate(papers) if k == comp.key]
                    if all(docs[j].type == truth[j] for j in mine):
                        read_right_components += 1
                        if by_key[comp.key].missing:
                            false_missing += 1
                            p_false += 1
        rows.append([proc.key, len(dossier_cases(proc)) * seeds, p_expected, p_named, p_false])
    print_table(
        "(b) completeness on document lists (held-out layouts, OCR-damaged text)",
        ["procedure", "dossiers", "papers left out", "named missing", "false missing"],
        rows,
    )
    return expected, named, false_missing, read_right_components


def ocr_section(synth, n: int) -> tuple[int, int, int, int, float]:  # type: ignore[no-untyped-def]
    """Dossiers through `hoso process --procedure` (the embedded runner): the record's completeness."""
    from schemas.procedures import load_procedures
    from synth.io import write_pdf
    from workers.runners import embedded
    from workers.settings import Settings

    procs = load_procedures().procedures
    rng = random.Random(SEED + 2)
    work = fresh_dir("completeness")
    expected = named = false_missing = read_right = 0
    cpu = 0.0
    rows = []
    for i in range(n):
        proc = procs[i % len(procs)]
        cases = dossier_cases(proc)
        without = [c for c in cases[1:] if c[1]]  # a dossier of no paper at all is not scanned
        case, papers, left_out = cases[0] if i // len(procs) % 2 == 0 or not without else without[i % len(without)]
        pages = []
        for j, (_k, t) in enumerate(papers):
            fam, v = layout_for(synth, t, rng)
            _doc, doc_pages = synth.make_document(t, seed=SEED + 31 * i + j, dpi=200, variant=v, family=fam)
            pages.append(doc_pages[0])
        pdf = work / f"d{i:02d}.pdf"
        write_pdf(pages, pdf)
        t0 = time.process_time()
        result = embedded.process(Settings(data_dir=work / f"data{i:02d}", jobs=1), [pdf], procedure=proc)
        cpu += time.process_time() - t0
        rec = result.dossier
        assert rec.completeness is not None
        by_key = {c.key: c for c in rec.completeness.components}
        types = [d.type for d in rec.documents]
        if left_out is not None:
            expected += 1
            named += by_key[left_out].missing
        for comp in proc.components:
            if comp.key == left_out or not comp.required:
                continue
            want = [t for k, t in papers if k == comp.key]
            if types.count(want[0]) >= len(want):
                read_right += 1
                false_missing += by_key[comp.key].missing
        rows.append([proc.key, case, len(pages), " ".join(types), "yes" if rec.completeness.complete else "no",
                     "; ".join(rec.completeness.missing) or "-"])  # fmt: skip
    print_table("(c) through the page stage", ["procedure", "case", "pages", "types read", "complete", "missing"], rows)
    return expected, named, false_missing, read_right, cpu


def verdict(name: str, ok: bool, figure: str) -> bool:
    print(f"{'PASS' if ok else 'FAIL'}  {name}: {figure}")
    return ok


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="one seed each, no OCR")
    ap.add_argument("--seeds", type=int, default=6, help="generated documents per layout / dossiers per case")
    ap.add_argument("--model", type=Path, help="the classifier to test (default: the shipped one)")
    ap.add_argument("--compare", type=Path, help="another classifier to show beside it in (a)")
    ap.add_argument("--ocr", type=int, default=0, help="dossiers through the real page stage (slow)")
    args = ap.parse_args()
    import synth

    seeds = 1 if args.quick else args.seeds
    if args.compare:
        before = types_section(synth, seeds, args.compare, f"model {args.compare.name}")
    after = types_section(synth, seeds, args.model, f"model {(args.model or Path('shipped')).name}")
    if args.compare:
        print("  change per type (points): " + ", ".join(f"{t} {after[t] - before.get(t, 0):+.1f}" for t in after))
    expected, named, false_missing, read_right = lists_section(synth, seeds, args.model)
    oks = [
        verdict("missing papers named (lists)", named == expected, f"{named}/{expected}"),
        verdict("false missing when read right (lists)", false_missing == 0, f"{false_missing} of {read_right}"),
    ]
    if args.ocr and not args.quick:
        e, nmd, fm, rr, cpu = ocr_section(synth, args.ocr)
        oks += [
            verdict("missing papers named (page stage)", nmd == e, f"{nmd}/{e}"),
            verdict("false missing when read right (page stage)", fm == 0, f"{fm} of {rr}"),
        ]
        print(f"  page stage CPU of this process: {cpu:.1f} s for {args.ocr} dossiers (page workers not counted)")
    print(f"summary: {sum(oks)}/{len(oks)} targets pass")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
