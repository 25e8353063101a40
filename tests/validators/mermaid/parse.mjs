// Parses each Mermaid file named on the command line with Mermaid's own
// parser (mermaid.parse), as GitHub's renderer would before drawing it.
// Mermaid expects a browser; jsdom gives it the window and document it looks
// for. Prints "ok FILE" or "not ok FILE: the parser's message".
// Exit: 0 every file parsed, 1 one did not, 2 no file given.
import { readFileSync } from "node:fs";
import { JSDOM } from "jsdom";

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node parse.mjs FILE.mmd...");
  process.exit(2);
}
const dom = new JSDOM("<!doctype html><html><body></body></html>");
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import("mermaid");
mermaid.initialize({ startOnLoad: false });

let failed = 0;
for (const file of files) {
  try {
    const result = await mermaid.parse(readFileSync(file, "utf8"));
    // A flowchart must be read as one: mrp writes nothing else.
    if (!result || !String(result.diagramType).startsWith("flowchart"))
      throw new Error(`parsed as ${result && result.diagramType}, not a flowchart`);
    console.log(`ok ${file}`);
  } catch (e) {
    failed++;
    console.log(`not ok ${file}: ${String(e.message).split("\n").join(" ")}`);
  }
}
process.exit(failed ? 1 : 0);
