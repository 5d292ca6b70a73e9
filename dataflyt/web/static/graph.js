/* dataflyt explorer: the interactive graph. Reads nodes and facts as JSON from the server
   (fetch, never inlined), draws them with Cytoscape.js in the data-flow order of the diagrams
   (data subjects, categories, services, organisations, places in their jurisdiction zones),
   expands a node on request, filters by kind, country and sensitivity, and keeps a list of the
   nodes drawn for keyboard use. Every name is set as text (canvas labels, textContent). */
(function () {
  "use strict";

  const box = document.getElementById("graph");
  if (!box || typeof window.cytoscape !== "function") {
    return;
  }
  window.cytoscape.use(window.cytoscapeDagre);

  // left to right, as the diagrams draw a data flow
  const RANK = {
    "document": 0, "data subject": 1, "data category": 2, "service": 3,
    "organisation": 4, "country": 5
  };
  const source = box.dataset.source;
  // the date the page asks about (as_of), kept in every address the drawing asks or links to
  const asOf = box.dataset.asOf;
  const expanded = new Set();
  const status = document.getElementById("graph-status");
  const list = document.getElementById("graph-list");
  const count = document.getElementById("graph-count");
  const selected = document.getElementById("graph-selected");
  const filters = document.getElementById("graph-filters");
  const countrySelect = document.getElementById("graph-country");

  const cy = window.cytoscape({
    container: box,
    elements: [],
    minZoom: 0.1,
    maxZoom: 3,
    style: [
      { selector: "node", style: {
        "label": "data(name)", "font-size": 11, "text-wrap": "wrap", "text-max-width": 140,
        "text-valign": "center", "text-halign": "center", "width": 150, "height": 44,
        "shape": "round-rectangle", "background-color": "#ddf4ff", "border-width": 1,
        "border-color": "#0b5cad", "color": "#1b1f24" } },
      { selector: "node[kind = 'organisation']", style: {
        "shape": "rectangle", "background-color": "#fff8c5", "border-color": "#9a6700" } },
      { selector: "node[kind = 'data subject']", style: {
        "shape": "ellipse", "background-color": "#f6f8fa", "border-color": "#57606a" } },
      { selector: "node[kind = 'data category']", style: {
        "shape": "tag", "background-color": "#ffffff", "border-color": "#57606a", "height": 30 } },
      { selector: "node[kind = 'country']", style: {
        "shape": "round-rectangle", "background-color": "#dafbe1", "border-color": "#1a7f37",
        "height": 30 } },
      { selector: "node[kind = 'document']", style: {
        "shape": "rhomboid", "background-color": "#f6f8fa", "border-color": "#57606a" } },
      { selector: "node[sensitivity = 'high']", style: { "border-color": "#a40e26", "border-width": 3 } },
      { selector: "node[?aggregate]", style: { "border-style": "dashed", "border-width": 2 } },
      { selector: "node[?zone_box]", style: {
        "shape": "round-rectangle", "background-color": "#f6f8fa", "background-opacity": 0.6,
        "border-color": "#8c959f", "border-style": "dashed", "label": "data(name)",
        "text-valign": "top", "text-halign": "center", "font-weight": "bold" } },
      { selector: "node[?centre]", style: { "border-width": 4 } },
      { selector: "node:selected", style: { "overlay-color": "#f0b400", "overlay-opacity": 0.35 } },
      { selector: "edge", style: {
        "width": 1.5, "line-color": "#8c959f", "curve-style": "bezier", "label": "data(label)",
        "font-size": 9, "color": "#57606a", "text-background-color": "#ffffff",
        "text-background-opacity": 0.8, "target-arrow-shape": "triangle",
        "target-arrow-color": "#8c959f" } },
      { selector: ".filtered", style: { "display": "none" } }
    ]
  });

  function say(text) {
    status.textContent = text;
  }

  function dated(address) {
    if (asOf) {
      address.searchParams.set("as_of", asOf);
    }
    return address.pathname + address.search;
  }

  function nodeUrl(id) {
    const path = "/node/" + id.split("/").map(encodeURIComponent).join("/");
    return dated(new URL(path, window.location.origin));
  }

  function dataUrl(id) {
    const address = new URL(source, window.location.origin);
    address.searchParams.set("id", id);
    return dated(address);
  }

  function zoneId(zone) {
    return "zone:" + zone;
  }

  // an edge drawn in the data-flow order: from the lower rank to the higher
  function flowEdge(edge, kinds) {
    const a = RANK[kinds.get(edge.source)];
    const b = RANK[kinds.get(edge.target)];
    const flip = a > b;
    return {
      group: "edges",
      data: {
        id: edge.key,
        source: flip ? edge.target : edge.source,
        target: flip ? edge.source : edge.target,
        label: edge.label || edge.relation.toLowerCase().replace("_", " ")
      }
    };
  }

  function add(answer) {
    const kinds = new Map();
    cy.nodes().forEach(function (n) { kinds.set(n.id(), n.data("kind")); });
    const fresh = [];
    answer.nodes.forEach(function (node) {
      kinds.set(node.id, node.kind);
      if (cy.getElementById(node.id).nonempty()) {
        return;
      }
      const data = Object.assign({}, node);
      if (node.zone) {
        if (cy.getElementById(zoneId(node.zone)).empty()) {
          fresh.push({ group: "nodes", data: { id: zoneId(node.zone), name: node.zone, zone_box: true } });
        }
        data.parent = zoneId(node.zone);
      }
      data.centre = answer.centre.indexOf(node.id) >= 0;
      fresh.push({ group: "nodes", data: data });
    });
    answer.edges.forEach(function (edge) {
      const drawn = flowEdge(edge, kinds);
      if (cy.getElementById(drawn.data.id).empty()) {
        fresh.push(drawn);
      }
    });
    cy.add(fresh);
    answer.centre.forEach(function (id) { expanded.add(id); });
    refreshCountries();
    applyFilters();
    let text = "Loaded " + cy.nodes("[!zone_box]").length + " nodes.";
    if (answer.aggregated) {
      text += " " + answer.neighbours + " neighbours: the crowds among them are drawn as one node each.";
    }
    say(text);
  }

  function expand(id) {
    if (expanded.has(id) || id.indexOf("aggregate:") === 0) {
      return Promise.resolve();
    }
    say("Loading…");
    return fetch(dataUrl(id), { headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("the server answered " + response.status);
        }
        return response.json();
      })
      .then(add)
      .catch(function (error) { say("Could not load the neighbours: " + error.message); });
  }

  function visible(node) {
    return !node.hasClass("filtered");
  }

  function select(node) {
    cy.elements().unselect();
    node.select();
    selected.replaceChildren();
    const name = document.createElement("p");
    const strong = document.createElement("strong");
    strong.textContent = node.data("name");
    name.append(strong, " (" + node.data("kind") + ")");
    selected.append(name);
    if (!node.data("aggregate")) {
      const link = document.createElement("a");
      link.href = nodeUrl(node.id());
      link.textContent = "Open its page";
      selected.append(link);
      if (!expanded.has(node.id())) {
        const button = document.createElement("button");
        button.type = "button";
        button.textContent = "Expand";
        button.addEventListener("click", function () { expand(node.id()).then(function () { select(node); }); });
        selected.append(" ", button);
      }
    }
  }

  function refreshList() {
    list.replaceChildren();
    const nodes = cy.nodes("[!zone_box]").filter(visible).sort(function (a, b) {
      return (RANK[a.data("kind")] - RANK[b.data("kind")]) ||
        a.data("name").localeCompare(b.data("name"));
    });
    count.textContent = String(nodes.length);
    nodes.forEach(function (node) {
      const item = document.createElement("li");
      const kind = document.createElement("span");
      kind.className = "kind-word";
      kind.textContent = node.data("kind");
      if (node.data("aggregate")) {
        const name = document.createElement("span");
        name.textContent = node.data("name");
        item.append(name, kind);
      } else {
        const link = document.createElement("a");
        link.href = nodeUrl(node.id());
        link.textContent = node.data("name");
        item.append(link, kind);
        if (!expanded.has(node.id())) {
          const button = document.createElement("button");
          button.type = "button";
          button.textContent = "Expand";
          button.setAttribute("aria-label", "Expand " + node.data("name"));
          button.addEventListener("click", function () { expand(node.id()); });
          item.append(button);
        }
      }
      list.append(item);
    });
  }

  function refreshCountries() {
    const chosen = countrySelect.value;
    const codes = new Set();
    cy.nodes("[kind = 'service']").forEach(function (n) {
      (n.data("countries") || []).forEach(function (c) { codes.add(c); });
    });
    countrySelect.replaceChildren();
    const any = document.createElement("option");
    any.value = "";
    any.textContent = "any";
    countrySelect.append(any);
    Array.from(codes).sort().forEach(function (code) {
      const option = document.createElement("option");
      option.value = code;
      option.textContent = code;
      countrySelect.append(option);
    });
    countrySelect.value = codes.has(chosen) ? chosen : "";
  }

  function applyFilters() {
    const form = new FormData(filters);
    const kinds = new Set(form.getAll("kind"));
    const country = form.get("country");
    const sensitivity = form.get("sensitivity");
    cy.nodes("[!zone_box]").forEach(function (node) {
      const kind = node.data("kind");
      let show = kinds.has(kind) || node.data("centre");
      if (show && country && kind === "service") {
        show = (node.data("countries") || []).indexOf(country) >= 0;
      }
      if (show && country && kind === "country") {
        show = node.id() === "country:" + country.toLowerCase();
      }
      if (show && sensitivity && (kind === "service" || kind === "data category")) {
        show = node.data("sensitivity") === sensitivity;
      }
      node.toggleClass("filtered", !show);
    });
    cy.nodes("[?zone_box]").forEach(function (zone) {
      zone.toggleClass("filtered", zone.children().filter(visible).empty());
    });
    refreshList();
    // only what is shown takes part in the layout: the nodes, and the edges between them
    const shown = cy.nodes().not(".filtered");
    const links = shown.connectedEdges().filter(function (edge) {
      return visible(edge.source()) && visible(edge.target());
    });
    shown.union(links).layout(
      { name: "dagre", rankDir: "LR", nodeSep: 12, rankSep: 80, animate: false, fit: true }
    ).run();
  }

  filters.addEventListener("change", applyFilters);
  filters.addEventListener("submit", function (event) { event.preventDefault(); });
  cy.on("tap", "node[!zone_box]", function (event) { select(event.target); });
  cy.on("dbltap", "node[!zone_box][!aggregate]", function (event) {
    window.location.href = nodeUrl(event.target.id());
  });
  expand(box.dataset.centre);
})();
