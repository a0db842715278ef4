#!/usr/bin/python3
"""Independent NumPy brute force of `radregen hla coverage --top N` (docs/hla.md, "Coverage").

The yardstick for the CLI's whole-process time (docs/performance.md, "Start-up and hla coverage"):
it shares no code with RadRegen.Hla and does not use its algorithm (no subset intersections, no
partner bitsets). It reads the same NMDP CSV (Haplo,Count,Freq), reduces it to the loci (two-field
names, as in the NMDP 2007 files; other resolutions are not handled here), takes the N most frequent
haplotypes as lines and computes, after each line:

  cis   = 1 - (1 - sum of the lines' frequencies)^2
  trans = sum over ordered genotype pairs (i, j) of f_i * f_j, counted when some line L has,
          at every locus, L's allele on h_i or on h_j  (= the unordered sum with the factor 2)

by enumerating every one of the n^2 ordered pairs for every line (n = 2,674 for CAU A~B~DRB1).

Usage:  /usr/bin/python3 bench/hla_coverage_numpy.py HEGL_CAU.csv [--loci A,B,DRB1] [--top 100] [--json]
(Debian's python3-numpy; `python3` may be another interpreter without NumPy.)
Prints the same JSON fields as the CLI's --json for the numbers (haplotypes, cis, trans, rows with
rank, haplotype, frequency, cumulativeCis, cumulativeTrans, screen); --compare FILE checks a CLI
--json output against this one and exits 1 on a difference.
"""
import argparse
import csv
import json
import sys

import numpy as np


def read_set(path, loci):
    """Haplotype -> frequency, reduced to `loci` (summing the others out) and renormalised."""
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    header = [h.strip().lower() for h in rows[0]]
    hap_col, freq_col = header.index("haplo"), header.index("freq")
    raw = [(r[hap_col].strip(), float(r[freq_col])) for r in rows[1:] if r]
    total = sum(f for _, f in raw)
    # The CLI normalises the file, then reduces in frequency order (ties by name), then
    # normalises again; following the same order keeps the sums equal to the last bit.
    full = sorted(((h, f / total) for h, f in raw), key=lambda x: (-x[1], x[0]))
    reduced = {}
    for hap, f in full:
        alleles = dict((a.split("*")[0], a) for a in hap.split("~"))
        key = "~".join(alleles[l] for l in loci)
        reduced[key] = reduced.get(key, 0.0) + f
    total = sum(reduced.values())
    return sorted(((h, f / total) for h, f in reduced.items()), key=lambda x: (-x[1], x[0]))


def coverage(haplotypes, loci, top):
    names = [h for h, _ in haplotypes]
    freq = np.array([f for _, f in haplotypes])
    n = len(names)
    # alleles[i, l]: an integer per distinct allele at locus l.
    alleles = np.empty((n, len(loci)), dtype=np.int32)
    for l in range(len(loci)):
        column = [name.split("~")[l] for name in names]
        ids = {a: k for k, a in enumerate(sorted(set(column)))}
        alleles[:, l] = [ids[a] for a in column]
    every = (1 << len(loci)) - 1
    # first[i, j]: the rank (0-based) of the first line that covers the ordered pair (i, j);
    # `top` when none does. Lines are applied last to first so that the earliest one stays.
    first = np.full((n, n), top, dtype=np.int16)
    for k in range(top - 1, -1, -1):
        line = alleles[k]
        # carries[i]: bit l set when haplotype i carries the line's allele at locus l.
        carries = np.zeros(n, dtype=np.uint8)
        for l in range(len(loci)):
            carries |= (alleles[:, l] == line[l]).astype(np.uint8) << l
        # Pair (i, j) is covered when every locus has the line's allele on h_i or h_j.
        covered = np.bitwise_or.outer(carries, carries) == every
        first[covered] = k
    weights = np.outer(freq, freq)
    gained = np.bincount(first.ravel(), weights=weights.ravel(), minlength=top + 1)[:top]
    trans = np.cumsum(gained)
    cis_sum = np.cumsum(freq[:top])
    cis = 1 - (1 - cis_sum) ** 2
    rows = [
        {
            "rank": k + 1,
            "haplotype": names[k],
            "frequency": float(freq[k]),
            "cumulativeCis": float(cis[k]),
            "cumulativeTrans": float(trans[k]),
            "screen": float(1 / freq[k] ** 2) if freq[k] > 0 else None,
        }
        for k in range(top)
    ]
    return {"haplotypes": n, "cis": rows[-1]["cumulativeCis"], "trans": rows[-1]["cumulativeTrans"], "rows": rows}


def compare(ours, theirs, tolerance=1e-9):
    """Differences between this result and a CLI --json result (relative, `tolerance`)."""
    problems = []

    def close(a, b):
        return (a is None and b is None) or (a is not None and b is not None and abs(a - b) <= tolerance * max(1.0, abs(a), abs(b)))

    for field in ("haplotypes", "cis", "trans"):
        if not close(ours[field], theirs[field]):
            problems.append(f"{field}: numpy {ours[field]!r}, cli {theirs[field]!r}")
    if len(ours["rows"]) != len(theirs["rows"]):
        problems.append(f"rows: numpy {len(ours['rows'])}, cli {len(theirs['rows'])}")
    for a, b in zip(ours["rows"], theirs["rows"]):
        if a["haplotype"] != b["haplotype"]:
            problems.append(f"rank {a['rank']}: numpy {a['haplotype']}, cli {b['haplotype']}")
        for field in ("frequency", "cumulativeCis", "cumulativeTrans", "screen"):
            if not close(a[field], b[field]):
                problems.append(f"rank {a['rank']} {field}: numpy {a[field]!r}, cli {b[field]!r}")
    return problems


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("frequencies")
    p.add_argument("--loci", default="A,B,DRB1")
    p.add_argument("--top", type=int, default=100)
    p.add_argument("--json", action="store_true", help="print the result as JSON (otherwise one summary line)")
    p.add_argument("--compare", metavar="CLI_JSON", help="a file with `radregen hla coverage ... --json` output to check")
    a = p.parse_args()
    loci = a.loci.split(",")
    result = coverage(read_set(a.frequencies, loci), loci, a.top)
    if a.json:
        json.dump(result, sys.stdout, indent=2)
        print()
    else:
        print(f"{result['haplotypes']} haplotypes; top {a.top}: cis {result['cis']:.6%}, trans {result['trans']:.6%}")
    if a.compare:
        with open(a.compare, encoding="utf-8") as f:
            problems = compare(result, json.load(f))
        for problem in problems:
            print(f"differs: {problem}", file=sys.stderr)
        print(f"compared with {a.compare}: {'identical within 1e-9' if not problems else f'{len(problems)} difference(s)'}", file=sys.stderr)
        sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
