/* dataflyt explorer: keyboard helpers. "/" jumps to the search box; in search results the
   arrow keys move between the results. Names are only ever set as text. */
(function () {
  "use strict";

  function typing(target) {
    return target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement ||
      target instanceof HTMLSelectElement;
  }

  // a filter left at "any" stays out of the address, which a person may paste into a ticket
  document.addEventListener("htmx:configRequest", function (event) {
    const parameters = event.detail.parameters;
    Array.from(parameters.keys()).forEach(function (key) {
      if (parameters.get(key) === "") {
        parameters.delete(key);
      }
    });
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "/" && !typing(event.target) && !event.ctrlKey && !event.metaKey) {
      const box = document.getElementById("q") || document.getElementById("quick-search");
      if (box) {
        event.preventDefault();
        box.focus();
        box.select();
      }
      return;
    }
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") {
      return;
    }
    const results = document.getElementById("results");
    if (!results) {
      return;
    }
    const links = Array.from(results.querySelectorAll("a"));
    if (links.length === 0) {
      return;
    }
    const here = links.indexOf(document.activeElement);
    if (event.target === document.getElementById("q")) {
      if (event.key === "ArrowDown") {
        event.preventDefault();
        links[0].focus();
      }
      return;
    }
    if (here < 0) {
      return;
    }
    event.preventDefault();
    if (event.key === "ArrowDown") {
      links[Math.min(here + 1, links.length - 1)].focus();
    } else if (here === 0) {
      document.getElementById("q").focus();
    } else {
      links[here - 1].focus();
    }
  });
})();
