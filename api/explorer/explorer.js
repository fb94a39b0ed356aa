// plangraph explorer: a read-only view of the graph through the HTTP API (the same answers on both engines).
// Every view is a URL (#/mandate/57-NQ%2FTW, #/plan/…, #/task/…, #/agency/…, #/search/…, #/text/<plan>/<line>). Text from documents
// is only ever set as text (never as HTML).
"use strict";

const PAGE = 25; // plans drawn per level before "more"
const view = document.getElementById("view");

function enc(id) { return encodeURIComponent(id).replace(/%2F/g, "/"); }
function link(kind, id) { return "#/" + kind + "/" + encodeURIComponent(id); }

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined) continue;
    if (k === "class") el.className = v; else if (k.startsWith("on")) el.addEventListener(k.slice(2), v); else el.setAttribute(k, v);
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child).normalize("NFC")));
  }
  return el;
}
const a = (href, text, attrs) => h("a", Object.assign({ href }, attrs || {}), text);

async function api(path) {
  const response = await fetch(path, { headers: { accept: "application/json" } });
  const body = await response.json();
  if (!response.ok) throw new Error(body.detail || response.statusText);
  return body;
}

function show(...nodes) { view.replaceChildren(...nodes); }
function table(columns, rows) {
  return h("table", {}, h("thead", {}, h("tr", {}, columns.map((c) => h("th", { scope: "col" }, c)))),
    h("tbody", {}, rows.map((r) => h("tr", {}, r.map((cell) => h("td", {}, cell))))));
}
const names = (owners) => (owners || []).map((o) => [a(link("agency", o.id), o.name), " "]);

// -- views ---------------------------------------------------------------------------------------------------

async function search(q) {
  document.getElementById("q").value = q;
  const page = await api("/search?limit=40&q=" + encodeURIComponent(q));
  const target = { legal: "mandate", plan: "plan", task: "task", agency: "agency" };
  show(h("h1", {}, `${page.total} results for “${q}”`),
    h("ul", { class: "results" }, page.items.map((item) => h("li", { "data-kind": item.kind },
      h("span", { class: "kind " + item.kind }, item.kind),
      a(link(target[item.kind], item.id), item.label || item.id), " ",
      h("span", { class: "sub" }, [item.text, item.context].filter(Boolean).join(" · "))))));
}

async function mandate(code) {
  const tree = await api("/mandates/" + enc(code) + "/cascade?tasks=false");
  const covering = api("/mandates/" + enc(code) + "/coverage"); // slower nationally: drawn when it comes
  const m = tree.mandate;
  const levels = Object.keys(tree.levels);
  const graph = h("div", { id: "graph", role: "img", "aria-label": "the cascade of " + m.id + " by level" });
  const lists = levels.map((level) => h("section", { "data-level": level },
    h("h2", {}, `${level}: ${tree.counts.plans_per_level[level] || 0} plan(s), ${tree.counts.tasks_per_level[level] || 0} task(s)`),
    table(["plan", "jurisdiction", "tasks", "why"], tree.levels[level].map((p) => [
      a(link("plan", p.plan_id), p.code || p.plan_id), p.jurisdiction, String(p.task_count),
      p.whole_plan ? "the plan names it" : "some tasks name it"]))));
  const coverageSection = h("section", { id: "coverage", "aria-busy": "true" }, h("p", {}, "Computing coverage …"));
  show(h("h1", {}, `${m.id} — ${m.kind || ""}`), h("p", { class: "sub" }, [m.issuer, m.title].filter(Boolean).join(": ")),
    h("p", { class: "counts" }, levels.map((l) => h("span", {}, `${l}: ${tree.counts.tasks_per_level[l] || 0} tasks`))),
    tree.instruments.length ? h("p", {}, "Implemented by ", tree.instruments.map((i) => [a(link("mandate", i.id), i.id), " "])) : null,
    graph, ...lists,
    h("h2", {}, "Where it arrives, and where it does not (coverage)"), coverageSection);
  drawCascade(graph, tree);
  covering.then((cover) => {
    const rows = (cover.coverage || []).map((c) => [c.level, c.reaches, String(c.lower_plans), String(c.tasks), String(c.reached),
      c.tasks ? Math.round((100 * c.reached) / c.tasks) + "%" : "—"]);
    const gaps = (cover.tasks || []).filter((t) => !t.derived); // tasks no lower plan carries (no DERIVES_FROM)
    coverageSection.replaceChildren(rows.length ? table(["level", "reaches", "lower plans", "tasks", "reached", "share"], rows)
      : h("p", {}, "No lower level loaded."), gaps.length ? gapList(gaps) : null);
  }, (error) => coverageSection.replaceChildren(h("p", { class: "error" }, error.message)))
    .finally(() => coverageSection.setAttribute("aria-busy", "false"));
}

