"""Print bench/results.json (or the file given) as the Markdown table of the README."""

import json
import sys


def main(path):
    with open(path) as f:
        data = json.load(f)
    sizes = data["sizes"]
    print(f"Measured {data['date']}, scale {data['scale']} ({sizes['dealers']:,} dealers, "
          f"{sizes['distributors']:,} sub-distributors, {sizes['products']:,} products, "
          f"{sizes['invoice_lines']:,} invoice lines, route day of {sizes['route_dealers']} dealers), "
          f"{data['machine']['cpus']} cores, Odoo {data['machine']['odoo']}.\n")
    print("| Figure | Ours (s) | Baseline (s) | Ratio | Queries | Target | Met |")
    print("|---|---:|---:|---:|---:|---|---|")
    for fig in data["figures"]:
        target = (f"≤ {fig['target_ratio']}×" if fig.get("target_ratio") is not None
                  else f"≤ {fig['target_s']} s" if fig.get("target_s") is not None else "")
        met = {True: "yes", False: "**no**", None: ""}[fig.get("met")]
        cells = [fig["name"], fig.get("ours_s"), fig.get("baseline_s"), fig.get("ratio"), fig.get("queries")]
        print("| " + " | ".join("" if c is None else str(c) for c in cells) + f" | {target} | {met} |")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "bench/results.json")
