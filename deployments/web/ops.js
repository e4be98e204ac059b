// The operator page: what serves, the canary split and the judge's decisions, rollout actions (admin token,
// kept in this module's memory only: never in storage, a cookie or the URL), and review insight.
import {api, el, errorBox, replace, when} from "./common.js";

const $ = (id) => document.getElementById(id);
const SVG = "http://www.w3.org/2000/svg";
const REFRESH_MS = 5000;
let token = null;  // the admin token: memory only
let selectedModel = null;

// ---- models -------------------------------------------------------------------------------------------
function scalarDetails(info) {
  return Object.entries(info || {})
    .filter(([k, v]) => k !== "version" && v !== null && typeof v !== "object")
    .map(([k, v]) => `${k}: ${v}`).join(" · ");
}

async function loadModels() {
  try {
    const {models} = await api("/v1/models");
    replace($("models"),
      el("thead", {}, el("tr", {}, el("th", {scope: "col"}, "Stage"), el("th", {scope: "col"}, "Version"),
        el("th", {scope: "col"}, "Details"))),
      el("tbody", {}, Object.entries(models).map(([name, info]) => el("tr", {},
        el("th", {scope: "row"}, name), el("td", {}, (info && (info.version || info.model || info.llm || info.insights_version)) || "none"),
        el("td", {class: "details"}, scalarDetails(info))))));
    $("models-status").textContent = `Updated ${new Date().toLocaleTimeString()}.`;
  } catch (error) {
    replace($("models-status"), errorBox(error));
  }
}

// ---- rollout ------------------------------------------------------------------------------------------
const pct = (x) => (x === null || x === undefined ? "–" : `${(100 * x).toFixed(1)} %`);
const ms = (x) => (x === null || x === undefined ? "–" : `${x} ms`);

function armRow(arm, w) {
  const fallback = w.requests ? w.degraded / w.requests : null;
  const errors = w.requests ? w.errors / w.requests : null;
  return el("tr", {}, el("th", {scope: "row"}, arm), el("td", {}, w.requests), el("td", {}, `${w.errors} (${pct(errors)})`),
    el("td", {}, ms(w.p50_ms)), el("td", {}, ms(w.p99_ms)), el("td", {}, pct(fallback)),
    el("td", {}, w.click_through === undefined ? "–" : pct(w.click_through)));
}

function rolloutCard(name, m) {
  const r = m.routing;
  const status = m.rollout.status || "idle";
  const split = r.canary ? `stable ${r.stable} ${100 - r.canary_percent} % · canary ${r.canary} ${r.canary_percent} %`
    : `stable ${r.stable || "none"} 100 %`;
  const decisions = m.decisions.slice().reverse().map((d) => el("li", {},
    `${when(d.at)} ${d.percent} %: ${d.verdict} → ${d.action}${d.reasons && d.reasons.length ? ` (${d.reasons.join("; ")})` : ""}`));
  return el("article", {class: "rollout-card", "data-model": name},
    el("h3", {}, name, " ", el("span", {class: `status ${status}`}, status)),
    el("p", {class: "split"}, split, r.shadow ? ` · shadow ${r.shadow}` : ""),
    m.rollout.rollback_reason ? el("p", {class: "muted"}, `Last rollback: ${m.rollout.rollback_reason}`) : null,
    el("table", {"aria-label": `${name}: arms since the step began`},
      el("thead", {}, el("tr", {}, ["Arm", "Requests", "Errors", "P50", "P99", "Fallback", "Click-through"]
        .map((h) => el("th", {scope: "col"}, h)))),
      el("tbody", {}, armRow("canary", m.window.canary), armRow("control", m.window.control))),
    decisions.length ? el("details", {}, el("summary", {}, "Judge's last decisions"), el("ol", {}, decisions)) : null);
}

