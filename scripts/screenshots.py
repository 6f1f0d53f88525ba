"""Desktop, phone and dark-mode screenshots of the main pages, for reviewers to look at.

Usage: python scripts/screenshots.py [SITE_DIR] [OUT_DIR] [PAGE ...]
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import ViewportSize, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from served_site import CHROMIUM, CHROMIUM_ARGS, new_context, serve

PAGES = [
    "",
    "debate/",
    "cruxes/",
    "cruxes/deception-hiding/",
    "timeline/",
    "approaches/",
    "bibliography/",
    "literature/",
    "overview/state-of-the-field/",
]
VIEWS: dict[str, ViewportSize] = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def main() -> int:
    site = Path(sys.argv[1] if len(sys.argv) > 1 else "site")
    out = Path(sys.argv[2] if len(sys.argv) > 2 else "screenshots")
    pages = sys.argv[3:] or PAGES
    out.mkdir(parents=True, exist_ok=True)
    with serve(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for view, size in VIEWS.items():
            for scheme in ("light", "dark"):
                context = new_context(browser, search=True, viewport=size, color_scheme=scheme)
                page = context.new_page()
                for path in pages:
                    page.goto(base + path, wait_until="networkidle")
                    page.wait_for_timeout(300)
                    name = (path.strip("/").replace("/", "_") or "home") + f"-{view}-{scheme}.png"
                    page.screenshot(path=str(out / name), full_page=view == "phone")
                context.close()
        browser.close()
    print(f"{len(pages) * 4} screenshots in {out}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
