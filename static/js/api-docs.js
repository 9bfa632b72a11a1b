// Swagger UI on request: its stylesheet and scripts (ninja's, from this site) are
// added when the reader presses the button, in order, as ninja's own page loads them.
// The page above it is the documentation and needs none of this.
const start = document.getElementById("swagger-start");
const host = document.getElementById("swagger-ui");
if (start && host) {
  start.parentElement.hidden = false;
  start.addEventListener("click", () => {
    start.disabled = true;
    start.textContent = "Loading Swagger UI…";
    const sheet = document.createElement("link");
    sheet.rel = "stylesheet";
    sheet.href = host.dataset.css;
    document.head.append(sheet);
    for (const address of host.dataset.scripts.split(" ")) {
      const script = document.createElement("script");
      script.src = address;
      // Scripts added by a script run as soon as they arrive unless told otherwise.
      script.async = false;
      document.body.append(script);
    }
    // Swagger UI names a parameter's field only by the cell beside it, and its
    // sideways-scrolling examples cannot be reached from the keyboard, and its copy
    // buttons have no name: all repaired
    // as it draws them.
    const repair = () => {
      for (const row of host.querySelectorAll("tr[data-param-name]")) {
        for (const field of row.querySelectorAll("select, input, textarea")) {
          if (!field.hasAttribute("aria-label")) field.setAttribute("aria-label", row.dataset.paramName);
        }
      }
      for (const block of host.querySelectorAll("pre.microlight:not([tabindex])")) {
        block.tabIndex = 0;
      }
      for (const button of host.querySelectorAll(".copy-to-clipboard button:not([aria-label])")) {
        button.setAttribute("aria-label", "Copy to the clipboard");
      }
    };
    new MutationObserver(repair).observe(host, { childList: true, subtree: true });
    const observer = new MutationObserver(() => {
      if (host.querySelector(".opblock")) {
        observer.disconnect();
        start.parentElement.hidden = true;
        // The button that had the focus is gone: the focus goes to what replaced it.
        host.tabIndex = -1;
        host.focus();
      }
    });
    observer.observe(host, { childList: true, subtree: true });
  });
}
