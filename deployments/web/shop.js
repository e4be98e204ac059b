// The shopper page: search with filters, the assistant streamed token by token, and "recommended for you",
// which follows what the shopper views, clicks, adds to cart and asks about (the page sends those events).
import {api, el, errorBox, price, replace, serverSentEvents} from "./common.js";

const $ = (id) => document.getElementById(id);
const state = {shopper: null, messages: [], contextProduct: null, recsAsked: 0};

function newId(prefix) {
  const random = window.crypto && crypto.randomUUID ? crypto.randomUUID()
    : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  return `${prefix}-${random}`;
}

async function sendEvents(events) {
  const batch = events.map((e) => ({event_id: newId("web"), user_id: state.shopper, ...e}));
  await api("/v1/events", {method: "POST", body: {events: batch}});
}

// ---- product cards -------------------------------------------------------------------------------------
function stars(rating) {
  return rating === null || rating === undefined ? "no rating" : `rated ${Number(rating).toFixed(1)} of 5`;
}

function stock(inStock) {
  if (inStock === null || inStock === undefined) return el("span", {class: "muted"}, "stock unknown");
  return inStock ? el("span", {class: "in-stock"}, "in stock") : el("span", {class: "out-of-stock"}, "out of stock");
}

function card(product, {reason, where} = {}) {
  const view = el("button", {type: "button", class: "link", "data-product": product.product_id,
    onclick: () => interact(product, ["view", "click"], where)}, product.title);
  const cart = el("button", {type: "button", class: "secondary",
    "aria-label": `Add ${product.title} to cart`, onclick: () => interact(product, ["add_to_cart"], where)}, "Add to cart");
  return el("li", {class: "card", "data-product": product.product_id},
    el("h3", {}, view),
    el("p", {class: "meta"}, [product.brand, product.category].filter(Boolean).join(" · ")),
    el("p", {}, el("strong", {}, price(product.price)), " · ", stars(product.rating), " · ", stock(product.in_stock)),
    reason ? el("p", {class: "reason"}, reason) : null,
    cart);
}

async function interact(product, types, where) {
  state.contextProduct = product.product_id;
  const status = $("recs-status");
  try {
    await sendEvents(types.map((type) => ({type, product_id: product.product_id})));
    status.textContent = `${types.join(" + ")} of “${product.title}” recorded${where ? ` (from ${where})` : ""}.`;
  } catch (error) {
    replace(status, errorBox(error));
    return;
  }
  await loadRecommendations();
}

// ---- search -------------------------------------------------------------------------------------------
async function search(event) {
  event.preventDefault();
  const query = $("query").value.trim();
  if (!query) return;
  const filters = {};
  if ($("category").value) filters.category = $("category").value;
  if ($("price-max").value !== "") filters.price_max = Number($("price-max").value);
  if ($("in-stock").checked) filters.in_stock = true;
  const body = {query, top_k: 12, ...(Object.keys(filters).length ? {filters} : {}),
                ...(state.shopper ? {user_id: state.shopper} : {})};
  const status = $("search-status");
  status.textContent = "Searching…";
  replace($("results"));
  try {
    const answer = await api("/v1/search", {method: "POST", body});
    const took = Math.round(answer.timings_ms.total_ms);
    const degraded = answer.degraded.length ? ` (served without: ${answer.degraded.join("; ")})` : "";
    status.textContent = answer.results.length
      ? `${answer.results.length} results in ${took} ms${degraded}.`
      : `No products match “${query}” with these filters.`;
    replace($("results"), answer.results.map((p) => card(p, {where: "search"})));
    sendEvents([{type: "search", text: query}]).catch(() => {});  // a lost search event does not break the page
  } catch (error) {
    replace(status, errorBox(error));
  }
}

// ---- recommendations ----------------------------------------------------------------------------------
async function loadRecommendations() {
  const status = $("recs-status");
  const [shopper, context, asked] = [state.shopper, state.contextProduct, ++state.recsAsked];
  const body = {top_k: 6, ...(shopper ? {user_id: shopper} : {}), ...(context ? {context: {product_id: context}} : {})};
  try {
    const answer = await api("/v1/recommend", {method: "POST", body});
    if (asked !== state.recsAsked) return;  // a later request (another shopper, a newer click) decides the strip
    const strip = $("recommendations");
    replace(strip, answer.results.map((p) => card(p, {reason: p.reason, where: "recommendations"})));
    Object.assign(strip.dataset, {shopper: shopper || "", context: context || "", asked: String(asked)});
    if (!answer.shopper.known) status.textContent ||= "New shopper: trending and context picks until you browse.";
  } catch (error) {
    if (asked === state.recsAsked) replace(status, errorBox(error));
  }
}

