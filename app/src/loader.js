// The one script every page runs, inline in the head with the response's
// nonce. Pages are plain HTML whose forms post; this adds two things.
//
// 1. What was typed survives a refused form. A refused post comes back to
//    its page with `?__path=<form action>&__err=…` and the server's blank
//    form; the fields are kept in this tab's sessionStorage on submit and
//    put back once the page is parsed. Passwords and files are never kept,
//    and whatever was kept is dropped at the next page load. A field typed
//    into before that keeps what was typed, even when it equals the blank
//    form's value: this script runs before the body is parsed and notes
//    every field that gets input from then on.
{
  const KEY = 'houvast-form';
  const typed = new WeakSet();
  const note = (event) => typed.add(event.target);
  addEventListener('input', note, true);
  addEventListener('change', note, true);
  const untouched = (field) =>
    !typed.has(field) &&
    (field.localName === 'select'
      ? [...field.options].every((option) => option.selected === option.defaultSelected)
      : field.type === 'checkbox' || field.type === 'radio'
        ? field.checked === field.defaultChecked
        : field.value === field.defaultValue);
  const kept = sessionStorage.getItem(KEY);
  sessionStorage.removeItem(KEY);

  const restore = () => {
    const query = new URLSearchParams(location.search);
    if (!kept || !query.has('__err')) return;
    const { action, fields } = JSON.parse(kept);
    const form = action === query.get('__path') && document.querySelector(`form[action="${CSS.escape(action)}"]`);
    if (!form) return;
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
  };

  const keepOnSubmit = () => {
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
  };

  // 2. Islands, the interactive parts, come to life: only on a page that
  //    has one is the browser bundle loaded. Each island's hydration
  //    function is exported under its `data-component` name.
  const wakeIslands = async () => {
    const islands = document.querySelectorAll('leptos-island');
    if (islands.length === 0) return;
    const bundle = await import(`${PKG}.js`);
    await bundle.default({ module_or_path: `${PKG}_bg.wasm` });
    bundle.hydrate();
    for (const island of islands) {
      const hydrate = bundle[island.dataset.component];
      if (hydrate) hydrate(island);
      else console.error(`No island ${island.dataset.component} in the bundle`);
    }
  };

  const ready = () => {
    restore();
    keepOnSubmit();
    wakeIslands();
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', ready, { once: true });
  else ready();
}
