// Progressive enhancement: the citation is a readonly text field anyone can select and
// copy; where the browser offers the clipboard, a button copies it in one press.
document.querySelectorAll("[data-copy-target]").forEach((button) => {
  const target = document.getElementById(button.dataset.copyTarget);
  const status = button.parentElement.querySelector("[role=status]");
  if (!target || !navigator.clipboard) return;
  button.hidden = false;
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(target.value);
      if (status) status.textContent = "Copied.";
    } catch {
      target.select();
      if (status) status.textContent = "Press Ctrl+C (or ⌘C) to copy the selected citation.";
    }
  });
});
