// The page's only way to the data: the public HTTP API, the key in a header.
// The key lives in this module's memory alone: never in localStorage, sessionStorage, a cookie
// or the URL, so no other page (or a later visitor of this one) can read it back.

let key = null;
const etags = new Map(); // round id -> ETag of the version the page last read
// path -> { tag, text }: bodies the page read, by version (ETag). Asked again with
// If-None-Match, the service answers 304 (after checking the round still exists) and the
// page reuses the text: a round, a plan and its map are downloaded once per version.
const bodies = new Map();
const KEEP_BODIES = 48; // a few rounds' worth (round, outlines, plans, maps, lists) …
const KEEP_CHARS = 64_000_000; // … bounded by size too: a province round is ≈ 28 MB of JSON
let keptChars = 0;

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

export function signIn(k) { key = k.trim(); }
export function signOut() { key = null; etags.clear(); bodies.clear(); keptChars = 0; }
export function signedIn() { return key !== null; }

function headers(extra = {}) {
  const h = { "X-API-Key": key || "", "Accept-Language": document.documentElement.lang, ...extra };
  return h;
}

async function problemOf(res) {
  const text = await res.text();
  try { return JSON.parse(text); } catch { return { title: res.statusText, detail: text }; }
}

export async function call(method, path, { json, form, ifMatch, accept } = {}) {
  const extra = {};
  let body;
  if (json !== undefined) { extra["Content-Type"] = "application/json"; body = JSON.stringify(json); }
  if (form !== undefined) body = form;
  if (ifMatch) extra["If-Match"] = ifMatch;
  if (accept) extra.Accept = accept;
  const res = await fetch(path, { method, headers: headers(extra), body, cache: "no-store" });
  if (!res.ok) throw new ApiError(res.status, await problemOf(res));
  return res;
}

function forget(path) {
  const old = bodies.get(path);
  if (old) { keptChars -= old.text.length; bodies.delete(path); }
}

// A GET whose answer is reused while its version (ETag) stands: text kept, parsed per use
// (callers may change what they get without touching the kept copy).
async function getKept(path) {
  const known = bodies.get(path);
  const extra = known ? { "If-None-Match": known.tag } : {};
  const res = await fetch(path, { method: "GET", headers: headers(extra), cache: "no-store" });
  if (res.status === 304 && known) {
    bodies.delete(path);
    bodies.set(path, known); // most recently used last
    return { res, body: JSON.parse(known.text) };
  }
  if (!res.ok) throw new ApiError(res.status, await problemOf(res));
  const text = await res.text();
  const tag = res.headers.get("ETag");
  forget(path);
  if (tag && text.length <= KEEP_CHARS) {
    bodies.set(path, { tag, text });
    keptChars += text.length;
    while (bodies.size > KEEP_BODIES || keptChars > KEEP_CHARS) forget(bodies.keys().next().value);
  }
  return { res, body: JSON.parse(text) };
}

export async function get(path) { return (await getKept(path)).body; }

// Writes that change a round carry the version the page last saw, so two planners editing the
// same round never overwrite each other silently (the service answers 412 on a stale version).
export function roundTag(roundId) { return etags.get(roundId); }
export function rememberTag(roundId, res) {
  const tag = res.headers.get("ETag");
  if (tag) etags.set(roundId, tag);
}

export async function getRound(roundId) {
  const { res, body } = await getKept(`/rounds/${encodeURIComponent(roundId)}`);
  rememberTag(roundId, res);
  return body;
}

export async function writeRound(method, path, roundId, options = {}) {
  const res = await call(method, path, { ...options, ifMatch: roundTag(roundId) });
  const body = await res.json();
  if (body && typeof body.version === "number") etags.set(roundId, `"${body.version}"`);
  return body;
}

// Server-sent events over fetch: EventSource cannot send the key header.
export async function events(path, onEvent, signal) {
  const res = await fetch(path, { headers: headers({ Accept: "text/event-stream" }), signal });
  if (!res.ok) throw new ApiError(res.status, await problemOf(res));
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let cut;
    while ((cut = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      let name = "message";
      const data = [];
      for (const line of block.split("\n")) {
        if (line.startsWith("event:")) name = line.slice(6).trim();
        else if (line.startsWith("data:")) data.push(line.slice(5).trim());
      }
      if (data.length) onEvent(name, JSON.parse(data.join("\n")));
    }
  }
}

// A download through the API (the key travels in the header, so a plain link cannot be used).
export async function download(path, filename) {
  const res = await call("GET", path);
  const blob = await res.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
