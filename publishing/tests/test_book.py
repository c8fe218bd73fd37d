"""The HTML book: built with Jupyter Book 1 from the stored outputs by the documented command,
then served on localhost and read, chapter by chapter, in headless Chromium (Debian's `chromium`
driven by Playwright): the math typeset by the MathJax the site serves itself, every figure
loaded, no console error, no request leaving localhost, and launch buttons that open the right
notebook. One full-page screenshot per chapter is kept in artifacts/screenshots/.
"""

import functools
import http.server
import json
import os
import re
import threading

import pytest
from playwright.sync_api import Error as PlaywrightError

from conftest import CHAPTERS, ROOT, run_documented_build
from publishing import links, notebooks
from publishing.notebooks import read

HTML = ROOT / "build" / "book" / "_build" / "html"
STAGED = (
    ROOT / "build" / "book-src" / "chapters"
)  # the notebooks as the build read them
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# TeX left in the page's text outside code: math that MathJax did not typeset.
RAW_TEX = re.compile(r"\$\$|\\\(|\\\[|\\[A-Za-z]+(?![A-Za-z])")

pytestmark = pytest.mark.skipif(not CHAPTERS, reason="chapters/ holds no notebooks")


@pytest.fixture(scope="session")
def book(artifacts):
    """Build the book with the documented command, timed; the build's log goes to artifacts/."""
    elapsed = run_documented_build(artifacts, log="book-build.log", timeout=1200)
    (artifacts / "book-build-time.txt").write_text(
        f"{elapsed:.1f} s for {len(CHAPTERS)} chapters\n"
    )
    print(f"\nbook built in {elapsed:.1f} s ({len(CHAPTERS)} chapters)")
    return HTML


@pytest.fixture(scope="session")
def site(book):
    """The built book served over HTTP on 127.0.0.1."""
    handler = functools.partial(QuietHandler, directory=str(book))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def browser():
    assert os.path.exists(CHROMIUM), (
        f"{CHROMIUM} is missing: apt-get install -y chromium"
    )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def report(artifacts):
    results = {}
    yield results
    lines = [
        f"{name}: {json.dumps(result, sort_keys=True)}"
        for name, result in sorted(results.items())
    ]
    (artifacts / "browser-report.txt").write_text(
        "\n".join(lines) + "\n", encoding="utf-8"
    )


def test_book_has_a_page_per_chapter_and_a_numbered_table_of_contents(book):
    index = (book / "intro.html").read_text(encoding="utf-8")
    positions = []
    for path in CHAPTERS:
        assert (book / "chapters" / f"{path.stem}.html").exists(), (
            f"no page for {path.name}"
        )
        link = re.search(
            rf'<a class="reference internal" href="chapters/{path.stem}.html">\s*([^<]*)</a>',
            index,
        )
        assert link, f"the table of contents has no entry for {path.name}"
        number = int(path.name[:2])
        assert link.group(1).strip().startswith(f"{number}. "), (
            f"entry {link.group(1)!r} is not numbered {number}"
        )
        positions.append(link.start())
    assert positions == sorted(positions), (
        "chapters are listed in the order of their numbers"
    )


def test_book_is_built_from_the_stored_outputs_and_serves_its_own_mathjax(book):
    assert (book / "_static" / "mathjax" / "tex-mml-chtml.js").exists()
    assert (
        book / "_static" / "mathjax" / "output" / "chtml" / "fonts" / "woff-v2"
    ).is_dir()
    assert not (ROOT / "build" / "book" / "_build" / ".jupyter_cache").exists(), (
        "nothing is executed"
    )
    for path in CHAPTERS:
        page = (book / "chapters" / f"{path.stem}.html").read_text(encoding="utf-8")
        assert "_static/mathjax/tex-mml-chtml.js" in page
        assert not re.search(r"<script[^>]+src=\"https?://", page), (
            "every script comes from the site itself"
        )
        figures = stored_figures(STAGED / path.name)
        assert page.count('src="../_images/') >= figures, (
            f"{path.name}: a stored figure is missing from its page"
        )