async function loadRollout() {
  try {
    const status = await api("/v1/rollout");
    const names = Object.keys(status.models);
    replace($("rollout"), names.map((n) => rolloutCard(n, status.models[n])));
    const select = $("action-model");
    if (select.options.length !== names.length) {
      replace(select, names.map((n) => el("option", {value: n}, n)));
      select.value = selectedModel || names.find((n) => n === "reranker") || names[0];
    }
    selectedModel = select.value;
    $("rollout-status").textContent = `Judged every ${status.interval_s} s; default steps ${status.steps.join(" → ")} %.`;
  } catch (error) {
    replace($("rollout-status"), errorBox(error));
  }
}

// The canary's share over time (a step line) with the judge's decisions as dots (red: fail, green: pass).
function chart(history, decisions) {
  const points = history.map((h) => ({at: h.at, percent: h.after.canary ? h.after.canary_percent : 0}))
    .sort((a, b) => a.at - b.at);
  const times = points.map((p) => p.at).concat(decisions.map((d) => d.at));
  if (!times.length) return el("p", {class: "muted"}, "No routing changes yet.");
  const [w, h, pad] = [640, 160, 30];
  const t0 = Math.min(...times), t1 = Math.max(...times, t0 + 1, Date.now() / 1000);
  const x = (t) => pad + ((t - t0) / (t1 - t0)) * (w - 2 * pad);
  const y = (p) => h - pad - (p / 100) * (h - 2 * pad);
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", `0 0 ${w} ${h}`);
  svg.setAttribute("class", "chart");
  const add = (tag, attrs) => {
    const node = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    svg.append(node);
    return node;
  };
  add("line", {x1: pad, y1: y(0), x2: w - pad, y2: y(0), class: "axis"});
  add("line", {x1: pad, y1: y(100), x2: w - pad, y2: y(100), class: "grid"});
  add("text", {x: 2, y: y(100) + 4, class: "label"}).textContent = "100%";
  add("text", {x: 10, y: y(0) + 4, class: "label"}).textContent = "0%";
  let path = `M ${x(t0)} ${y(0)}`, last = 0;
  for (const p of points) {
    path += ` L ${x(p.at)} ${y(last)} L ${x(p.at)} ${y(p.percent)}`;
    last = p.percent;
  }
  path += ` L ${x(t1)} ${y(last)}`;
  add("path", {d: path, class: "split-line"});
  for (const d of decisions) {
    add("circle", {cx: x(d.at), cy: y(d.percent || 0), r: 3, class: `decision ${d.verdict}`})
      .append(Object.assign(document.createElementNS(SVG, "title"), {textContent: `${d.verdict}: ${d.action}`}));
  }
  return svg;
}

async function loadHistory() {
  if (!token || !selectedModel) return;
  try {
    const {routing_history: history, decisions} = await api(`/admin/rollout/${selectedModel}/history?limit=200`, {token});
    replace($("history-chart"), chart(history, decisions));
    replace($("history"), history.slice(-10).reverse().map((h) => el("li", {},
      `${when(h.at)} ${h.actor}: ${h.reason || "no reason given"} (stable ${h.after.stable}, canary ${h.after.canary || "none"} ${h.after.canary_percent} %)`)));
    $("history-status").textContent = `${selectedModel}: ${history.length} routing changes, ${decisions.length} decisions.`;
  } catch (error) {
    replace($("history-status"), errorBox(error));
  }
}

async function act(action) {
  const model = $("action-model").value;
  const version = $("action-version").value.trim();
  const reason = $("action-reason").value.trim() || `${action} from the operator page`;
  const body = {reason};
  if (action === "canary" || action === "promote") {
    if (version) body.version = version;
  } else if (action === "shadow") {
    body.version = version || null;
  }
  const result = $("action-result");
  result.textContent = `${action} ${model}…`;
  try {
    const answer = await api(`/admin/rollout/${model}/${action}`, {method: "POST", body, token});
    replace(result, el("span", {class: "ok"}, `${action} ${model}: done (stable ${answer.routing ? answer.routing.stable : "?"}).`));
  } catch (error) {
    replace(result, errorBox(error));
  }
  await Promise.all([loadRollout(), loadHistory()]);
}

