// Renders TeX for the Sphinx build (docs/_ext/katex_math.py): one JSON
// request per line on stdin, {"tex": "...", "display": true|false}; one JSON
// reply per line on stdout, {"html": "..."} or {"error": "..."}.
"use strict";
const katex = require("katex");
const readline = require("readline");

const OPTIONS = {
  throwOnError: true, // a formula KaTeX cannot parse is an error, not red text
  strict: "error", // ... and so is LaTeX that KaTeX only tolerates
  output: "htmlAndMathml", // HTML to see, MathML for screen readers
  trust: false,
};

readline.createInterface({ input: process.stdin }).on("line", (line) => {
  const { tex, display } = JSON.parse(line);
  let reply;
  try {
    reply = { html: katex.renderToString(tex, { ...OPTIONS, displayMode: display }) };
  } catch (error) {
    reply = { error: String(error.message || error) };
  }
  process.stdout.write(JSON.stringify(reply) + "\n");
});
