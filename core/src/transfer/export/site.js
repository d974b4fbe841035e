// The published timeline's only script: it filters the chronology by kind and by words, and keeps the
// strip in step. It reads the page and toggles `hidden` and classes; it never writes markup and
// fetches nothing.
'use strict';
(function () {
  const form = document.getElementById('filters');
  if (!form) return;
  const entries = Array.from(document.querySelectorAll('li.entry'));
  const marks = new Map(Array.from(document.querySelectorAll('.strip .mark')).map((m) => [m.dataset.entry, m]));
  const texts = new Map(entries.map((e) => [e, e.textContent.toLocaleLowerCase()]));
  const shown = form.elements.namedItem('shown');

  function apply() {
    const kinds = new Set(
      Array.from(form.querySelectorAll('input[name="kind"]'))
        .filter((box) => box.checked)
        .map((box) => box.value),
    );
    const words = form.elements.namedItem('words').value.toLocaleLowerCase().split(/\s+/).filter(Boolean);
    let count = 0;
    for (const entry of entries) {
      const text = texts.get(entry);
      const visible = kinds.has(entry.dataset.kind) && words.every((w) => text.includes(w));
      entry.hidden = !visible;
      const mark = marks.get(entry.id);
      if (mark) mark.classList.toggle('filtered', !visible);
      if (visible) count += 1;
    }
    shown.value = String(count);
  }

  form.addEventListener('input', apply);
  form.addEventListener('submit', (event) => event.preventDefault());
  for (const [id, mark] of marks) {
    const entry = document.getElementById(id);
    mark.addEventListener('mouseenter', () => entry && entry.classList.add('current'));
    mark.addEventListener('mouseleave', () => entry && entry.classList.remove('current'));
  }
  form.hidden = false;
  apply();
})();
