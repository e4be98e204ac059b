// Shared by the shopper and operator pages: DOM building that never parses markup, and API calls whose
// failures become readable messages.
//
// Everything shown from the catalog, reviews or the LLM goes through el()/text(): textContent, never
// innerHTML, so a product titled "<img src=x onerror=...>" is shown as those characters.

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") node.addEventListener(name.slice(2), value);
    else if (name === "class") node.className = value;
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function replace(container, ...children) {
  container.replaceChildren(...children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false));
}

export class ApiError extends Error {
  constructor(status, message, retryAfter) {
    super(message);
    this.status = status;
    this.retryAfter = retryAfter;
  }
}

// FastAPI's 422 detail is a list of {loc, msg}; ours are strings. Either way: one readable line.
function describe(status, body, retryAfter) {
  let detail = body && body.detail !== undefined ? body.detail : body;
  if (Array.isArray(detail)) {
    detail = detail.map((d) => `${(d.loc || []).filter((p) => p !== "body").join(".")}: ${d.msg}`).join("; ");
  } else if (detail && typeof detail === "object") {
    detail = JSON.stringify(detail);
  }
  const prefix = {401: "Not allowed", 404: "Not found", 422: "Invalid request", 429: "Too many requests",
                  503: "Busy or unavailable"}[status] || `Error ${status}`;
  const retry = retryAfter ? ` Retry in ${retryAfter} s.` : "";
  return `${prefix}: ${detail || "no detail"}.${retry}`;
}

export async function api(path, {method = "GET", body, token, stream = false} = {}) {
  const headers = {};
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (token) headers["Authorization"] = `Bearer ${token}`;
  let response;
  try {
    response = await fetch(path, {method, headers, body: body === undefined ? undefined : JSON.stringify(body)});
  } catch (exc) {
    throw new ApiError(0, `The server cannot be reached (${exc.message}).`);
  }
  if (!response.ok) {
    let parsed = null;
    try { parsed = await response.json(); } catch { parsed = null; }
    const retryAfter = response.headers.get("Retry-After");
    throw new ApiError(response.status, describe(response.status, parsed, retryAfter), retryAfter);
  }
  return stream ? response : response.json();
}

export function errorBox(error) {
  return el("p", {class: "error", role: "alert"}, error instanceof ApiError ? error.message : `Error: ${error.message}`);
}

export function price(value) {
  return value === null || value === undefined ? "price n/a" : `$${Number(value).toFixed(2)}`;
}

export function when(epochSeconds) {
  return epochSeconds ? new Date(epochSeconds * 1000).toISOString().replace("T", " ").slice(0, 19) : "";
}

// Server-sent events from a fetch response: yields each `data:` payload (parsed JSON; "[DONE]" ends it).
export async function* serverSentEvents(response) {
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffered = "";
  while (true) {
    const {value, done} = await reader.read();
    if (done) break;
    buffered += decoder.decode(value, {stream: true});
    let end;
    while ((end = buffered.indexOf("\n\n")) >= 0) {
      const block = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      const data = block.split("\n").filter((l) => l.startsWith("data:")).map((l) => l.slice(5).trim()).join("\n");
      if (!data) continue;
      if (data === "[DONE]") return;
      yield JSON.parse(data);
    }
  }
}
