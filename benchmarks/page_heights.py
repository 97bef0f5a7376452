"""Print each built page's height in px at 1280 px wide, all figures loaded.

Usage: ``.nox/browser/bin/python benchmarks/page_heights.py [page ...]``
(after ``nox -s docs``; the browser session's venv has Playwright, and
Debian's Chromium is at /usr/bin/chromium).
"""

import functools
import http.server
import sys
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

HTML = Path("docs/_build/html")


class Q(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *a):
        pass


srv = http.server.ThreadingHTTPServer(
    ("127.0.0.1", 0), functools.partial(Q, directory=str(HTML))
)
threading.Thread(target=srv.serve_forever, daemon=True).start()
base = f"http://127.0.0.1:{srv.server_address[1]}"
FLAGS = [
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--no-sandbox",
    "--disable-gpu",
]
with sync_playwright() as p:
    b = p.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
    pg = b.new_page(viewport={"width": 1280, "height": 900})
    wanted = set(sys.argv[1:])
    for f in sorted(HTML.glob("*.html")):
        if wanted and f.stem not in wanted:
            continue
        pg.goto(f"{base}/{f.name}", wait_until="networkidle")
        pg.evaluate(
            "Promise.all([...document.images].map(i=>{i.loading='eager'; return i.complete?null:new Promise(r=>{i.onload=i.onerror=r;});}))"
        )
        h1 = pg.evaluate("document.documentElement.scrollHeight")
        print(f"{f.stem:32s} {h1:6d}")
    b.close()
