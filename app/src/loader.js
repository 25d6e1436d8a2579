// The one script every page runs, inline with the response's nonce. Pages
// are plain HTML whose forms post; this adds two things.
//
// 1. What was typed survives a refused form. A refused post comes back to
//    its page with `?__path=<form action>&__err=…` and the server's blank
//    form; the fields are kept in this tab's sessionStorage on submit and
//    put back then. Passwords and files are never kept, and whatever was
//    kept is dropped at the next page load. This script runs once the page
//    is parsed: a field changed before that keeps what was typed into it.
const KEY = 'houvast-form';
const untouched = (field) =>
  field.localName === 'select'
    ? [...field.options].every((option) => option.selected === option.defaultSelected)
    : field.type === 'checkbox' || field.type === 'radio'
      ? field.checked === field.defaultChecked
      : field.value === field.defaultValue;
const kept = sessionStorage.getItem(KEY);
sessionStorage.removeItem(KEY);
const query = new URLSearchParams(location.search);
if (kept && query.has('__err')) {
  const { action, fields } = JSON.parse(kept);
  const form = action === query.get('__path') && document.querySelector(`form[action="${CSS.escape(action)}"]`);
  if (form) {
    for (const [name, value, checked] of fields) {
      for (const field of form.querySelectorAll(`[name="${CSS.escape(name)}"]`)) {
        if (!untouched(field)) continue;
        if (field.type === 'checkbox' || field.type === 'radio') {
          if (field.value === value) field.checked = checked;
        } else {
          field.value = value;
        }
      }
    }
  }
}
for (const form of document.querySelectorAll('form[method="post"]')) {
  form.addEventListener('submit', () => {
    const fields = [];
    for (const field of form.elements) {
      if (!field.name || ['password', 'file', 'hidden', 'submit', 'button'].includes(field.type)) continue;
      const choice = field.type === 'checkbox' || field.type === 'radio';
      fields.push([field.name, field.value, choice ? field.checked : null]);
    }
    sessionStorage.setItem(KEY, JSON.stringify({ action: form.getAttribute('action'), fields }));
  });
}

// 2. Islands, the interactive parts, come to life: only on a page that has
//    one is the browser bundle loaded. Each island's hydration function is
//    exported under its `data-component` name.
const islands = document.querySelectorAll('leptos-island');
if (islands.length > 0) {
  const bundle = await import(`${PKG}.js`);
  await bundle.default({ module_or_path: `${PKG}_bg.wasm` });
  bundle.hydrate();
  for (const island of islands) {
    const hydrate = bundle[island.dataset.component];
    if (hydrate) hydrate(island);
    else console.error(`No island ${island.dataset.component} in the bundle`);
  }
}
