// The book's maths typeset once, when the book is built (MathJax 3 in Node, SVG output), so a
// reader's browser downloads and runs no MathJax at all. tools/static_math.py calls it:
//
//   node tools/typeset_math.js MATHJAX_ES5_FOLDER < pages.json > typeset.json
//
// pages.json: one list per page of [tex, display] pairs. typeset.json: {"css": the stylesheet
// every page with maths needs, "pages": [{"math": [html, ...], "glyphs": "<svg ...>"}, ...]}:
// each page's expressions in order, and the glyph shapes they draw (one hidden SVG per page,
// which the expressions reference). TeX that MathJax cannot read exits 1 and names it.
"use strict";

const fs = require("fs");
const path = require("path");

const [mathjaxFolder] = process.argv.slice(2);
const pages = JSON.parse(fs.readFileSync(0, "utf8"));

require(path.resolve(mathjaxFolder, "node-main.js"))
  .init({
    loader: {
      load: ["input/tex-base", "[tex]/ams", "output/svg", "a11y/assistive-mml", "adaptors/liteDOM"],
      versionWarnings: false,
    },
    // No "noundefined": an unknown macro is an error that stops the build, not red text.
    tex: { packages: { "[+]": ["ams"] } },
    svg: { fontCache: "global" },
    startup: { typeset: false },
  })
  .then((MathJax) => {
    const adaptor = MathJax.startup.adaptor;
    const fontCache = MathJax.startup.output.fontCache;
    const errors = [];
    const typeset = pages.map((expressions) => {
      fontCache.clearCache();
      const math = expressions.map(([tex, display]) => {
        const html = adaptor.outerHTML(MathJax.tex2svg(tex, { display }));
        if (html.includes('data-mml-node="merror"')) errors.push(tex);
        return html;
      });
      const glyphs =
        '<svg id="MJX-SVG-global-cache" style="display: none;" aria-hidden="true" ' +
        `xmlns="http://www.w3.org/2000/svg">${adaptor.outerHTML(fontCache.getCache())}</svg>`;
      return { math, glyphs };
    });
    if (errors.length) {
      console.error(`MathJax cannot read this TeX (fix it in the page's source):\n  ${errors.join("\n  ")}`);
      process.exit(1);
    }
    const css = adaptor.textContent(MathJax.svgStylesheet());
    process.stdout.write(JSON.stringify({ css, pages: typeset }));
  })
  .catch((error) => {
    console.error(`MathJax failed: ${error.stack || error}`);
    process.exit(1);
  });
