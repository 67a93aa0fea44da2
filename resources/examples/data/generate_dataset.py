#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Generates the example credit-default data set (standard library only).

The data is synthetic but not random noise: every customer gets a latent
default risk from a fixed logistic model over the features, plus unexplained
noise, and the label is drawn from that risk. A good model therefore reaches
an AUC of roughly 0.8-0.9 on held-out rows, never 1.0 (the built-in
Transform/Trainer/Evaluator components get about 0.86 on ExampleGen's eval
split). About 37% of the labelled customers default.

Outputs (all deterministic for the fixed seed, so re-running changes nothing):
  credit_default.csv                                 labelled training table
  warehouse/credit_features/dt=YYYYMMDD.csv          unlabelled daily partitions
                                                     for the batch-prediction example

Columns:
  customer_id           C00001, ...
  age                   21-75 years
  income                yearly income in thousands; empty for a few percent of rows
  debt_ratio            monthly debt payments / monthly income
  credit_utilization    revolving balance / credit limit, 0-1.2
  late_payments         late payments in the last 12 months (0-9)
  months_employed       at the current employer
  open_credit_lines     number of open loans and cards
  home_ownership        rent, mortgage or own
  default               1 when the customer defaulted within a year, else 0

Usage: python3 generate_dataset.py [output-dir]   (default: this script's folder)
"""

import csv
import math
import os
import random
import sys

SEED = 20240601
TRAINING_ROWS = 600
PARTITIONS = {"20240603": 120, "20240604": 120}
FEATURES = ["age", "income", "debt_ratio", "credit_utilization", "late_payments",
            "months_employed", "open_credit_lines", "home_ownership"]


def customer(rng):
    age = rng.randint(21, 75)
    income = round(min(400.0, rng.lognormvariate(math.log(55), 0.45)), 1)
    debt_ratio = round(min(1.5, max(0.0, rng.gauss(0.32, 0.14))), 3)
    utilization = round(min(1.2, max(0.0, rng.betavariate(2, 3) * 1.2)), 3)
    late = min(9, int(rng.expovariate(1.2)))
    employed = int(min((age - 18) * 12, rng.expovariate(1 / 60)))
    lines = rng.randint(1, 14)
    home = rng.choices(["rent", "mortgage", "own"], weights=[45, 40, 15])[0]
    return {"age": age, "income": income, "debt_ratio": debt_ratio, "credit_utilization": utilization,
            "late_payments": late, "months_employed": employed, "open_credit_lines": lines,
            "home_ownership": home}


def default_risk(c):
    """The hidden model the labels come from (log-odds of default)."""
    z = -1.6
    z += 5.0 * (c["credit_utilization"] - 0.48)
    z += 1.0 * c["late_payments"]
    z += 6.0 * (c["debt_ratio"] - 0.32)
    z -= 1.8 * (math.log(c["income"]) - math.log(55))
    z -= 0.05 * (c["age"] - 45)
    z -= 0.012 * (c["months_employed"] - 60)
    z += {"rent": 0.7, "mortgage": 0.0, "own": -0.8}[c["home_ownership"]]
    return z


def rows(rng, count, labelled, first_id=1):
    for i in range(first_id, first_id + count):
        c = customer(rng)
        z = default_risk(c) + rng.gauss(0, 0.6)  # what the features cannot explain
        row = {"customer_id": "C%05d" % i}
        row.update(c)
        if rng.random() < 0.03:
            row["income"] = ""  # the warehouse has gaps; Transform imputes them
        if labelled:
            row["default"] = 1 if rng.random() < 1 / (1 + math.exp(-z)) else 0
        yield row


def write(path, columns, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        count = 0
        for row in data:
            writer.writerow(row)
            count += 1
    print("wrote %s (%d rows)" % (path, count))


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    rng = random.Random(SEED)
    write(os.path.join(out, "credit_default.csv"), ["customer_id"] + FEATURES + ["default"],
          rows(rng, TRAINING_ROWS, labelled=True))
    first_id = TRAINING_ROWS + 1  # scored customers are new ones
    for day, count in PARTITIONS.items():
        path = os.path.join(out, "warehouse", "credit_features", "dt=%s.csv" % day)
        day_rng = random.Random("%d-%s" % (SEED, day))
        write(path, ["customer_id"] + FEATURES, rows(day_rng, count, labelled=False, first_id=first_id))
        first_id += count


if __name__ == "__main__":
    main()
