// Measures one page of the HTML book as a reader sees it at the window's width. Returns counts
// and the offending items; publishing/tests/test_book.py asserts on them.
() => {
  const article = document.querySelector("article.bd-article") || document.querySelector("main");
  // the column the text is set in: the article's box without its padding
  const outer = article.getBoundingClientRect(), style = getComputedStyle(article);
  const column = {
    left: outer.left + parseFloat(style.paddingLeft),
    right: outer.right - parseFloat(style.paddingRight),
  };
  column.width = column.right - column.left;
  // The nearest ancestor (up to the article) that scrolls sideways and has something to scroll.
  const scroller = (el) => {
    for (let e = el.parentElement; e && e !== article; e = e.parentElement) {
      const overflow = getComputedStyle(e).overflowX;
      if ((overflow === "auto" || overflow === "scroll") && e.scrollWidth > e.clientWidth + 1) return e;
    }
    return null;
  };
  const label = (el) => (el.textContent || "").replace(/\s+/g, " ").trim().slice(0, 50);

  // Display math: clipped when part of it lies outside the column where no scrolling reaches
  // (a box that scrolls reaches its right side, never what sticks out to its left).
  const clipped = [], wideOutputs = [];
  let equations = 0;
  for (const container of article.querySelectorAll('mjx-container[display="true"]')) {
    equations++;
    const math = container.querySelector("mjx-math") || container;
    // where the glyphs are: a tagged equation's table can keep its box inside the column
    // while its content runs out of it on the left
    const glyphs = [...container.querySelectorAll("mjx-c, mjx-utext")].map((c) => c.getBoundingClientRect())
      .filter((r) => r.width > 0);
    const box = glyphs.length ? {
      left: Math.min(...glyphs.map((r) => r.left)), right: Math.max(...glyphs.map((r) => r.right)),
    } : math.getBoundingClientRect();
    box.width = box.right - box.left;
    const outside = box.left < column.left - 1 || box.right > column.right + 1;
    const scrolling = scroller(math);
    // a box that scrolls shows what lies in it and in the column: none of it if the box itself
    // sticks out of the column, where no scrolling brings it back
    const frame = scrolling && scrolling.getBoundingClientRect();
    const reached = scrolling && frame.left >= column.left - 1 && frame.right <= column.right + 1
      && box.left >= frame.left - scrolling.scrollLeft - 1;
    if (outside && !reached) clipped.push(`${Math.round(box.width)} px: ${label(container)}`);
    // A printout of a code cell fits the column, scrolling or not.
    const output = container.closest(".cell_output");
    if (output && box.width > output.getBoundingClientRect().width + 1)
      wideOutputs.push(`${Math.round(box.width)} px: ${label(container)}`);
  }

  // Figures: shown at less than 2/3 of their width; described by their alt text.
  const shrunk = [], undescribed = [];
  let figures = 0;
  for (const img of article.querySelectorAll("img")) {
    figures++;
    if (img.naturalWidth && img.clientWidth < (2 / 3) * img.naturalWidth)
      shrunk.push(`${img.naturalWidth} px shown at ${img.clientWidth} px: ${img.getAttribute("src")}`);
    const alt = (img.getAttribute("alt") || "").trim();
    if (alt.split(/\s+/).length < 12 || /\.(png|jpe?g|svg)\b/i.test(alt) || /^[0-9a-f]{16,}/i.test(alt))
      undescribed.push(`${img.getAttribute("src")}: ${JSON.stringify(alt)}`);
  }

  // Code and text blocks that need a sideways scrollbar.
  const blocks = [...article.querySelectorAll("pre")];
  const scrolled = blocks.filter((pre) => pre.scrollWidth > pre.clientWidth + 1)
    .map((pre) => (pre.textContent.split("\n").find((l) => l.length > 80) || label(pre)).slice(0, 100));

  return {
    column: Math.round(column.width), equations, clipped, wideOutputs, figures, shrunk,
    undescribed, blocks: blocks.length, scrolled,
  };
}
