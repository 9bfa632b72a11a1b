// Progressive enhancement of the claim list's "About" box. Without JavaScript it is a
// text box: the name typed is looked up when the form is sent. With it, it becomes a
// combobox (WAI-ARIA 1.2, list autocomplete): suggestions come from the JSON lookup as
// the reader types, arrow keys move through them, Enter or a click picks one, Escape
// closes the list. A picked person is sent as their slug, so the address names exactly
// that person even when two share a name.
document.querySelectorAll("input[data-lookup-url]").forEach((input) => {
  const form = input.form;
  const listId = `${input.id}-suggestions`;
  const list = document.createElement("ul");
  list.id = listId;
  list.className = "subject-lookup__list";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", "Suggested people and organisations");
  list.hidden = true;
  const status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  input.after(list, status);

  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-controls", listId);
  input.setAttribute("aria-expanded", "false");

  // The person the box holds: set by the page when the list is filtered by one,
  // and by picking a suggestion. Typing anything else forgets it.
  let picked = input.dataset.slug ? { slug: input.dataset.slug, name: input.dataset.name } : null;
  let options = [];
  let results = [];
  let active = -1;
  let timer = null;
  let controller = null;

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function highlight(index) {
    options.forEach((option, i) => option.setAttribute("aria-selected", String(i === index)));
    active = index;
    if (index >= 0) {
      input.setAttribute("aria-activedescendant", options[index].id);
      options[index].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function pick(result) {
    picked = result;
    input.value = result.name;
    close();
    status.textContent = `${result.name} chosen.`;
  }

  function show(query, found) {
    results = found;
    list.replaceChildren();
    options = results.map((result, i) => {
      const option = document.createElement("li");
      option.id = `${listId}-${i}`;
      option.className = "subject-lookup__option";
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.textContent = result.name;
      const detail = document.createElement("small");
      detail.textContent = result.other_name
        ? `${result.kind}, also known as ${result.other_name}`
        : result.kind;
      option.append(detail);
      // mousedown, not click: it comes before the box loses focus.
      option.addEventListener("mousedown", (event) => {
        event.preventDefault();
        pick(result);
      });
      list.append(option);
      return option;
    });
    active = -1;
    const open = results.length > 0;
    list.hidden = !open;
    input.setAttribute("aria-expanded", String(open));
    status.textContent = open
      ? `${results.length} ${results.length === 1 ? "suggestion" : "suggestions"}; use the arrow keys to choose.`
      : `No one recorded matches “${query}”.`;
  }

  async function lookup() {
    const query = input.value.trim();
    if (query.length < 2) {
      close();
      return;
    }
    if (controller) controller.abort();
    controller = new AbortController();
    try {
      const url = `${input.dataset.lookupUrl}?q=${encodeURIComponent(query)}`;
      const response = await fetch(url, { signal: controller.signal, headers: { Accept: "application/json" } });
      if (!response.ok) return;
      const data = await response.json();
      if (input.value.trim() === query) show(query, data.results);
    } catch (error) {
      if (error.name !== "AbortError") close();
    }
  }

  input.addEventListener("input", () => {
    if (picked && input.value !== picked.name) picked = null;
    clearTimeout(timer);
    timer = setTimeout(lookup, 150);
  });

  input.addEventListener("keydown", (event) => {
    const open = !list.hidden && options.length > 0;
    if (event.key === "ArrowDown") {
      event.preventDefault();
      if (!open) lookup();
      else highlight((active + 1) % options.length);
    } else if (event.key === "ArrowUp" && open) {
      event.preventDefault();
      highlight((active - 1 + options.length) % options.length);
    } else if (event.key === "Enter" && open && active >= 0) {
      event.preventDefault();
      pick(results[active]);
    } else if (event.key === "Escape" && open) {
      event.preventDefault();
      close();
    }
  });

  input.addEventListener("blur", close);

  // Send the picked person's slug; the box keeps showing their name.
  form.addEventListener("submit", () => {
    if (!picked || input.value !== picked.name) return;
    const hidden = document.createElement("input");
    hidden.type = "hidden";
    hidden.name = input.name;
    hidden.value = picked.slug;
    hidden.dataset.subjectSlug = "";
    input.removeAttribute("name");
    form.append(hidden);
  });

  // Coming back to the page from the history, give the box its name back.
  window.addEventListener("pageshow", () => {
    form.querySelectorAll("input[data-subject-slug]").forEach((hidden) => hidden.remove());
    if (!input.name) input.name = "subject";
  });
});