// The tasks where the mandate does not arrive: PAGE at a time, in the order the API gives them.
function gapList(gaps) {
  const body = h("tbody", {});
  const section = h("section", { id: "gaps", "data-total": String(gaps.length) },
    h("h3", {}, `Not carried to a lower level: ${gaps.length} task(s)`),
    h("table", {}, h("thead", {}, h("tr", {}, ["plan", "level", "ref", "task", "lead"].map((c) => h("th", { scope: "col" }, c)))), body));
  const more = h("button", { class: "more", type: "button" }, "");
  const add = () => {
    const start = body.children.length;
    for (const t of gaps.slice(start, start + PAGE)) {
      body.append(h("tr", {}, [t.plan, t.level, a(link("task", t.task_id), t.ref), t.title, (t.leads || []).join(", ")].map((c) => h("td", {}, c))));
    }
    const left = gaps.length - body.children.length;
    more.textContent = `+${left} more`;
    if (!left) more.remove();
  };
  more.addEventListener("click", add);
  section.append(more);
  add();
  return section;
}

function drawCascade(container, tree) {
  const elements = [{ data: { id: "m", label: tree.mandate.id, kind: "mandate" } }];
  const shown = {};
  const addPlans = (level) => {
    const plans = tree.levels[level];
    const from = shown[level] || 0;
    const to = Math.min(plans.length, from + PAGE);
    const added = plans.slice(from, to).map((p) => [
      { data: { id: "p:" + p.plan_id, label: `${p.code || p.plan_id}\n${p.jurisdiction}\n${p.task_count} tasks`, kind: "plan", plan: p.plan_id } },
      { data: { id: "e:" + p.plan_id, source: "l:" + level, target: "p:" + p.plan_id } }]).flat();
    shown[level] = to;
    return added;
  };
  for (const level of Object.keys(tree.levels)) { // national → province → department → commune, left to right
    elements.push({ data: { id: "l:" + level, label: `${level}\n${tree.counts.plans_per_level[level] || 0} plans · ${tree.counts.tasks_per_level[level] || 0} tasks`, kind: "level" } });
    elements.push({ data: { id: "e:m" + level, source: "m", target: "l:" + level } });
    elements.push(...addPlans(level));
    if (tree.levels[level].length > shown[level]) {
      elements.push({ data: { id: "more:" + level, label: `+${tree.levels[level].length - shown[level]} more`, kind: "more", level } },
        { data: { id: "e:more:" + level, source: "l:" + level, target: "more:" + level } });
    }
  }
  const cy = cytoscape({
    container, elements,
    layout: cascadeLayout(tree),
    style: [
      { selector: "node", style: { label: "data(label)", "text-wrap": "wrap", "font-size": 12, "text-valign": "center", "text-halign": "center", width: "label", height: "label", padding: 6, shape: "round-rectangle", "background-color": "#dbe9ff", "border-width": 1, "border-color": "#0f62fe", color: "#1b1f24" } },
      { selector: 'node[kind = "mandate"]', style: { "background-color": "#8a3ffc", color: "#fff" } },
      { selector: 'node[kind = "level"]', style: { "background-color": "#0b3d62", color: "#fff" } },
      { selector: 'node[kind = "more"]', style: { "background-color": "#fff", "border-style": "dashed" } },
      { selector: "edge", style: { width: 1, "line-color": "#8c959f", "target-arrow-shape": "triangle", "target-arrow-color": "#8c959f", "curve-style": "bezier" } },
    ],
  });
  cy.on("tap", 'node[kind = "plan"]', (event) => { location.hash = link("plan", event.target.data("plan")); });
  cy.on("tap", 'node[kind = "more"]', (event) => { // expand: the next plans of that level
    const level = event.target.data("level");
    cy.add(addPlans(level));
    const left = tree.levels[level].length - shown[level];
    if (left > 0) event.target.data("label", `+${left} more`); else cy.remove(event.target);
    cy.layout(cascadeLayout(tree)).run();
  });
  container.dataset.nodes = String(cy.nodes().length);
  window.plangraphGraph = cy;
}

// The mandate on top, its levels below it in cascade order (national → … → commune), each level's plans below.
function cascadeLayout(tree) {
  const order = {};
  Object.keys(tree.levels).forEach((level, i) => {
    order["l:" + level] = i;
    tree.levels[level].forEach((p, j) => { order["p:" + p.plan_id] = i * 100000 + j; });
    order["more:" + level] = i * 100000 + 99999;
  });
  return { name: "breadthfirst", directed: true, roots: ["m"], spacingFactor: 1.05, animate: false, fit: true, padding: 20,
    depthSort: (x, y) => (order[x.id()] ?? 0) - (order[y.id()] ?? 0) };
}

