// phuluc serve: a little plain JavaScript for the documents list and the review page. No build step.
"use strict";

const TOKEN = document.querySelector('meta[name="phuluc-token"]').content;

function post(url, body, isJson = true) {
  const headers = { "X-Phuluc-Token": TOKEN };
  if (isJson) headers["Content-Type"] = "application/json";
  return fetch(url, { method: "POST", headers, body: isJson ? JSON.stringify(body) : body });
}

function el(tag, attrs = {}, text = "") {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text) e.textContent = text;
  return e;
}

// --- documents list: upload and live progress ---------------------------------------------

function initIndex() {
  const drop = document.getElementById("drop");
  const input = document.getElementById("files");
  const jobs = document.getElementById("jobs");
  let polling = false;

  async function upload(files) {
    if (!files.length) return;
    const form = new FormData();
    for (const f of files) form.append("files", f, f.name);
    const note = el("li", { class: "uploading" }, `Uploading ${files.length} file(s)…`);
    jobs.prepend(note);
    const r = await post("/upload", form, false);
    const data = await r.json().catch(() => ({ error: r.statusText }));
    note.remove();
    if (!r.ok) { jobs.prepend(el("li", { class: "error" }, "Upload refused: " + data.error)); return; }
    for (const x of data.refused) jobs.prepend(el("li", { class: "error" }, `${x.name}: ${x.reason}`));
    if (!polling) poll();
  }

  async function poll() {
    polling = true;
    const data = await (await fetch("/api/jobs")).json();
    jobs.querySelectorAll("li.job").forEach((li) => li.remove());
    for (const f of data.files) {
      const li = el("li", { class: "job " + f.state, "data-name": f.name });
      li.append(el("span", { class: "badge " + f.state }, f.state === "converting" ? "converting…" : f.state));
      li.append(" " + f.name);
      if (f.state === "ok" || f.state === "warning") li.append(el("span", { class: "muted" }, ` · ${f.tasks} tasks`));
      if (f.reason) li.append(el("span", { class: "reason" }, " · " + f.reason));
      jobs.append(li);
    }
    if (data.busy) { setTimeout(poll, 700); return; }
    polling = false;
    if (data.files.length) refreshList();
  }

  async function refreshList() {
    // The list below the upload box is server-rendered: fetch this page again and swap it in.
    const html = await (await fetch(location.href)).text();
    const fresh = new DOMParser().parseFromString(html, "text/html");
    for (const sel of [".filters", "#docs", ".empty"]) {
      const old = document.querySelector(sel), neu = fresh.querySelector(sel);
      if (old && neu) old.replaceWith(neu);
      else if (!old && neu) document.querySelector("main").append(neu);
      else if (old && !neu) old.remove();
    }
    document.body.dataset.ready = "yes";
  }

  input.addEventListener("change", () => upload(input.files));
  for (const ev of ["dragenter", "dragover"]) drop.addEventListener(ev, (e) => { e.preventDefault(); drop.classList.add("over"); });
  for (const ev of ["dragleave", "drop"]) drop.addEventListener(ev, () => drop.classList.remove("over"));
  drop.addEventListener("drop", (e) => { e.preventDefault(); upload(e.dataTransfer.files); });
  poll();
}

// --- review: page images, highlights, editing, save, golden ----------------------------------

