// Small helpers the Check page's port shares: filling a text template of check.json (Python's
// str.format with named fields), Python's str() and truthiness for the values a YAML file holds,
// so that the JavaScript says exactly what src/tpsite/check/ says.

/** A template's `{name}` fields filled in (check.json's texts hold no literal braces). */
export function fill(template, fields) {
  return template.replace(/\{(\w+)\}/g, (_, name) => pyStr(fields[name]));
}

/** Python's str() of a value read from YAML or TOML (None, True, lists and dicts as Python prints them). */
export function pyStr(value) {
  if (value === null || value === undefined) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  return pyRepr(value);
}

function pyRepr(value) {
  if (value === null || value === undefined) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  if (typeof value === "number") return String(value);
  if (typeof value === "string") return value.includes("'") && !value.includes('"') ? `"${value}"` : `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(", ")}]`;
  return `{${Object.entries(value).map(([k, v]) => `${pyRepr(k)}: ${pyRepr(v)}`).join(", ")}}`;
}

/** Python's truthiness: None, False, 0, "", [] and {} are false. */
export function falsy(value) {
  if (value === null || value === undefined || value === false || value === 0 || value === "") return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === "object") return Object.keys(value).length === 0;
  return false;
}

/** Python's `a or b`. */
export function or(a, b) {
  return falsy(a) ? b : a;
}

export const isMap = (x) => x !== null && typeof x === "object" && !Array.isArray(x);

/** `x.get(k)` of a mapping (undefined for a missing key or a non-mapping). */
export function get(x, k) {
  return isMap(x) && Object.prototype.hasOwnProperty.call(x, k) ? x[k] : undefined;
}

export const has = (x, k) => isMap(x) && Object.prototype.hasOwnProperty.call(x, k);
