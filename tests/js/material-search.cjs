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


// A dedicated worker's global scope, as far as the workers use it: message listeners and
// `onmessage` (Zensical's worker sets that), dispatchEvent, and importScripts from this site only.
const listeners = [];
const replies = [];
function deliver(event) {
  for (const listener of [...listeners]) listener(event); // those added meanwhile wait for the next
  if (typeof sandbox.onmessage === "function") sandbox.onmessage(event);
}
const sandbox = {
  console: { warn() {}, log() {}, error() {} },
  location: { href: workerUrl },
  addEventListener: (type, fn) => { if (type === "message") listeners.push(fn); },
  removeEventListener: (type, fn) => { if (type === "message" && listeners.includes(fn)) listeners.splice(listeners.indexOf(fn), 1); },
  dispatchEvent: (event) => { if (event.type === "message") deliver(event); return true; },
  MessageEvent: class { constructor(type, init) { this.type = type; this.data = init && init.data; } },
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

async function send(message, patience = Infinity) {
  const before = replies.length;
  const started = Date.now();
  deliver({ type: "message", data: message });
  while (replies.length === before && Date.now() - started < patience) await new Promise((r) => setImmediate(r));
  return replies[replies.length - 1];
}

const indexFile = path.join(site, "search", "search_index.json");
const index = fs.existsSync(indexFile) ? JSON.parse(fs.readFileSync(indexFile, "utf8")) : { config: {}, docs: [] };
const options = { suggest: config.features.includes("search.suggest") };

async function main(mode) {
  if (mode === "--load-check") {
    // The engine behind our worker is loaded with the first message (Material sends it once the
    // index has arrived), not before; then it listens. Is it lunr (Material's engine)?
    const before = typeof sandbox.self.lunr;
    await send({ type: 0, data: { config: index.config, docs: [], options } }, 5000);
    const listening = listeners.length > 0 || typeof sandbox.onmessage === "function";
    return { before, lunr: typeof sandbox.self.lunr, listening };
  }
  if (mode === "--guard-check") {
    // The token-set guard: a word the index doesn't have is dropped from an expansion.
    await send({ type: 0, data: { config: index.config, docs: index.docs.slice(0, 1), options } });
    const lunr = sandbox.self.lunr;
    const set = lunr.TokenSet.fromArray(["publish", "publisher"]);
    set.indexWords.delete("publisher"); // as if minimisation had produced a word not in the index
    return set.intersect(lunr.TokenSet.fromString("publish*")).toArray().sort();
  }
  // Material's message types: 0 = set up the index, 2 = a query (answered by 3).
  const queries = JSON.parse(fs.readFileSync(0, "utf8"));
  await send({ type: 0, data: { config: index.config, docs: index.docs, options } });
  const out = [];
  for (const query of queries) {
    const reply = await send({ type: 2, data: query });
    out.push(reply.data.items.map((group) => group[0].location));
  }
  return out;
}

main(process.argv[3]).then(
  // Exit once the output is written: a pipe takes it in 64 KB pieces.
  (result) => process.stdout.write(JSON.stringify(result), () => process.exit(0)),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
