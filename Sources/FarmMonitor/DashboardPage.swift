/// The dashboard: one self-contained page (no build step, no CDN) that polls /api/state once a
/// second and redraws. Kept in a Swift string so the executable needs no resource bundle. Every
/// value from the farm goes into the page as text (`textContent`), never as HTML.
enum DashboardPage {
    static let html = #"""
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>RenderFarm</title>
<style>
  :root { --bg:#f6f7f9; --card:#fff; --ink:#1d2430; --muted:#667085; --line:#e4e7ec; --ok:#12b76a;
          --run:#2e90fa; --warn:#f79009; --bad:#f04438; }
  * { box-sizing: border-box; }
  body { margin:0; font:14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; background:var(--bg); color:var(--ink); }
  header { display:flex; gap:24px; align-items:baseline; padding:14px 24px; background:#101828; color:#fff; }
  header h1 { font-size:18px; margin:0; }
  header .stat { color:#d0d5dd; }
  header .stat b { color:#fff; }
  #conn.down { color:var(--bad); }
  main { padding:16px 24px; display:grid; gap:16px; }
  section { background:var(--card); border:1px solid var(--line); border-radius:8px; padding:12px 16px; }
  h2 { font-size:15px; margin:0 0 8px; }
  table { border-collapse:collapse; width:100%; }
  th, td { text-align:left; padding:4px 8px; border-bottom:1px solid var(--line); vertical-align:top; }
  th { color:var(--muted); font-weight:600; font-size:12px; text-transform:uppercase; }
  td.num { text-align:right; font-variant-numeric:tabular-nums; }
  .state { display:inline-block; padding:0 6px; border-radius:10px; font-size:12px; background:#eef; }
  .s-idle { background:#ecfdf3; color:#027a48; } .s-rendering, .s-dispatched, .s-running { background:#eff8ff; color:#175cd3; }
  .s-lost, .s-failed { background:#fef3f2; color:#b42318; } .s-done, .s-completed { background:#ecfdf3; color:#027a48; }
  .s-draining, .s-connecting, .s-queued { background:#fffaeb; color:#b54708; } .s-cancelled { background:#f2f4f7; color:#344054; }
  tr.stale td.beat { color:var(--bad); font-weight:700; }
  tr.stale { background:#fff6f5; }
  .bar { position:relative; height:16px; background:#eaecf0; border-radius:4px; overflow:hidden; min-width:160px; }
  .bar .fill { position:absolute; left:0; top:0; bottom:0; background:var(--run); }
  .bar .fill.done { background:var(--ok); } .bar .fill.bad { background:var(--bad); }
  .bar span { position:relative; font-size:11px; padding-left:6px; }
  tr.job { cursor:pointer; } tr.job.selected { background:#f0f9ff; }
  .clips { display:grid; grid-template-columns:repeat(auto-fill, minmax(260px, 1fr)); gap:10px; }
  .clip { border:1px solid var(--line); border-radius:6px; padding:6px; }
  .clip video { width:100%; background:#000; border-radius:4px; display:block; }
  .clip .meta { font-size:12px; color:var(--muted); display:flex; justify-content:space-between; gap:6px; }
  .clip .err { color:var(--bad); font-size:12px; white-space:pre-wrap; }
  .pager { display:flex; gap:8px; align-items:center; margin:8px 0; }
  pre#beats { margin:0; font:12px/1.35 ui-monospace, monospace; white-space:pre; overflow-x:auto; }
  .muted { color:var(--muted); }
</style>
</head>
<body>
<header>
  <h1>RenderFarm</h1>
  <span class="stat">workers <b id="n-workers">0</b></span>
  <span class="stat">rendering <b id="n-rendering">0</b></span>
  <span class="stat">queue <b id="n-queue">0</b></span>
  <span class="stat" id="conn">connecting…</span>
</header>
<main>
  <section>
    <h2>Workers</h2>
    <table id="workers"><thead><tr><th>worker</th><th>host</th><th>device</th><th>renderer</th><th>state</th>
      <th>clip</th><th>progress</th><th>fps</th><th>last beat</th></tr></thead><tbody></tbody></table>
  </section>
  <section>
    <h2>Jobs</h2>
    <table id="jobs"><thead><tr><th>job</th><th>state</th><th>run</th><th>backend</th><th>clips</th><th>frames</th>
      <th>submitted</th></tr></thead><tbody></tbody></table>
  </section>
  <section>
    <h2 id="clips-title">Clips</h2>
    <div class="pager"><button id="prev">◀ previous</button><span id="page-info" class="muted"></span><button id="next">next ▶</button></div>
    <div class="clips" id="clips"></div>
  </section>
  <section>
    <h2>Heartbeat log <span class="muted">(latest lines)</span></h2>
    <pre id="beats"></pre>
  </section>
</main>
<script>
"use strict";
let selectedJob = null, offset = 0, pageSize = 100, total = 0;
const clipCards = new Map();

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") node.className = v; else if (k === "text") node.textContent = v; else node.setAttribute(k, v);
  }
  for (const child of children) node.append(child);
  return node;
}
function badge(state) { return el("span", {class: "state s-" + state, text: state}); }
function bar(done, total, kind) {
  const pct = total > 0 ? Math.min(100, 100 * done / total) : 0;
  const fill = el("div", {class: "fill " + (kind || ""), style: "width:" + pct.toFixed(1) + "%"});
  return el("div", {class: "bar", "data-done": done, "data-total": total}, fill, el("span", {text: done + " / " + total}));
}
function ago(seconds) {
  if (seconds < 1) return "now";
  if (seconds < 90) return seconds.toFixed(0) + " s ago";
  if (seconds < 5400) return (seconds / 60).toFixed(0) + " min ago";
  return (seconds / 3600).toFixed(1) + " h ago";
}
function replaceRows(tbody, rows) { tbody.replaceChildren(...rows); }

function drawWorkers(state) {
  const rows = state.workers.map(w => {
    const age = state.now - w.last_beat;
    const stale = age > state.heartbeat_interval * 2 || w.state === "lost";
    const clip = w.job != null ? "job " + w.job + " clip " + w.clip : "—";
    const tr = el("tr", {class: stale ? "stale" : "", "data-worker": w.id, "data-state": w.state},
      el("td", {text: w.id}), el("td", {text: w.host}),
      el("td", {text: w.device.kind + (w.device.egl_index != null ? " (egl" + w.device.egl_index + ")" : "")}),
      el("td", {text: w.renderer}), el("td", {}, badge(w.state)), el("td", {text: clip}),
      el("td", {}, w.frames_total > 0 ? bar(w.frames_done, w.frames_total) : ""),
      el("td", {class: "num", text: w.fps.toFixed(1)}),
      el("td", {class: "beat", text: ago(age)}));
    return tr;
  });
  replaceRows(document.querySelector("#workers tbody"), rows);
  document.getElementById("n-workers").textContent = state.workers.filter(w => w.state !== "lost").length;
  document.getElementById("n-rendering").textContent = state.workers.filter(w => w.state === "rendering").length;
  document.getElementById("n-queue").textContent = state.queue_depth;
}

function drawJobs(state) {
  const rows = state.jobs.map(j => {
    const tr = el("tr", {class: "job" + (state.page && state.page.job === j.id ? " selected" : ""), "data-job": j.id,
                         "data-state": j.state},
      el("td", {text: j.id}), el("td", {}, badge(j.state)),
      el("td", {text: j.workflow + "/" + j.task + "/" + j.run}), el("td", {text: j.backend}),
      el("td", {class: "clip-progress"}, bar(j.clips_done, j.clips_total, j.clips_failed > 0 ? "bad" : (j.state === "completed" ? "done" : ""))),
      el("td", {class: "frame-progress"}, bar(j.frames_done, j.frames_total, j.state === "completed" ? "done" : "")),
      el("td", {text: new Date(j.submitted_at * 1000).toLocaleTimeString()}));
    tr.addEventListener("click", () => { selectedJob = j.id; offset = 0; clipCards.clear(); refresh(); });
    return tr;
  });
  replaceRows(document.querySelector("#jobs tbody"), rows);
}

// Clip cards are kept across refreshes so a playing <video> is never replaced.
function drawClips(state) {
  const box = document.getElementById("clips");
  const page = state.page;
  if (!page) { box.replaceChildren(el("p", {class: "muted", text: "No jobs yet."})); return; }
  total = page.total; pageSize = page.page_size;
  document.getElementById("clips-title").textContent = "Clips of job " + page.job;
  document.getElementById("page-info").textContent =
    (page.total === 0 ? 0 : page.offset + 1) + "–" + (page.offset + page.clips.length) + " of " + page.total;
  const wanted = [];
  for (const c of page.clips) {
    const key = page.job + "/" + c.id;
    let card = clipCards.get(key);
    const signature = c.state + "|" + c.attempts + "|" + (c.error || "") + "|" + (c.video || "");
    if (!card || card.dataset.signature !== signature) {
      const children = [el("div", {class: "meta"}, el("span", {text: c.file}), badge(c.state))];
      if (c.video) {
        const video = el("video", {src: c.video, controls: "", muted: "", loop: "", preload: "auto", playsinline: ""});
        video.muted = true;
        children.push(video);
      } else {
        children.push(bar(c.frames_done, c.frames, c.state === "failed" ? "bad" : ""));
      }
      children.push(el("div", {class: "meta"}, el("span", {text: "attempts " + c.attempts}),
                       el("span", {text: c.worker ? "worker " + c.worker : ""})));
      if (c.error) children.push(el("div", {class: "err", text: c.error}));
      card = el("div", {class: "clip", "data-clip": c.id, "data-state": c.state}, ...children);
      card.dataset.signature = signature;
      clipCards.set(key, card);
    } else if (!c.video) {
      const old = card.querySelector(".bar");
      if (old) old.replaceWith(bar(c.frames_done, c.frames, c.state === "failed" ? "bad" : ""));
    }
    wanted.push(card);
  }
  const same = wanted.length === box.children.length && wanted.every((card, i) => box.children[i] === card);
  if (!same) box.replaceChildren(...wanted);
}

function drawBeats(state) {
  document.getElementById("beats").textContent = state.heartbeats.map(b =>
    new Date(b.timestamp * 1000).toLocaleTimeString() + "  " + b.worker + "  " + b.state +
    (b.job != null ? "  job " + b.job + " clip " + b.clip + "  " + b.frames_done + "/" + b.frames_total +
     "  " + b.fps.toFixed(1) + " fps" : "")).join("\n") || "(no heartbeats yet)";
}

async function refresh() {
  const query = new URLSearchParams();
  if (selectedJob !== null) query.set("job", selectedJob);
  if (offset > 0) query.set("offset", offset);
  const conn = document.getElementById("conn");
  const started = performance.now();
  try {
    const response = await fetch("/api/state?" + query, {cache: "no-store"});
    if (!response.ok) throw new Error(response.status + " " + (await response.text()));
    const text = await response.text();
    const state = JSON.parse(text);
    const drawing = performance.now();
    drawWorkers(state); drawJobs(state); drawClips(state); drawBeats(state);
    conn.textContent = "live"; conn.className = "stat";
    // How long a refresh takes at this farm's size (read by the scale test).
    Object.assign(document.body.dataset, {payloadBytes: text.length, drawMs: (performance.now() - drawing).toFixed(1),
                                          refreshMs: (performance.now() - started).toFixed(1)});
  } catch (error) {
    conn.textContent = "coordinator unreachable: " + error.message; conn.className = "stat down";
  }
}
document.getElementById("prev").addEventListener("click", () => { offset = Math.max(0, offset - pageSize); refresh(); });
document.getElementById("next").addEventListener("click", () => { if (offset + pageSize < total) { offset += pageSize; refresh(); } });
refresh();
setInterval(refresh, 1000);
</script>
</body>
</html>
"""#
}