async function plan(id) {
  const [p, tasks] = await Promise.all([api("/plans/" + enc(id)), api("/plans/" + enc(id) + "/tasks?limit=500")]);
  show(h("h1", {}, `${p.code || p.id} · ${p.jurisdiction || ""}`), h("p", { class: "sub" }, `${p.kind || ""}: ${p.title || ""}`),
    h("p", {}, `${p.level} · issued ${p.issued_on || "—"} by ${p.issuer || "—"} · ${p.tasks} tasks · ${p.source_file || ""}`),
    p.implements.length ? h("p", {}, "Implements ", p.implements.map((m) => [a(link("mandate", m.id), m.id), " "])) : null,
    table(["ref", "task", "lead", "support", "due", "status"], tasks.items.map((t) => [
      a(link("task", t.id), t.ref), t.title, (t.leads || []).join(", "), (t.supports || []).join(", "), t.due || "—",
      h("span", { class: "status-" + t.status }, t.status)])));
}

async function task(id) {
  const t = await api("/tasks/" + enc(id));
  const up = t.lineage.parent.map((x) => [a(link("task", x.id), `${x.plan_code} ${x.ref}`), ` ${x.title} (${x.level}, score ${x.score})`]);
  const down = t.lineage.child.map((x) => [a(link("task", x.id), `${x.plan_code} ${x.ref}`), ` ${x.title} (${x.level})`]);
  const pv = t.provenance;
  show(h("h1", {}, `${t.plan_code || t.plan_id} · ${t.ref}`), h("p", { class: "sub" }, t.title),
    table(["", ""], [
      ["plan", a(link("plan", t.plan_id), `${t.plan_code || t.plan_id} (${t.level}, ${t.jurisdiction})`)],
      ["lead (chủ trì)", names(t.owners.lead)], ["support (phối hợp)", names(t.owners.support)],
      ["deadline", t.due || "—"], ["status", h("span", { class: "status-" + t.status }, t.status)],
      ["implements", t.implements.map((m) => [a(link("mandate", m.id), m.id), " "])],
      ["derives from", up.length ? h("ul", {}, up.map((x) => h("li", {}, x))) : "—"],
      ["carried out by", down.length ? h("ul", {}, down.map((x) => h("li", {}, x))) : "—"],
    ]),
    h("h2", {}, `Source: ${pv.source_file}, line ${pv.source_line}${pv.source_page ? ", page " + pv.source_page : ""}${pv.ocr_confidence != null ? ", read by OCR (confidence " + Math.round(pv.ocr_confidence) + "%)" : ""}`),
    await sourceExcerpt(t.plan_id, pv));
}

// The lines a task was read from: its source line and the rows after it its source text spans.
function taskLines(pv) {
  const rows = (pv.source_text || "").split("\n").length;
  return { first: pv.source_line, last: pv.source_line + Math.max(rows, 1) - 1 };
}

function numbered(lines, hit, id) {
  const width = String(lines.length ? lines[lines.length - 1].line : 1).length;
  return h("div", { class: "source", id, "data-first": String(lines.length ? lines[0].line : 0) },
    lines.map((l) => h("span", { class: l.line >= hit.first && l.line <= hit.last ? "line hit" : "line", "data-line": String(l.line) },
      h("span", { class: "n", "aria-hidden": "true" }, String(l.line).padStart(width) + "  "), l.text || " ")));
}

async function sourceExcerpt(planId, pv) {
  const hit = taskLines(pv);
  try {
    const text = await api("/plans/" + enc(planId) + "/text?around=" + pv.source_line + "&context=8");
    return h("div", {}, numbered(text.lines, hit, "excerpt"),
      h("p", {}, a(link("text", planId) + "/" + pv.source_line, `The whole document (${text.total_lines} lines) at line ${pv.source_line}`)));
  } catch (error) { // its text is not kept (loaded before plangraph kept it): the row as the task holds it
    return h("div", {}, h("div", { class: "source", "data-line": String(pv.source_line) },
      h("span", { class: "line hit" }, `${String(pv.source_line).padStart(5)}  ${pv.source_text || ""}`)),
      h("p", { class: "sub" }, error.message));
  }
}

