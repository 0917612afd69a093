import { enhanceEditor } from './editor.js';

// Progressive enhancement of the search pages: without this script they work as plain forms
// and links; with it, results follow the facets and the typing without a full reload, the
// address keeps the whole search state, and the focus stays where the user left it.

const TYPING_DELAY_MS = 350;
const NARROW_SCREEN = '(max-width: 47.99rem)';

type HistoryMode = 'push' | 'replace' | 'none';

function formUrl(form: HTMLFormElement): string {
  const params = new URLSearchParams();
  for (const [name, value] of new FormData(form)) {
    if (typeof value === 'string' && value.trim() !== '') params.append(name, value);
  }
  const query = params.toString();
  const path = new URL(form.action, location.href).pathname;
  return query ? `${path}?${query}` : path;
}

/** After new results: focus their heading when asked, else the element that had the focus, if it is still there. */
function restoreFocus(focusedId: string | undefined, focusResults: boolean): void {
  const heading = document.getElementById('resultats-titre');
  if (focusResults && heading) {
    heading.setAttribute('tabindex', '-1');
    heading.focus();
    heading.scrollIntoView({ block: 'start' });
    return;
  }
  if (!focusedId || document.activeElement?.id === focusedId) return;
  const element = document.getElementById(focusedId);
  if (element) element.focus();
  else if (heading) {
    heading.setAttribute('tabindex', '-1');
    heading.focus();
  }
}

/** The address of a plain click on a link of the results to another page of this search, else null. */
function resultsLink(event: MouseEvent, form: HTMLFormElement, results: HTMLElement | null): string | null {
  const link = (event.target as HTMLElement).closest('a');
  if (!link || !results?.contains(link) || event.ctrlKey || event.metaKey || event.shiftKey) return null;
  const target = new URL(link.href);
  if (target.origin !== location.origin || target.pathname !== new URL(form.action).pathname) return null;
  return target.pathname + target.search;
}

/** The page around new results: the query shown, the title, the status read out. */
function syncPage(doc: Document, input: HTMLInputElement | null, status: HTMLElement | null): void {
  // The text being typed stays as typed; otherwise show the query of the results shown.
  if (input && document.activeElement !== input) {
    input.value = doc.querySelector<HTMLInputElement>('input[name="q"]')?.value ?? '';
  }
  document.title = doc.title;
  if (status) status.textContent = doc.getElementById('search-status')?.textContent ?? '';
}

function enhance(form: HTMLFormElement): void {
  document.documentElement.classList.add('js');
  const input = form.querySelector<HTMLInputElement>('input[name="q"]');
  const status = document.getElementById('search-status');
  const region = () => form.querySelector<HTMLElement>('[data-results]');
  const facetsPanel = () => form.querySelector<HTMLDetailsElement>('details[data-facets]');
  let controller: AbortController | undefined;
  let timer: number | undefined;
  let typing = false;
  // On a phone the facets start folded, so that the results come first.
  if (matchMedia(NARROW_SCREEN).matches) facetsPanel()?.removeAttribute('open');
  async function load(url: string, mode: HistoryMode, focusResults = false): Promise<void> {
    // Whatever asked for results last wins, including over a search still waiting for the typing to stop.
    window.clearTimeout(timer);
    controller?.abort();
    controller = new AbortController();
    const focusedId = document.activeElement?.id;
    const panelOpen = facetsPanel()?.open;
    form.setAttribute('aria-busy', 'true');
    try {
      const response = await fetch(url, { signal: controller.signal, headers: { accept: 'text/html' } });
      const doc = new DOMParser().parseFromString(await response.text(), 'text/html');
      const next = doc.querySelector<HTMLElement>('form[data-search] [data-results]');
      const current = region();
      // An error page, or a page of another shape: let the browser show it as it is.
      if (!response.ok || !next || !current) {
        location.assign(url);
        return;
      }
      current.replaceWith(document.importNode(next, true));
      const nextPanel = facetsPanel();
      if (nextPanel && panelOpen !== undefined) nextPanel.open = panelOpen;
      // The same address twice would need two presses of "back" to leave it.
      if (mode === 'push' && url !== location.pathname + location.search) history.pushState({ search: true }, '', url);
      if (mode === 'replace') history.replaceState({ search: true }, '', url);
      syncPage(doc, input, status);
      restoreFocus(focusedId, focusResults);
    } catch (error) {
      if ((error as Error).name !== 'AbortError') location.assign(url);
    } finally {
      form.removeAttribute('aria-busy');
    }
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    typing = false;
    void load(formUrl(form), 'push', true);
  });

  form.addEventListener('change', (event) => {
    const target = event.target as HTMLElement;
    if (target === input) return;
    typing = false;
    void load(formUrl(form), 'push');
  });

  input?.addEventListener('input', () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => {
      // One history entry per search typed, not one per letter.
      void load(formUrl(form), typing ? 'replace' : 'push');
      typing = true;
    }, TYPING_DELAY_MS);
  });

  form.addEventListener('click', (event) => {
    const target = resultsLink(event, form, region());
    if (!target) return;
    event.preventDefault();
    typing = false;
    void load(target, 'push', true);
  });

  window.addEventListener('popstate', () => {
    typing = false;
    void load(location.pathname + location.search, 'none');
  });
}