def test_each_solution_is_folded_below_its_task(book):
    """A reader meets an exercise's task and its check before its answer: every solution cell
    is on its page, folded behind its "Show code cell source" button."""
    for path in CHAPTERS:
        page = (book / "chapters" / f"{path.stem}.html").read_text(encoding="utf-8")
        cells = re.findall(r'<div class="cell ([^"]*)"', page)
        solutions = [c for c in cells if "tag_solution" in c.split()]
        written = sum(
            "solution" in notebooks.tags(cell)
            for cell in notebooks.read(path).cells
            if cell.cell_type == "code"
        )
        assert len(solutions) == written, f"{path.name}: a solution is missing"
        assert all("tag_hide-input" in c.split() for c in solutions), (
            f"{path.name}: a solution is shown open on its page"
        )


@pytest.mark.browser
@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_in_chromium(path, site, browser, artifacts, report):
    number = int(path.name[:2])
    notebook = f"chapters/{path.name}"
    problems, outside = [], []
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, service_workers="block"
    )
    page = context.new_page()

    def route(request_route):
        url = request_route.request.url
        if url.startswith(site) or url.startswith("data:"):
            request_route.continue_()
        else:
            outside.append(url)
            request_route.abort()

    page.route("**/*", route)
    page.on(
        "console",
        lambda m: (
            problems.append(f"console {m.type}: {m.text}")
            if m.type == "error"
            else None
        ),
    )
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on(
        "requestfailed",
        lambda r: problems.append(f"request failed: {r.url} {r.failure}"),
    )
    page.on(
        "response",
        lambda r: (
            problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None
        ),
    )
    try:
        page.goto(f"{site}/chapters/{path.stem}.html", wait_until="load")
        try:
            page.wait_for_function(
                "() => window.MathJax && MathJax.startup && MathJax.startup.promise",
                timeout=30_000,
            )
            page.evaluate("() => MathJax.startup.promise")
        except PlaywrightError as failure:
            problems.append(f"MathJax did not start: {failure.message.splitlines()[0]}")
        # every image on the page, below the fold too, loaded and decoded
        images = page.evaluate("""async () => {
            const images = Array.from(document.querySelectorAll('article img'));
            for (const img of images) { img.loading = 'eager'; img.scrollIntoView(); }
            await Promise.all(images.map(img => img.decode().catch(() => null)));
            window.scrollTo(0, 0);
            return images.map(img => ({src: img.getAttribute('src'), width: img.naturalWidth}));
        }""")
        math = page.evaluate("""() => ({
            typeset: document.querySelectorAll('article mjx-container').length,
            untypeset: Array.from(document.querySelectorAll('article .math'))
                .filter(el => !el.querySelector('mjx-container')).length,
            errors: Array.from(document.querySelectorAll('article mjx-merror'))
                .map(el => el.getAttribute('data-mjx-error')),
        })""")
        text = page.evaluate("""() => {
            const article = document.querySelector('article').cloneNode(true);
            article.querySelectorAll('pre, code, script, style, mjx-container, .highlight')
                .forEach(el => el.remove());
            return article.innerText;
        }""")
        title = page.locator("article h1").first.inner_text().strip()
        launch = page.eval_on_selector_all("a[href]", "els => els.map(a => a.href)")
        page.screenshot(path=str(screenshot_path(artifacts, path)), full_page=True)
    finally:
        context.close()

    binder, colab = links.binder_url(notebook), links.colab_url(notebook)
    raw = sorted(set(RAW_TEX.findall(text)))
    result = {
        "math typeset": math["typeset"],
        "math left raw": math["untypeset"] + len(raw),
        "math errors": len(math["errors"]),
        "figures": len(images),
        "figures not loaded": sum(i["width"] == 0 for i in images),
        "console errors": len(problems),
        "requests off localhost": len(outside),
        "binder button": binder in launch,
        "colab button": colab in launch,
    }
    report[path.stem] = result
    assert not outside, f"requests left localhost: {outside}"
    assert not problems, problems
    assert math["typeset"] > 0, "no math was typeset"
    assert math["untypeset"] == 0, f"{math['untypeset']} math elements were not typeset"
    assert not math["errors"], f"MathJax could not typeset: {math['errors']}"
    assert not raw, f"TeX left in the page's text: {raw}"
    assert all(i["width"] > 0 for i in images), [
        i["src"] for i in images if i["width"] == 0
    ]
    assert sum(i["src"].startswith("../_images/") for i in images) >= stored_figures(
        STAGED / path.name
    )
    assert title.startswith(f"{number}. "), (
        f"the page's title {title!r} is not numbered {number}"
    )
    assert binder in launch, f"no Binder button for {notebook} ({binder})"
    assert colab in launch, f"no Colab button for {notebook} ({colab})"
    assert links.repository()[0] in launch, "no link to the repository"


