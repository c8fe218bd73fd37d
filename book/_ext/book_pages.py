"""Fixes to the pages of the HTML book, so that they show what the notebooks show, readably.

1. Display math. Sphinx wraps a display equation whose TeX contains `\\` in a `split`
   environment, meant for line breaks at the top level. The book writes `\\` inside matrices,
   `cases` and `aligned`, and tags its result equations with `\tag{...}`, which MathJax refuses
   inside `split` ("\tag not allowed in split environment"). An equation whose line breaks are
   all inside environments is passed to MathJax as written, as Jupyter does; in the PDF edition
   it is set in an `equation*` environment, where amsmath allows `\tag`.
2. Scripts. sphinx-thebe registers its configuration script once per read of the sources, and
   Jupyter Book's build can read them twice, which declares `const THEBE_JS_URL` twice on every
   page (a SyntaxError in the browser). Each page keeps one copy of every script.
3. Styles (static/book.css): wide display math scrolls in its own box, code fits 88 columns at a
   laptop's width, one search box per page.
4. Accessible names (WCAG 2.5.3, "label in name", which axe-core checks): the theme's search field
   shows "Search Ctrl+K" but is labelled "Search", and its colour-mode button's icons carry
   titles ("Light") that are not in its label "Color mode", and a folded cell's control shows
   "Show code cell source" but is labelled "Toggle hidden content". The search field and the
   control take their names from what they show; the icons, which Font Awesome turns into titled
   SVGs, lose their titles.
"""

import re
from pathlib import Path

from docutils import nodes

STATIC = Path(__file__).resolve().parent / "static"

TEX_TOKEN = re.compile(r"\\begin\{|\\end\{|\\\\")


def top_level_line_break(tex):
    """Whether a `\\` line break of this TeX stands outside every \\begin{...}...\\end{...}."""
    depth = 0
    for token in TEX_TOKEN.findall(tex):
        if token == "\\begin{":
            depth += 1
        elif token == "\\end{":
            depth = max(depth - 1, 0)
        elif depth == 0:
            return True
    return False


def display_math(sphinx_visit):
    def visit(self, node):
        tex = node.astext()
        parts = [part for part in tex.split("\n\n") if part.strip()]
        if (
            node["nowrap"]
            or node["number"]
            or len(parts) != 1
            or top_level_line_break(tex)
        ):
            return sphinx_visit(self, node)
        opening, closing = self.builder.config.mathjax_display
        self.body.append(
            self.starttag(node, "div", CLASS="math notranslate nohighlight")
        )
        self.body.append(opening + self.encode(tex) + closing)
        self.body.append("</div>\n")
        raise nodes.SkipNode

    return visit


def latex_display_math(self, node):
    """The LaTeX builder's display math: `equation*` (which allows `\\tag`) around an equation
    whose line breaks are all inside environments; Sphinx's own wrapping otherwise."""
    from sphinx.writers.latex import LaTeXTranslator

    tex = node.astext()
    parts = [part for part in tex.split("\n\n") if part.strip()]
    if (
        node.get("nowrap")
        or node.get("label")
        or len(parts) != 1
        or top_level_line_break(tex)
    ):
        return LaTeXTranslator.visit_math_block(self, node)
    self.body.append("\n\\begin{equation*}\n" + tex.strip() + "\n\\end{equation*}\n")
    raise nodes.SkipNode


def use_display_math(app):
    renderers = app.registry.html_block_math_renderers
    if "mathjax" in renderers:
        visit, depart = renderers["mathjax"]
        renderers["mathjax"] = (display_math(visit), depart)


def _key(script):
    attributes = getattr(script, "attributes", {}) or {}
    filename = getattr(script, "filename", str(script)) or ""
    return filename, tuple(sorted((k, str(v)) for k, v in attributes.items()))


def unique_scripts(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, kept = set(), []
    for script in scripts:
        key = _key(script)
        if key not in seen:
            seen.add(key)
            kept.append(script)
    scripts[:] = kept


SEARCH_FIELD_LABEL = re.compile(
    r'(<button class="btn search-button-field[^"]*"[^>]*?) aria-label="Search"'
)
ICON_TITLE = re.compile(r'(<i class="theme-switch [^"]*"[^>]*?) title="[^"]*"')
FOLD_LABEL = re.compile(r'<summary aria-label="Toggle hidden content">')


def accessible_names(html):
    html = SEARCH_FIELD_LABEL.sub(r"\1", html)
    html = FOLD_LABEL.sub("<summary>", html)
    return ICON_TITLE.sub(r"\1", html)


def fix_accessible_names(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    for page in Path(app.outdir).rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        fixed = accessible_names(html)
        if fixed != html:
            page.write_text(fixed, encoding="utf-8")


def add_static(app):
    app.config.html_static_path.append(str(STATIC))


def setup(app):
    app.setup_extension("sphinx.ext.mathjax")
    app.connect("builder-inited", use_display_math)
    app.add_node(nodes.math_block, override=True, latex=(latex_display_math, None))
    app.connect("builder-inited", add_static)
    app.add_css_file("book.css")
    app.connect("build-finished", fix_accessible_names)
    app.connect("html-page-context", unique_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
