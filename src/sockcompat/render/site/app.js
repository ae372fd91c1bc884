// sockcompat site: pages are shells; each loads its own data file (a .js, so file:// works) lazily.
"use strict";
(function () {
  const SC = window.SC;  // looks.js: {looks: {status: [letter, label, meaning]}, root: "../"}
  const $ = (tag, attrs, ...kids) => {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "text") el.textContent = v; else if (k === "cls") el.className = v; else el.setAttribute(k, v);
    }
    for (const kid of kids) if (kid != null) el.append(kid);
    return el;
  };
  const byLetter = {};
  for (const [status, look] of Object.entries(SC.looks)) byLetter[look[0]] = status;
  function badge(letter) {
    const status = byLetter[letter];
    const label = status ? SC.looks[status][1] : "not observed";
    return $("span", {cls: "b b-" + letter, title: label, "aria-label": label, text: letter});
  }
  function hashParams() { return new URLSearchParams(location.hash.slice(1)); }
  function setHash(params) { history.replaceState(null, "", "#" + params.toString()); }
  function loadScript(src) {
    return new Promise((resolve, reject) => {
      const s = $("script", {src: src}); s.onload = resolve; s.onerror = () => reject(new Error(src)); document.head.append(s);
    });
  }
  function root() { return document.body.dataset.root; }

  // ---- search over features, options, constants, families (search.js loads on first focus)
  function setupSearch() {
    const box = document.querySelector("#search input"), list = document.querySelector("#search ol");
    let entries = null;
    const show = () => {
      list.replaceChildren();
      const words = box.value.toLowerCase().split(/\s+/).filter(Boolean);
      if (!words.length || !entries) { list.hidden = true; return; }
      const hits = entries.filter(e => words.every(w => e[1].toLowerCase().includes(w) || e[0].includes(w))).slice(0, 30);
      for (const [kind, name, href, note] of hits) {
        list.append($("li", {}, $("a", {href: root() + href}, name + " ", $("small", {text: kind + (note ? " · " + note : "")}))));
      }
      if (!hits.length) list.append($("li", {text: "nothing matches"}));
      list.hidden = false;
    };
    const load = () => {
      if (entries) return;
      loadScript(root() + "data/search.js").then(() => { entries = window.SC_SEARCH; show(); });
    };
    box.addEventListener("focus", load);
    box.addEventListener("input", show);
    const asked = hashParams().get("find");  // a search can be linked to: #find=SO_REUSEPORT
    if (asked) { box.value = asked; load(); }
  }

  function legend() {
    const div = $("div", {cls: "legend", id: "legend"});
    for (const [, look] of Object.entries(SC.looks)) div.append($("span", {title: look[2]}, badge(look[0]), look[1] + ": " + look[2]));
    return div;
  }

  // ---- a table of rows x columns, first column pinned, cells open their details
  function rowsTable(data, params) {
    const frame = $("div", {cls: "frame"});
    const table = $("table", {id: "rows"});
    const head = $("tr", {}, $("th", {scope: "col", text: "capability"}));
    data.platforms.forEach((p, i) => head.append($("th", {scope: "col", title: p.label, text: "C" + (i + 1) + " " + p.short})));
    const body = $("tbody");
    for (const [id, step, label, differs, cells] of data.rows) {
      const tr = $("tr", {id: "row-" + id + "|" + step, "data-id": id, "data-step": step, "data-differs": differs});
      tr.append($("th", {scope: "row"}, $("code", {text: label})));
      cells.forEach((c, col) => {
        if (c < 0) { tr.append($("td", {cls: "cell"}, badge("?"))); return; }
        const [letter, words] = data.cells[c];
        const td = $("td", {cls: "cell", "data-status": byLetter[letter], "data-cell": c, "data-col": col},
                     badge(letter), words ? $("small", {text: words}) : null);
        tr.append(td);
      });
      body.append(tr);
    }
    table.append($("thead", {}, head), body);
    table.addEventListener("click", ev => {
      const td = ev.target.closest("td[data-cell]");
      if (!td) return;
      const [letter, words, details] = data.cells[+td.dataset.cell];
      const tr = td.parentElement, platform = data.platforms[+td.dataset.col];
      const dl = $("dl");
      for (const [term, text] of details) dl.append($("dt", {text: term}), $("dd", {text: text}));
      const panel = document.getElementById("detail");
      panel.replaceChildren($("button", {type: "button", text: "close"}),
        $("p", {}, badge(letter), $("strong", {text: tr.dataset.id + " [" + tr.dataset.step + "]"})),
        $("p", {cls: "note", text: platform.label}), dl);
      panel.querySelector("button").onclick = () => { panel.hidden = true; };
      panel.hidden = false;
    });
    frame.append(table);
    return frame;
  }

  function filterForm(fields, onChange) {
    const form = $("form", {cls: "filters", id: "filters"});
    const params = hashParams();
    form.append($("label", {}, "filter ", $("input", {type: "search", name: "q", value: params.get("q") || ""})));
    const status = $("select", {name: "status"}, $("option", {value: "", text: "any status"}));
    for (const [key, look] of Object.entries(SC.looks)) status.append($("option", {value: key, text: look[0] + " " + look[1]}));
    status.value = params.get("status") || "";
    form.append($("label", {}, "status in some column ", status));
    if (fields.differs) {
      const box = $("input", {type: "checkbox", name: "differs", value: "1"});
      box.checked = params.get("differs") === "1";
      form.append($("label", {}, box, " only rows that differ"));
    }
    form.append($("span", {id: "count", "aria-live": "polite"}));
    form.addEventListener("input", () => {
      const next = new URLSearchParams();
      for (const [k, v] of new FormData(form)) if (v) next.set(k, v);
      setHash(next); onChange(next);
    });
    return form;
  }

  function applyRowFilter(params) {
    const q = (params.get("q") || "").toLowerCase(), status = params.get("status"), differs = params.get("differs") === "1";
    const rows = document.querySelectorAll("#rows tbody tr");
    let shown = 0;
    for (const tr of rows) {
      const ok = (!q || tr.dataset.id.toLowerCase().includes(q)) && (!differs || tr.dataset.differs === "1")
        && (!status || tr.querySelector('td[data-status="' + status + '"]'));
      tr.hidden = !ok; if (ok) shown++;
    }
    document.getElementById("count").textContent = shown + " of " + rows.length + " rows";
  }

  function deepLink() {
    const want = hashParams().get("row");
    if (!want) return;
    const tr = document.getElementById("row-" + want);
    if (tr) { tr.classList.add("hit"); tr.scrollIntoView({block: "center"}); }
  }

  // ---- pages
  function landing(main, data) {
    main.append($("h2", {id: "grid", text: "Which sockets can be created"}),
      $("p", {cls: "note", text: "socket(family, type) for any protocol, per column. Click a family for every row."}));
    const grids = $("div", {cls: "grids"}), hidden = new Set(data.grid.hidden);
    data.platforms.forEach((p, col) => {
      const table = $("table", {cls: "grid", "data-col": p.id});
      const head = $("tr", {}, $("th", {text: "family"}));
      for (const t of data.grid.types) head.append($("th", {text: t.replace("SOCK_", "")}));
      const body = $("tbody");
      data.grid.families.forEach((family, f) => {
        const letters = data.grid.columns[col][f];
        if (hidden.has(family)) return;
        const tr = $("tr", {}, $("th", {}, $("a", {href: data.grid.links[f], text: family})));
        for (const letter of letters) tr.append($("td", {}, badge(letter)));
        body.append(tr);
      });
      table.append($("thead", {}, head), body);
      grids.append($("section", {}, $("h3", {text: "C" + (col + 1) + " " + p.label}), $("div", {cls: "frame"}, table)));
    });
    main.append(grids);
    for (const [letter, label, names] of data.grid.quiet) {
      main.append($("p", {cls: "quiet"}, badge(letter), label + " in every column, for every type: " + names.join(", ") + "."));
    }
    main.append($("h2", {id: "features", text: "Features"}));
    const frame = $("div", {cls: "frame"});
    const table = $("table", {id: "rows"});
    const head = $("tr", {}, $("th", {text: "feature"}));
    data.platforms.forEach((p, i) => head.append($("th", {title: p.label, text: "C" + (i + 1) + " " + p.short})));
    const body = $("tbody");
    for (const [id, title, category, letters] of data.features) {
      const tr = $("tr", {id: "row-" + id, "data-id": id + " " + title + " " + category, "data-step": "", "data-differs": new Set(letters).size > 1 ? "1" : "0"});
      tr.append($("th", {}, $("a", {href: "features/" + id + ".html", text: title})));
      for (const letter of letters) tr.append($("td", {cls: "cell-f", "data-status": byLetter[letter]}, badge(letter)));
      body.append(tr);
    }
    table.append($("thead", {}, head), body);
    frame.append(table);
    main.append(filterForm({differs: true}, applyRowFilter), frame);
    applyRowFilter(hashParams());
    main.append($("h2", {id: "hosts", text: "The hosts behind each column"}));
    const hosts = $("table", {id: "host-table"}, $("thead", {}, $("tr", {}, ...["column", "report", "release", "Python"].map(t => $("th", {text: t})))));
    const hb = $("tbody");
    data.platforms.forEach((p, col) => { for (const h of p.hosts) hb.append($("tr", {}, $("td", {text: "C" + (col + 1) + " " + p.label}), $("td", {text: h[0]}), $("td", {text: h[1]}), $("td", {text: h[2]}))); });
    hosts.append(hb);
    main.append($("div", {cls: "frame"}, hosts));
    main.append($("h2", {id: "areas", text: "Every row, by area and family"}));
    const list = $("ul");
    for (const [slug, title, count] of data.pages) list.append($("li", {}, $("a", {href: "areas/" + slug + ".html", text: title}), " (" + count + " rows)"));
    main.append(list);
  }

  function rowsPage(main, data) {
    if (data.feature) {
      const f = data.feature;
      main.append($("p", {text: f.description}), $("p", {cls: "note", text: "Combined as \u201c" + f.combine + "\u201d over the rows below."}));
      const answers = $("ul");
      data.platforms.forEach((p, i) => answers.append($("li", {}, badge(f.letters[i]), "C" + (i + 1) + " " + p.label)));
      main.append(answers);
    }
    main.append(filterForm({differs: true}, applyRowFilter), rowsTable(data, hashParams()));
    applyRowFilter(hashParams());
    deepLink();
  }

  // first paint, for benchmarks/site_bench.py (read from the DOM a headless browser dumps)
  new PerformanceObserver(list => {
    for (const e of list.getEntries()) if (e.name === "first-contentful-paint") document.body.dataset.fcpMs = Math.round(e.startTime);
  }).observe({type: "paint", buffered: true});

  document.addEventListener("DOMContentLoaded", () => {
    const main = document.querySelector("main");
    setupSearch();
    main.after($("h2", {text: "Legend"}), legend());
    loadScript(document.body.dataset.data).then(() => {
      const data = window.SC_PAGE;
      if (document.body.dataset.kind === "landing") landing(main, data); else rowsPage(main, data);
      document.body.dataset.ready = "1";
      document.body.dataset.renderedMs = Math.round(performance.now());
    });
  });
})();
