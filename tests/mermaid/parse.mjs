// Parses each Mermaid file named on the command line with Mermaid's own parser and prints one
// JSON line per file:
//   {"file": ..., "ok": true, "type": "flowchart-v2", "labels": {"id": "label", ...},
//    "classes": {"id": ["inputs", "unmeasured"], ...}, "shapes": {"id": "odd", ...},
//    "subgraphs": [["_inputs", "Inputs", ["id", ...]], ...],
//    "edges": [["from", "to", "normal" | "dotted" | "invisible", "label", ["stroke:…"]], ...]}
// or {"file": ..., "ok": false, "error": ...}. Exits 1 if any file fails to parse.
//
// Labels are decoded the way Mermaid decodes them when it draws (entity codes such as `#34;`
// back to characters), so a test can check that every label survives exactly.
//
// Mermaid sanitises labels with DOMPurify, which needs a DOM: jsdom provides one, so this
// runs offline under plain node.
import { readFileSync } from 'node:fs';
import { JSDOM } from 'jsdom';

const dom = new JSDOM('<!doctype html><html><body></body></html>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import('mermaid');
mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });

// Mermaid keeps `#name;` and `#123;` codes as placeholders until it draws; undo them here.
const decode = (s) =>
  s
    .replace(/ﬂ°°(\d+)¶ß/g, (_, n) => String.fromCodePoint(Number(n)))
    .replace(/ﬂ°(\w+)¶ß/g, (_, name) => {
      const el = dom.window.document.createElement('textarea');
      el.innerHTML = `&${name};`;
      return el.value;
    });

let failed = 0;
for (const file of process.argv.slice(2)) {
  const text = readFileSync(file, 'utf8');
  try {
    const r = await mermaid.parse(text);
    const d = await mermaid.mermaidAPI.getDiagramFromText(text);
    const labels = {};
    const classes = {};
    const shapes = {};
    for (const [id, v] of d.db.getVertices()) {
      labels[id] = decode(v.text);
      classes[id] = v.classes;
      shapes[id] = v.type;
    }
    const subgraphs = d.db.getSubGraphs().map((s) => [s.id, decode(s.title), s.nodes]);
    const edges = d.db
      .getEdges()
      .map((e) => [e.start, e.end, e.stroke, decode(e.text || ''), e.style || []]);
    console.log(
      JSON.stringify({ file, ok: true, type: r.diagramType, labels, classes, shapes, subgraphs, edges }),
    );
  } catch (e) {
    failed += 1;
    console.log(JSON.stringify({ file, ok: false, error: String(e.message || e) }));
  }
}
process.exit(failed ? 1 : 0);