def stored_figures(path):
    """How many figures (PNG outputs) a notebook stores."""
    return sum(
        "image/png" in output.get("data", {})
        for cell in read(path).cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
    )


def screenshot_path(artifacts, path):
    folder = artifacts / "screenshots"
    folder.mkdir(exist_ok=True)
    return folder / f"{path.stem}.png"


# The reader's book, measured (CONTRIBUTING, "The reader's view"): on every page, at a laptop's,
# a tablet's and a desktop's width, no display equation is cut off, no printout runs wider than the
# column, no figure is shown at less than 2/3 of its width or without a description, at most 5%
# of code and text blocks scroll sideways, and axe-core finds no critical or serious WCAG 2 A/AA
# violation.
READING = (ROOT / "publishing" / "tests" / "js" / "reading.js").read_text(
    encoding="utf-8"
)
AXE = ROOT / "publishing" / "node_modules" / "axe-core" / "axe.min.js"
WINDOWS = {"laptop": (1280, 900), "tablet": (768, 1024), "desktop": (1920, 1080)}
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PAGES = [ROOT / "intro"] + CHAPTERS  # the home page, then the chapters


@pytest.mark.browser
@pytest.mark.parametrize("window", WINDOWS)
@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.stem)
def test_page_reads_at_the_window_width(path, window, site, browser, artifacts, report):
    assert AXE.exists(), "axe-core is missing: npm ci --prefix publishing"
    width, height = WINDOWS[window]
    context = browser.new_context(
        viewport={"width": width, "height": height}, service_workers="block"
    )
    page = context.new_page()
    address = "intro.html" if path.stem == "intro" else f"chapters/{path.stem}.html"
    try:
        page.goto(f"{site}/{address}", wait_until="load")
        page.wait_for_function(
            "() => window.MathJax && MathJax.startup && MathJax.startup.promise",
            timeout=30_000,
        )
        page.evaluate("() => MathJax.startup.promise")
        page.evaluate("""async () => {
            const images = Array.from(document.querySelectorAll('article img'));
            images.forEach(img => { img.loading = 'eager'; });
            await Promise.all(images.map(img => img.decode().catch(() => null)));
        }""")
        measured = page.evaluate(READING)
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate(
            """async (tags) => {
                const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
                return result.violations
                    .filter(v => v.impact === 'critical' || v.impact === 'serious')
                    .map(v => `${v.id} (${v.impact}): ${v.nodes.length} element(s), e.g. `
                              + v.nodes[0].target.join(' '));
            }""",
            WCAG,
        )
        if window == "tablet":
            folder = artifacts / "screenshots"
            folder.mkdir(exist_ok=True)
            page.screenshot(path=str(folder / f"{path.stem}-768.png"), full_page=True)
    finally:
        context.close()

    scrolled_share = len(measured["scrolled"]) / max(measured["blocks"], 1)
    report[f"{path.stem} at {width} px"] = {
        "display equations": measured["equations"],
        "clipped equations": len(measured["clipped"]),
        "printouts wider than the column": len(measured["wideOutputs"]),
        "figures": measured["figures"],
        "figures shown below 2/3": len(measured["shrunk"]),
        "figures without a description": len(measured["undescribed"]),
        "blocks": measured["blocks"],
        "blocks scrolling sideways": len(measured["scrolled"]),
        "axe critical/serious": len(violations),
    }
    assert not measured["clipped"], f"display equations cut off: {measured['clipped']}"
    assert not measured["wideOutputs"], (
        f"printouts wider than the column: {measured['wideOutputs']}"
    )
    assert not measured["shrunk"], f"figures shown below 2/3: {measured['shrunk']}"
    assert not measured["undescribed"], (
        f"figures without a description: {measured['undescribed']}"
    )
    assert scrolled_share <= 0.05, (
        f"{len(measured['scrolled'])} of {measured['blocks']} code and text blocks scroll "
        f"sideways (at most 5%): {measured['scrolled'][:8]}"
    )
    assert not violations, f"axe-core: {violations}"
