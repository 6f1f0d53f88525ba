"""Every page of a built site in Chromium: weight, requests, diagrams, errors, accessibility.

Usage: python scripts/site_report.py [SITE_DIR]     (make report)
Prints one row per page, the totals a reader would care about, and every problem found.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from served_site import CHROMIUM, CHROMIUM_ARGS, serve
from site_audit import PAGE_BUDGET_BYTES, audit_pages, broken_links, site_pages


def main() -> int:
    site = Path(sys.argv[1] if len(sys.argv) > 1 else "site")
    pages = site_pages(site)
    with serve(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        audits = audit_pages(browser, base, site, pages)
        browser.close()
    print(f"{'page':<42} {'bytes':>10} {'requests':>8} {'diagrams':>8}")
    for a in sorted(audits, key=lambda a: -a.transferred):
        print(f"/{a.path:<41} {a.transferred:>10,} {a.requests:>8} {a.rendered:>4}/{a.diagrams:<3}")
    impacts = Counter(v["impact"] for a in audits for v in a.violations)
    heaviest = max(audits, key=lambda a: a.transferred)
    problems = [p for a in audits for p in a.problems()] + broken_links(site)
    print(f"\npages visited: {len(audits)}")
    print(f"diagrams rendered: {sum(a.rendered for a in audits)} of {sum(a.diagrams for a in audits)}")
    print(f"third-party requests: {sum(len(a.foreign) for a in audits)}")
    print(f"console errors: {sum(len(a.errors) for a in audits)}")
    print(
        "axe violations by impact: "
        + ", ".join(f"{k} {impacts.get(k, 0)}" for k in ("critical", "serious", "moderate", "minor"))
    )
    print(f"heaviest page: /{heaviest.path} {heaviest.transferred:,} bytes (budget {PAGE_BUDGET_BYTES:,})")
    print(f"problems: {len(problems)}")
    for problem in problems:
        print(f"  {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
