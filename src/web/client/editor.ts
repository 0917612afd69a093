// Progressive enhancement of the fiche editor: each section's count of filled fields follows the
// typing, the budget the catalogue will read shows under the resources text as it is written,
// and the draft saves itself every 30 s while it has changes. Without the script, the counts
// are those of the last save and « Enregistrer le brouillon » saves.

import { budgetPreview } from '../../budgets/summary.js';
import { progressText } from '../../publishing/editor-sections.js';

const AUTOSAVE_MS = 30_000;
const PREVIEW_DELAY_MS = 300;

function isFilled(field: HTMLElement): boolean {
  return [...field.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('input, textarea')].some((input) =>
    input instanceof HTMLInputElement && (input.type === 'checkbox' || input.type === 'radio')
      ? input.checked && input.value !== ''
      : input.value.trim() !== '',
  );
}

function updateProgress(form: HTMLFormElement): void {
  for (const section of form.querySelectorAll<HTMLElement>('[data-section]')) {
    // A field hidden because it does not apply (« Raisons… » before Terminée) does not count.
    const fields = [...section.querySelectorAll<HTMLElement>('[data-field]')].filter((f) => !f.hidden);
    const text = progressText({ filled: fields.filter(isFilled).length, total: fields.length });
    for (const label of document.querySelectorAll<HTMLElement>(`[data-progress-of="${section.id}"]`)) {
      label.textContent = text;
    }
  }
}

function watchBudget(form: HTMLFormElement): void {
  for (const preview of form.querySelectorAll<HTMLElement>('[data-budget-of]')) {
    const area = document.getElementById(preview.dataset.budgetOf ?? '') as HTMLTextAreaElement | null;
    if (!area) continue;
    let timer: ReturnType<typeof setTimeout> | undefined;
    area.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        preview.textContent = budgetPreview(area.value);
      }, PREVIEW_DELAY_MS);
    });
  }
}

const timeFormat = new Intl.DateTimeFormat('fr-FR', { hour: 'numeric', minute: '2-digit' });

/**
 * Saves the draft in the background every 30 s while it has changes, at the version the form
 * was opened at: when someone else saved since, the server refuses and nothing is overwritten;
 * the author is told, and the autosave stops until they save by hand.
 */
function autosave(form: HTMLFormElement, status: HTMLElement): void {
  const url = form.dataset.autosave as string;
  const version = form.querySelector<HTMLInputElement>('input[name="version"]');
  let dirty = false;
  let stopped = false;
  form.addEventListener('input', () => {
    dirty = true;
  });
  form.addEventListener('change', () => {
    dirty = true;
  });
  const tick = async () => {
    if (!dirty || stopped || !version) return;
    dirty = false;
    const body = new URLSearchParams();
    for (const [name, value] of new FormData(form)) if (typeof value === 'string') body.append(name, value);
    try {
      const response = await fetch(url, { method: 'POST', body, headers: { accept: 'application/json' } });
      // An error page (a session expired, the fiche gone) is HTML: said in general terms.
      const answer = (await response.json().catch(() => ({}))) as { version?: number; message?: string };
      if (response.ok && answer.version !== undefined) {
        version.value = String(answer.version);
        status.textContent = `Brouillon enregistré automatiquement à ${timeFormat.format(new Date())}.`;
        return;
      }
      if (response.status === 409) stopped = true;
      else dirty = true;
      status.textContent = answer.message ?? 'Le brouillon n’a pas pu être enregistré automatiquement.';
    } catch {
      dirty = true;
      status.textContent = 'Connexion perdue : le brouillon sera enregistré dès qu’elle reviendra.';
    }
  };
  setInterval(() => void tick(), AUTOSAVE_MS);
}

/**
 * Suggestions for the new fiche's structure, from the structures' API, as a part of the name
 * is typed: the browser shows them under the field and the server reads the one chosen.
 */
function suggestStructures(input: HTMLInputElement): void {
  const list = document.getElementById(input.getAttribute('list') ?? '');
  if (!list) return;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let asked = '';
  input.addEventListener('input', () => {
    clearTimeout(timer);
    const q = input.value.trim();
    if (q.length < 2 || q === asked || /\(\w{2,3}\)$/.test(q)) return;
    timer = setTimeout(async () => {
      asked = q;
      const response = await fetch(`/api/v1/structures?${new URLSearchParams({ q, perPage: '15' })}`);
      if (!response.ok) return;
      const { items } = (await response.json()) as { items: Array<{ name: string; department: { code: string } }> };
      list.replaceChildren(
        ...items.map((s) =>
          Object.assign(document.createElement('option'), { value: `${s.name} (${s.department.code})` }),
        ),
      );
    }, PREVIEW_DELAY_MS);
  });
}

/** Enhances the editor form, when the page has one. */
export function enhanceEditor(): void {
  const form = document.querySelector<HTMLFormElement>('form.editor');
  if (!form) return;
  const update = () => updateProgress(form);
  form.addEventListener('input', update);
  form.addEventListener('change', () => setTimeout(update));
  watchBudget(form);
  const structure = form.querySelector<HTMLInputElement>('input[data-structure-search]');
  if (structure) suggestStructures(structure);
  const status = document.getElementById('autosave-status');
  if (form.dataset.autosave && status) autosave(form, status);
}
