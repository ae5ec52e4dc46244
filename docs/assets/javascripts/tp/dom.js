// DOM helpers for the tools' pages. Text goes in with textContent only: nothing from a paste or
// an input is ever parsed as HTML.

/** An element: h("a", {href, className, ...attrs}, child, "text", [children]). */
export function h(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "className") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("on") && typeof value === "function") node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(node, child);
    else if (child instanceof Node) node.appendChild(child);
    else node.appendChild(document.createTextNode(String(child)));
  }
}

/** The site's root URL, from where this module is served (assets/javascripts/tp/). */
export const SITE_ROOT = new URL("../../../", import.meta.url);

export function siteUrl(path) {
  return new URL(path, SITE_ROOT).href;
}

export function errorUrl(slug, anchor) {
  return new URL(`errors/${encodeURIComponent(slug)}/${anchor ? "#" + encodeURIComponent(anchor) : ""}`, SITE_ROOT).href;
}

const loaded = new Map();

/** A data file the model exports (assets/data/<name>.json), fetched once per page load. */
export function data(name) {
  if (!loaded.has(name)) {
    loaded.set(
      name,
      fetch(siteUrl(`assets/data/${name}.json`)).then((response) => {
        if (!response.ok) throw new Error(`${name}.json: HTTP ${response.status}`);
        return response.json();
      }),
    );
  }
  return loaded.get(name);
}

/**
 * Start a tool once per page view: find its form (id `rootId`), remove the "needs JavaScript"
 * note, enable the controls, run `start(root)` (which may wait for data and disable what does not
 * apply), then mark the form ready (`data-ready`, what the tests wait for). Instant navigation
 * brings the form back without reloading this module, hence the marks. A failure is shown in the
 * form, not thrown.
 */
export function mountTool(rootId, start) {
  onEveryPage(async () => {
    const root = document.getElementById(rootId);
    if (!root || root.dataset.mounting) return;
    root.dataset.mounting = "1";
    root.querySelector("#tp-js-missing")?.remove();
    for (const node of root.querySelectorAll("[disabled]")) node.disabled = false;
    try {
      await start(root);
    } catch (error) {
      root.prepend(h("p", { className: "tp-error", role: "alert", text: `This tool could not start: ${error && error.message ? error.message : error}. Reload the page to try again.` }));
      return;
    }
    root.dataset.ready = "1";
  });
}

/** A button that copies `value` (a string or a function returning one) to the clipboard. */
export function copyButton(value, label) {
  const button = h("button", { type: "button", className: "tp-copy md-button", "aria-label": label, title: label, text: "Copy" });
  button.addEventListener("click", async () => {
    const text = typeof value === "function" ? value() : value;
    try {
      await navigator.clipboard.writeText(text);
      button.textContent = "Copied";
    } catch {
      button.textContent = "Select and copy by hand";
    }
    setTimeout(() => (button.textContent = "Copy"), 2000);
  });
  return button;
}

/** Run `init` on every page Material shows (instant navigation reuses the loaded module). */
export function onEveryPage(init) {
  const run = () => {
    try {
      init();
    } catch (error) {
      console.error(error);
    }
  };
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(run);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", run);
  else run();
}