async function text(raw) {
  const cut = raw.lastIndexOf("/");
  const line = cut > 0 && /^\d+$/.test(raw.slice(cut + 1)) ? Number(raw.slice(cut + 1)) : null;
  const planId = line ? raw.slice(0, cut) : raw;
  const doc = await api("/plans/" + enc(planId) + "/text");
  show(h("h1", {}, `${doc.source_file} · ${doc.total_lines} lines`),
    h("p", { class: "sub" }, a(link("plan", doc.plan), doc.code || doc.plan), ` · read as ${doc.format || "text"} · the line numbers tasks and findings cite`),
    numbered(doc.lines, line ? { first: line, last: line } : { first: 0, last: -1 }, "document"));
  const target = line && view.querySelector(`#document [data-line="${line}"]`);
  if (target) target.scrollIntoView({ block: "center" });
}

async function agency(id) {
  const [ag, summary, owned] = await Promise.all([
    api("/agencies/" + enc(id)), api("/agencies/" + enc(id) + "/summary"), api("/agencies/" + enc(id) + "/tasks"),
  ]);
  const graph = h("div", { id: "graph", role: "img", "aria-label": "what " + ag.name + " leads and supports" });
  show(h("h1", {}, `${ag.name} · ${ag.jurisdiction || ""}`),
    h("p", { class: "counts" }, h("span", {}, `leads ${summary.lead}`), h("span", {}, `supports ${summary.support}`),
      h("span", {}, `open ${summary.open_lead}`), h("span", { class: "overdue" }, `overdue (lead) ${summary.overdue_lead}`),
      h("span", {}, `as of ${summary.as_of}`)),
    graph,
    ...owned.groups.map((g) => h("section", { "data-role": g.role },
      h("h2", {}, `${g.role === "lead" ? "Leads" : "Supports"} · ${g.plan_code || g.plan_id} (${g.level}, ${g.jurisdiction})`),
      table(["ref", "task", "due", "status"], g.tasks.map((t) => [a(link("task", t.id), t.ref), t.title, t.due || "—",
        h("span", { class: "status-" + t.status }, t.status)])))));
  const elements = [{ data: { id: ag.id, label: ag.name, kind: "agency" } }];
  for (const p of ag.part_of || []) elements.push({ data: { id: p.id, label: p.name, kind: "other" } }, { data: { id: "po:" + p.id, source: ag.id, target: p.id, label: "part of" } });
  for (const p of ag.member_of || []) elements.push({ data: { id: p.id, label: p.name, kind: "other" } }, { data: { id: "mo:" + p.id, source: ag.id, target: p.id, label: "member of" } });
  for (const g of owned.groups) {
    const pid = "plan:" + g.plan_id;
    if (!elements.some((e) => e.data.id === pid)) elements.push({ data: { id: pid, label: `${g.plan_code || g.plan_id}\n${g.jurisdiction}`, kind: "plan", plan: g.plan_id } });
    elements.push({ data: { id: g.role + ":" + g.plan_id, source: ag.id, target: pid, label: `${g.role} ${g.tasks.length}` } });
  }
  const cy = cytoscape({
    container: graph, elements, layout: { name: "concentric", animate: false, minNodeSpacing: 40 },
    style: [
      { selector: "node", style: { label: "data(label)", "text-wrap": "wrap", "font-size": 10, width: "label", height: "label", padding: 6, shape: "round-rectangle", "text-valign": "center", "background-color": "#dbe9ff", "border-width": 1, "border-color": "#0f62fe" } },
      { selector: 'node[kind = "agency"]', style: { "background-color": "#b28600", color: "#fff" } },
      { selector: "edge", style: { label: "data(label)", "font-size": 9, width: 1, "curve-style": "bezier", "target-arrow-shape": "triangle" } },
    ],
  });
  cy.on("tap", 'node[kind = "plan"]', (event) => { location.hash = link("plan", event.target.data("plan")); });
  graph.dataset.nodes = String(cy.nodes().length);
}

// -- routing -------------------------------------------------------------------------------------------------

const ROUTES = { search, mandate, plan, task, agency, text };

async function route() {
  const [, kind, raw] = location.hash.match(/^#\/([a-z]+)\/(.+)$/) || [];
  if (!ROUTES[kind]) return;
  view.setAttribute("aria-busy", "true");
  try {
    // #/text/<plan id>/<line>: the id is encoded whole, so the line is after the last literal "/".
    await ROUTES[kind](kind === "text" ? raw.split("/").map(decodeURIComponent).join("/") : decodeURIComponent(raw));
  } catch (error) {
    show(h("p", { class: "error" }, error.message));
  } finally {
    view.setAttribute("aria-busy", "false");
    view.dataset.view = kind;
  }
}

document.getElementById("search-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const q = document.getElementById("q").value.trim();
  if (q) location.hash = link("search", q);
});
window.addEventListener("hashchange", route);
route();
