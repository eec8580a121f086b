// eval.mjs evaluates listen filters with the reference GROQ implementation (groq-js) for the
// differential tests of internal/groq. It reads one JSON object from standard input:
//   {"now": RFC 3339 time, "docs": [documents], "cases": [{"query": text, "filter": text, "params": {}}]}
// and prints one JSON array with, per case, {"ok": true, "ids": [_id of every selected document]}
// or {"ok": false, "error": message}. "query" is parsed to learn whether groq-js accepts it;
// "*[filter]" is evaluated over docs to learn which documents the filter selects.
import { parse, evaluate } from "groq-js";

async function run(input) {
  const now = new Date(input.now);
  const out = [];
  for (const c of input.cases) {
    const params = c.params || {};
    try {
      parse(c.query, { params });
      const tree = parse(`*[${c.filter}]`, { params });
      const result = await (await evaluate(tree, { dataset: input.docs, params, timestamp: now })).get();
      out.push({ ok: true, ids: result.map((d) => d._id) });
    } catch (err) {
      out.push({ ok: false, error: String(err && err.message ? err.message : err) });
    }
  }
  return out;
}

let text = "";
process.stdin.setEncoding("utf8");
for await (const chunk of process.stdin) text += chunk;
process.stdout.write(JSON.stringify(await run(JSON.parse(text))));
