#!/usr/bin/env python3
"""Writes a synthetic CSV of N people for `radregen ars grade --signs FILE.csv` (end-to-end timing).

Usage: python3 generate-ars-batch.py 100000 > /tmp/ars-100k.csv
Each person: one observation on day 1 with METREPOL signs, a time to vomiting and three serial
lymphocyte counts (for the Goans kinetics estimate). Values are random but within their scales.
"""
import random
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
rng = random.Random(4)
out = sys.stdout
out.write("id,day,nausea,vomitingPerDay,lymphocytes,granulocytes,platelets,erythema,stoolsPerDay,vomitingOnset,lymphocyteSeries\n")
for i in range(n):
    k = rng.uniform(0.05, 2.0)  # depletion rate per day
    l0 = rng.uniform(1.5, 3.0)
    series = ";".join(f"{h}h:{l0 * 2.718281828 ** (-k * h / 24):.3f}" for h in (0, 12, 24))
    onset = rng.choice(["none", "3h", "90min", "45min", "20min", "5min"])
    out.write(f"P{i:06d},1,{rng.randint(0, 4)},{rng.randint(0, 12)},{rng.uniform(0.1, 3):.2f},"
              f"{rng.uniform(0.2, 8):.2f},{rng.randint(5, 350)},{rng.randint(0, 4)},{rng.randint(0, 12)},{onset},{series}\n")