const searchForm = document.querySelector<HTMLFormElement>('form[data-search]');
if (searchForm) enhance(searchForm);

// A refused form: take the reader to the list of what to fix, which links to each field.
document.querySelector<HTMLElement>('.error-summary')?.focus();

// "Raisons…" when the status is Terminée, "Précision" when "Autre" is ticked: hidden otherwise.
// Without the script every field shows, each with its hint saying when it applies.
for (const block of document.querySelectorAll<HTMLElement>('[data-show-if]')) {
  const [name, value] = (block.dataset.showIf ?? '').split('=');
  const form = block.closest('form');
  if (!form || !name) continue;
  const update = () => {
    const checked = [...form.querySelectorAll<HTMLInputElement>(`input[name="${name}"]`)].some(
      (input) => input.checked && input.value === value,
    );
    // Never hide a field that holds text or an error: nothing typed disappears from view.
    const filled = [...block.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('input, textarea')].some(
      (field) => field.value.trim() !== '' || field.getAttribute('aria-invalid') === 'true',
    );
    block.hidden = !checked && !filled;
  };
  form.addEventListener('change', update);
  update();
}

// A live character count under each long text.
for (const area of document.querySelectorAll<HTMLTextAreaElement>('textarea[data-maxlength]')) {
  const counter = document.getElementById(`${area.id}-compte`);
  const max = Number(area.dataset.maxlength);
  if (!counter) continue;
  const format = new Intl.NumberFormat('fr-FR');
  const update = () => {
    const n = area.value.length;
    counter.textContent = `${format.format(n)} / ${format.format(max)} caractères`;
    counter.classList.toggle('field-error', n > max);
  };
  area.addEventListener('input', update);
  update();
}

// Files over the size limit, or too many, are caught before minutes of upload; the server checks again.
for (const input of document.querySelectorAll<HTMLInputElement>('input[type="file"][data-max-bytes]')) {
  const maxBytes = Number(input.dataset.maxBytes);
  const maxFiles = Number(input.dataset.maxFiles);
  input.addEventListener('change', () => {
    const files = [...(input.files ?? [])];
    const tooLarge = files.filter((file) => file.size > maxBytes).map((file) => `« ${file.name} »`);
    let message = '';
    if (tooLarge.length > 0) {
      message = `${tooLarge.join(', ')} ${tooLarge.length > 1 ? 'dépassent' : 'dépasse'} 10 Mo, la taille maximale d’un fichier.`;
    } else if (files.length > maxFiles) {
      message = `Vous pouvez encore joindre ${maxFiles} fichier${maxFiles > 1 ? 's' : ''} à cette fiche, pas ${files.length}.`;
    }
    input.setCustomValidity(message.replace(/« /g, '«\u00a0').replace(/ »/g, '\u00a0»'));
    input.reportValidity();
  });
}

// The print button needs a script: without one it stays hidden and the browser's menu prints.
for (const button of document.querySelectorAll<HTMLButtonElement>('button[data-print]')) {
  button.hidden = false;
  button.addEventListener('click', () => window.print());
}

enhanceEditor();