function initReview() {
  const stem = document.getElementById("pages").dataset.stem;
  const q = "doc=" + encodeURIComponent(stem);
  const boxes = JSON.parse(document.getElementById("boxes").textContent);
  const tbody = document.querySelector("#tasks tbody");
  const msg = document.getElementById("message");
  const versionEl = document.getElementById("version");
  let selected = null;
  let dirty = false;

  function say(text, kind = "") { msg.textContent = text; msg.className = "message " + kind; }

  async function loadPages() {
    const pane = document.getElementById("pages");
    const data = await (await fetch("/api/pages?" + q)).json();
    const note = document.getElementById("pages-note");
    if (!data.pages || !data.pages.length) { note.textContent = "No page images for this document (a DOCX without LibreOffice): the table alone."; return; }
    note.remove();
    data.pages.forEach(([w, h], i) => {
      const div = el("div", { class: "page", id: "page-" + (i + 1), "data-w": w, "data-h": h });
      div.style.aspectRatio = `${w} / ${h}`;
      div.append(el("img", { src: `/api/page.png?${q}&n=${i + 1}`, loading: i < 2 ? "eager" : "lazy", alt: "page " + (i + 1) }));
      div.append(el("span", { class: "pageno" }, String(i + 1)));
      pane.append(div);
    });
    document.body.dataset.pages = String(data.pages.length);
  }

  function highlight(tr, field) {
    document.querySelectorAll(".hl").forEach((h) => h.remove());
    const origin = tr.dataset.origin;
    const found = origin === "" ? null : boxes[Number(origin)];
    if (!found) return;
    let first = null;
    for (const [name, list] of Object.entries(found)) {
      for (const b of list) {
        const page = document.getElementById("page-" + b.page);
        if (!page) continue;
        const w = Number(page.dataset.w), h = Number(page.dataset.h);
        const [x0, top, x1, bottom] = b.bbox;
        const hl = el("div", { class: "hl" + (name === field ? " this" : "") + (b.conf !== null && b.conf < 60 ? " low" : ""), title: name });
        Object.assign(hl.style, { left: (100 * x0 / w) + "%", top: (100 * top / h) + "%", width: (100 * (x1 - x0) / w) + "%", height: (100 * (bottom - top) / h) + "%" });
        page.append(hl);
        if (!first || (name === field && !first.classList.contains("this"))) first = hl;
      }
    }
    if (first) first.scrollIntoView({ block: "center", behavior: "smooth" });
  }

  function select(tr, field) {
    if (selected) selected.classList.remove("selected");
    selected = tr;
    tr.classList.add("selected");
    highlight(tr, field);
  }

  tbody.addEventListener("focusin", (e) => {
    const td = e.target.closest("td");
    if (td) select(td.parentElement, td.dataset.field || td.dataset.extra);
  });
  tbody.addEventListener("click", (e) => {
    const td = e.target.closest("td");
    if (td) select(td.parentElement, td.dataset.field || td.dataset.extra);
  });
  document.querySelector("main").addEventListener("input", () => { dirty = true; say("Unsaved changes", "warn"); });
  window.addEventListener("beforeunload", (e) => { if (dirty) e.preventDefault(); });

  function renumber() { tbody.querySelectorAll("tr").forEach((tr, i) => { tr.cells[0].textContent = String(i + 1); }); dirty = true; say("Unsaved changes", "warn"); }

  function blankRow(origin = "") {
    const tr = document.querySelector("#tasks thead tr").cloneNode(true);
    const row = el("tr", { "data-origin": origin });
    for (const th of tr.children) {
      const td = el("td");
      if (th.classList.contains("n")) td.className = "n";
      else {
        td.setAttribute("contenteditable", "plaintext-only");
        if (th.dataset.field) td.dataset.field = th.dataset.field; else td.dataset.extra = th.dataset.extra;
      }
      row.append(td);
    }
    return row;
  }

  document.getElementById("add-row").onclick = () => {
    const row = blankRow();
    if (selected) {
      row.querySelector('[data-field="section"]').textContent = selected.querySelector('[data-field="section"]').textContent;
      selected.after(row);
    } else tbody.append(row);
    renumber();
    select(row, "task");
    row.querySelector('[data-field="task"]').focus();
  };
  document.getElementById("delete-row").onclick = () => {
    if (!selected) { say("Select a row first", "warn"); return; }
    const next = selected.nextElementSibling || selected.previousElementSibling;
    selected.remove(); selected = null; renumber();
    if (next) select(next, "task");
  };
  document.getElementById("merge-row").onclick = () => {
    const next = selected && selected.nextElementSibling;
    if (!next) { say("Select a row that has a row below it", "warn"); return; }
    [...selected.cells].forEach((td, i) => {
      if (td.classList.contains("n") || td.dataset.field === "section" || td.dataset.field === "stt") return;
      const a = td.innerText.trim(), b = next.cells[i].innerText.trim();
      td.textContent = a && b && a !== b ? a + "\n" + b : a || b;
    });
    next.remove(); renumber();
  };
  // Where the caret was last in a cell (the split button takes the focus away from it).
  let caret = null;
  document.addEventListener("selectionchange", () => {
    const sel = window.getSelection();
    const td = sel.anchorNode && (sel.anchorNode.nodeType === 1 ? sel.anchorNode : sel.anchorNode.parentElement).closest("#tasks td[contenteditable]");
    if (!td) return;
    const range = document.createRange();
    range.setStart(td, 0);
    range.setEnd(sel.anchorNode, sel.anchorOffset);
    caret = { td, offset: range.toString().length };
  });
  document.getElementById("split-row").onclick = () => {
    if (!caret || !caret.td.isConnected) { say("Put the cursor in a cell where the row splits", "warn"); return; }
    const tr = caret.td.parentElement;
    const row = blankRow(tr.dataset.origin);
    [...tr.cells].forEach((cell, i) => {
      if (cell.classList.contains("n")) return;
      if (cell === caret.td) {
        const text = cell.textContent;
        cell.textContent = text.slice(0, caret.offset).trim();
        row.cells[i].textContent = text.slice(caret.offset).trim();
      } else if (["section", "timeline", "lead", "partners"].includes(cell.dataset.field)) {
        row.cells[i].textContent = cell.textContent;  // the new row keeps its parent's time frame and bodies
      }
    });
    tr.after(row); caret = null; renumber(); select(row, "task");
  };

  function collect() {
    const document_ = {};
    for (const inp of document.querySelectorAll("#fields [name]")) document_[inp.name] = inp.value;
    const tasks = [...tbody.querySelectorAll("tr")].map((tr) => {
      const t = { origin: tr.dataset.origin === "" ? null : Number(tr.dataset.origin), extra: {} };
      for (const td of tr.querySelectorAll("td[data-field]")) t[td.dataset.field] = td.innerText;
      for (const td of tr.querySelectorAll("td[data-extra]")) t.extra[td.dataset.extra] = td.innerText;
      return t;
    });
    return { document: document_, tasks };
  }

  document.getElementById("save").onclick = async () => {
    const body = collect();
    body.base_version = Number(versionEl.dataset.version);
    say("Saving…");
    const r = await post("/api/save?" + q, body);
    const data = await r.json().catch(() => ({ error: r.statusText }));
    if (!r.ok) { say((r.status === 409 ? "Not saved: " : "Not saved (" + r.status + "): ") + data.error, "error"); return; }
    versionEl.dataset.version = String(data.version);
    versionEl.textContent = "corrected, version " + data.version;
    dirty = false;
    say(`Saved as version ${data.version} (${stem}.corrected.json); the combined tasks.csv/jsonl/xlsx use it.`, "ok");
  };

  document.addEventListener("keydown", (e) => {
    if ((e.ctrlKey || e.metaKey) && e.key === "s") { e.preventDefault(); document.getElementById("save").click(); }
  });

  document.getElementById("golden").onclick = async () => {
    if (dirty) { say("Save your changes first: the golden file is made from the saved version", "warn"); return; }
    let r = await post("/api/golden?" + q, { overwrite: false });
    let data = await r.json();
    if (r.status === 409 && data.exists) {
      if (!window.confirm(data.error)) { say("The golden file was kept as it was.", "warn"); return; }
      r = await post("/api/golden?" + q, { overwrite: true });
      data = await r.json();
    }
    if (!r.ok) { say("Not written: " + data.error, "error"); return; }
    say("Golden file written: " + data.golden + " (phuluc qa now checks this document against it)", "ok");
  };

  for (const li of document.querySelectorAll(".warnings li[data-page]")) {
    if (!li.dataset.page) continue;
    li.classList.add("link");
    li.onclick = () => { const p = document.getElementById("page-" + li.dataset.page); if (p) p.scrollIntoView({ block: "start" }); };
  }
  loadPages().then(() => { document.body.dataset.readyMs = String(Math.round(performance.now())); document.body.dataset.ready = "yes"; });
}

if (document.body.dataset.page === "index") initIndex();
if (document.body.dataset.page === "review") initReview();
