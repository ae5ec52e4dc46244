// Runs the site's search as a reader's browser does: the page's configuration, our worker
// (assets/javascripts/search-worker.js) and behind it Material's own lunr worker, all as built
// into the site. Usage:
//   node material-search.cjs <site dir>  < queries.json  > results.json
// queries.json: ["query", ...]; output: [[location of each result group, best first], ...]
"use strict";
const fs = require("fs");
const path = require("path");
const vm = require("vm");

const site = process.argv[2];
const ORIGIN = "http://127.0.0.1";
const page = fs.readFileSync(path.join(site, "index.html"), "utf8");
const config = JSON.parse(page.match(/<script id="__config" type="application\/json">(.*?)<\/script>/s)[1]);
// The page swaps Material's worker for ours, passing Material's along; do what its script does.
const ours = page.match(/new URL\("([^"]*search-worker\.js)", document\.baseURI\)/);
if (!ours) throw new Error("the page does not route search through search-worker.js");
const material = new URL(config.search, ORIGIN + "/").href;
const workerUrl = new URL(ours[1], ORIGIN + "/").href + "?worker=" + encodeURIComponent(material);


let handler = null;
const replies = [];
const sandbox = {
  console: { warn() {}, log() {}, error() {} },
  location: { href: workerUrl },
  addEventListener: (type, fn) => { if (type === "message") handler = fn; },
  postMessage: (message) => replies.push(message),
  importScripts: (...urls) => {
    for (const url of urls) {
      const parsed = new URL(url);
      if (parsed.origin !== ORIGIN) throw new Error(`importScripts from another host: ${url}`);
      vm.runInContext(fs.readFileSync(path.join(site, decodeURIComponent(parsed.pathname)), "utf8"), sandbox);
    }
  },
  URL, setTimeout, clearTimeout, Promise,
};
sandbox.self = sandbox;
vm.createContext(sandbox);
sandbox.importScripts(workerUrl.split("?")[0]);

async function send(message) {
  const before = replies.length;
  await handler({ data: message });
  while (replies.length === before) await new Promise((r) => setImmediate(r));
  return replies[replies.length - 1];
}

if (process.argv[3] === "--load-check") {
  // The worker loaded without an error; is lunr (Material's engine) behind it?
  const listening = handler !== null || typeof sandbox.onmessage === "function";
  process.stdout.write(JSON.stringify({ lunr: typeof sandbox.self.lunr, listening }));
  process.exit(0);
}

if (process.argv[3] === "--guard-check") {
  // The token-set guard: a word the index doesn't have is dropped from an expansion.
  const lunr = sandbox.self.lunr;
  const set = lunr.TokenSet.fromArray(["publish", "publisher"]);
  set.indexWords.delete("publisher"); // as if minimisation had produced a word not in the index
  const expanded = set.intersect(lunr.TokenSet.fromString("publish*")).toArray();
  process.stdout.write(JSON.stringify(expanded.sort()));
  process.exit(0);
}

const index = JSON.parse(fs.readFileSync(path.join(site, "search", "search_index.json"), "utf8"));
const queries = JSON.parse(fs.readFileSync(0, "utf8"));

(async () => {
  // Material's message types: 0 = set up the index, 2 = a query (answered by 3).
  const options = { suggest: config.features.includes("search.suggest") };
  await send({ type: 0, data: { config: index.config, docs: index.docs, options } });
  const out = [];
  for (const query of queries) {
    const reply = await send({ type: 2, data: query });
    out.push(reply.data.items.map((group) => group[0].location));
  }
  process.stdout.write(JSON.stringify(out));
})().catch((error) => { console.error(error); process.exit(1); });