// ---- review insight -----------------------------------------------------------------------------------
async function showReviews(productId, aspect) {
  try {
    const query = new URLSearchParams({limit: "10", ...(aspect ? {aspect, polarity: "negative"} : {})});
    const answer = await api(`/v1/insights/products/${encodeURIComponent(productId)}/reviews?${query}`);
    $("reviews-title").textContent = `Reviews of ${productId}${aspect ? ` complaining about ${aspect}` : ""}`;
    replace($("reviews"), answer.reviews.length ? answer.reviews.map((r) => el("li", {"data-review": r.review_id},
      el("strong", {}, `${r.rating ?? "–"}★ ${r.sentiment}`), ` ${when(r.timestamp)} `, el("q", {}, r.text),
      r.aspects.length ? el("span", {class: "muted"}, ` (${r.aspects.map((a) => `${a.aspect} ${a.polarity}`).join(", ")})`) : null))
      : el("li", {class: "muted"}, "No analysed reviews."));
  } catch (error) {
    replace($("reviews"), errorBox(error));
  }
}

function reviewsLink(productId, aspect, label) {
  return el("button", {type: "button", class: "link", onclick: () => showReviews(productId, aspect)}, label);
}

async function loadInsight() {
  try {
    const [alerts, aspects, topics] = await Promise.all(
      [api("/v1/insights/alerts?limit=20"), api("/v1/insights/aspects"), api("/v1/insights/topics")]);
    replace($("alerts"), alerts.alerts.length ? alerts.alerts.map((a) => el("li", {},
      reviewsLink(a.product_id, a.aspect, `${a.title || a.product_id}: ${a.aspect}`),
      ` ${a.complaints_recent} of ${a.reviews_recent} recent reviews complain (was ${pct(a.negative_share_before)}), p = ${a.p_value}`))
      : el("li", {class: "muted"}, "No product is flagged."));
    replace($("aspects"),
      el("thead", {}, el("tr", {}, ["Aspect", "Complaints", "Negative share", "Worst products"].map((h) => el("th", {scope: "col"}, h)))),
      el("tbody", {}, aspects.aspects.map((a) => el("tr", {}, el("th", {scope: "row"}, a.aspect),
        el("td", {}, a.negative), el("td", {}, pct(a.negative_share)),
        el("td", {}, a.top_products.map((p, i) => [i ? ", " : "", reviewsLink(p.product_id, a.aspect, `${p.title || p.product_id} (${p.negative})`)]))))));
    replace($("topics"),
      el("thead", {}, el("tr", {}, ["Topic", "Reviews", "Negative share", "Weekly reviews (oldest → newest)"].map((h) => el("th", {scope: "col"}, h)))),
      el("tbody", {}, topics.topics.slice(0, 10).map((t) => el("tr", {}, el("th", {scope: "row"}, t.label || (t.words || []).join(", ")),
        el("td", {}, t.reviews), el("td", {}, pct(t.negative_share)), el("td", {class: "spark"}, (t.weekly_reviews || []).join(" · "))))));
    const outliers = topics.outlier_share === null || topics.outlier_share === undefined ? "" : `; outliers ${pct(topics.outlier_share)}`;
    $("insight-status").textContent = `${aspects.reviews} reviews analysed${outliers}.`;
  } catch (error) {
    replace($("insight-status"), errorBox(error));
  }
}

// ---- start --------------------------------------------------------------------------------------------
function start() {
  $("token-form").addEventListener("submit", (event) => {
    event.preventDefault();
    token = $("token").value.trim() || null;
    $("token").value = "";  // not left in the field either
    $("token-note").textContent = token ? "Token held in this page's memory (gone when it closes)." : "No token: reading only.";
    loadHistory();
  });
  for (const button of document.querySelectorAll("#actions button[data-action]")) {
    button.addEventListener("click", () => act(button.dataset.action));
  }
  $("reviews-form").addEventListener("submit", (event) => {
    event.preventDefault();
    showReviews($("review-product").value.trim());
  });
  $("action-model").addEventListener("change", () => { selectedModel = $("action-model").value; loadHistory(); });
  loadModels();
  loadRollout().then(loadHistory);
  loadInsight();
  setInterval(() => { loadRollout(); loadModels(); loadHistory(); }, REFRESH_MS);
}

start();