// ---- the assistant ------------------------------------------------------------------------------------
function bubble(role, ...children) {
  const item = el("li", {class: `turn ${role}`}, el("span", {class: "who"}, role === "user" ? "You" : "Assistant"), ...children);
  $("conversation").append(item);
  item.scrollIntoView({block: "nearest"});
  return item;
}

async function ask(text) {
  if (!text.trim()) return;
  state.messages.push({role: "user", content: text});
  bubble("user", el("p", {}, text));
  const answer = el("p", {class: "answer", "aria-busy": "true"});
  const turn = bubble("assistant", answer);
  $("send").disabled = true;
  let content = "";
  try {
    const response = await api("/v1/chat/completions", {method: "POST", stream: true, body: {
      messages: state.messages, stream: true, ...(state.shopper ? {user: state.shopper} : {}),
      ...(state.contextProduct ? {context: {product_id: state.contextProduct}} : {})}});
    for await (const chunk of serverSentEvents(response)) {
      const delta = chunk.choices[0].delta.content;
      if (delta) {
        content += delta;
        answer.textContent = content;  // token by token, as text
      }
      if (chunk.retail) showExtras(turn, chunk.retail);
    }
    state.messages.push({role: "assistant", content});
  } catch (error) {
    turn.append(errorBox(error));
    state.messages.pop();  // not answered: the shopper may send it again
  } finally {
    answer.removeAttribute("aria-busy");
    $("send").disabled = false;
  }
  loadRecommendations();  // what was asked about shapes what is recommended next
}

function showExtras(turn, retail) {
  if (retail.fallback) {
    turn.append(el("p", {class: "notice fallback", role: "status"},
      `Fallback answer: the assistant model was not used (${retail.fallback}). The facts below come from the catalog and policies.`));
  }
  if (retail.handoff) {
    turn.append(el("p", {class: "notice handoff", role: "status"},
      "Talk to a person: the assistant handed this over to customer service."));
  }
  if (retail.products.length) {
    turn.append(el("ul", {class: "cards small", "aria-label": "Products in this answer"},
      retail.products.map((p) => card(p, {where: "assistant"}))));
  }
  if (retail.follow_up) {
    turn.append(el("p", {class: "follow-up"}, el("button", {type: "button", class: "suggestion",
      onclick: () => ask(retail.follow_up)}, retail.follow_up)));
  }
}

// ---- shopper picker -----------------------------------------------------------------------------------
function chooseShopper(id, note) {
  state.shopper = id;
  state.messages = [];
  state.contextProduct = null;
  replace($("conversation"));
  $("shopper-note").textContent = note;
  $("recs-status").textContent = "";
  loadRecommendations();
}

async function start() {
  $("search-form").addEventListener("submit", search);
  $("chat-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const text = $("message").value;
    $("message").value = "";
    ask(text);
  });
  $("message").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      $("chat-form").requestSubmit();
    }
  });
  $("restart").addEventListener("click", () => { state.messages = []; replace($("conversation")); });
  $("new-shopper").addEventListener("click", () => {
    const id = newId("new");
    const option = el("option", {value: id}, `${id.slice(0, 12)}… (new, no history)`);
    $("shopper").append(option);
    $("shopper").value = id;
    chooseShopper(id, "A new shopper: no history yet.");
  });
  $("shopper").addEventListener("change", () => chooseShopper($("shopper").value, ""));
  try {
    const config = await api("/ui/config");
    replace($("shopper"), config.shoppers.map((s) => el("option", {value: s}, s)));
    $("category").append(...config.categories.map((c) => el("option", {value: c}, c)));
    chooseShopper(config.shoppers[0] || newId("new"), "A demo shopper with a history.");
  } catch (error) {
    replace($("shopper-note"), errorBox(error));
  }
}

start();
