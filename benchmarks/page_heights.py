"""Print each built page's height in px at 1280 px wide, all figures loaded.

Usage: ``.nox/bench/bin/python benchmarks/page_heights.py [page ...]``
(after ``nox -s docs``). The browser test checks the same heights
(``tests/browser``); this prints them, to see how far a page is from the
limit.
"""

import sys

from playwright.sync_api import sync_playwright

from bench_site import CHROMIUM, FLAGS, HTML, served

LOAD_ALL = """Promise.all([...document.images].map(i => {
  i.loading = "eager";
  return i.complete ? null : new Promise(r => { i.onload = i.onerror = r; });
}))"""


def main() -> None:
    wanted = set(sys.argv[1:])
    with served(HTML) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        for path in sorted(HTML.glob("*.html")):
            if wanted and path.stem not in wanted:
                continue
            page.goto(f"{base}/{path.name}", wait_until="networkidle")
            page.evaluate(LOAD_ALL)
            height = page.evaluate("document.documentElement.scrollHeight")
            print(f"{path.stem:32s} {height:6d}")
        browser.close()


if __name__ == "__main__":
    main()
