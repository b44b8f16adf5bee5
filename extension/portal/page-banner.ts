/**
 * The extension's own panel on a portal page (consent on the dashboard, the capture offer on
 * the Tokens API page). It lives in a closed shadow root, so page scripts cannot read or
 * restyle it, and only trusted clicks (a real user's, never `element.click()` from a script)
 * count as an answer.
 */
import { t } from '../i18n/t';

export interface BannerChoice {
  scope: string;
  label: string;
  checked: boolean;
}

export interface BannerOptions {
  id: string;
  title: string;
  paragraphs: string[];
  /** Scope checkboxes; the primary button needs at least one ticked. */
  choices?: BannerChoice[];
  /** One more yes/no choice under the scopes (e.g. "read without asking me each time"). */
  toggle?: { label: string; checked: boolean };
  primaryLabel: string;
  secondaryLabel: string;
  onPrimary: (scopes: string[], toggled: boolean) => void;
  onSecondary: () => void;
}

export interface Banner {
  remove(): void;
  setStatus(text: string): void;
}

const STYLE = `
:host{all:initial}
.panel{position:fixed;right:16px;bottom:16px;z-index:2147483647;max-width:380px;box-sizing:border-box;
  font:14px/1.45 system-ui,sans-serif;color:#14202b;background:#fff;border:2px solid #0b5cad;
  border-radius:10px;padding:14px 16px;box-shadow:0 6px 24px rgba(0,0,0,.25)}
h2{font-size:16px;margin:0 0 6px}p{margin:0 0 8px}
fieldset{border:1px solid #9aa9b8;border-radius:6px;margin:8px 0;padding:6px 10px}
legend{font-weight:600;padding:0 4px}label{display:block;margin:4px 0}
.actions{display:flex;gap:8px;justify-content:flex-end;margin-top:10px}
button{font:inherit;padding:6px 12px;border-radius:6px;border:1px solid #0b5cad;cursor:pointer}
.primary{background:#0b5cad;color:#fff}.secondary{background:#fff;color:#0b5cad}
button:focus-visible,input:focus-visible{outline:3px solid #f4b400;outline-offset:2px}
button:disabled{opacity:.55;cursor:not-allowed}.status{margin-top:8px;font-weight:600}
`;

export function showBanner(doc: Document, options: BannerOptions): Banner {
  doc.getElementById(options.id)?.remove();
  const host = doc.createElement('div');
  host.id = options.id;
  const root = host.attachShadow({ mode: 'closed' });
  applyStyle(root, doc);

  const panel = el(doc, 'section', { class: 'panel', role: 'region', 'aria-label': options.title });
  panel.append(el(doc, 'h2', {}, options.title));
  for (const text of options.paragraphs) panel.append(el(doc, 'p', {}, text));

  const boxes: HTMLInputElement[] = [];
  if (options.choices?.length) {
    const fieldset = el(doc, 'fieldset');
    fieldset.append(el(doc, 'legend', {}, t('consent_scopes_legend')));
    for (const choice of options.choices) {
      const box = el(doc, 'input', { type: 'checkbox', value: choice.scope }) as HTMLInputElement;
      box.checked = choice.checked;
      boxes.push(box);
      const label = el(doc, 'label');
      label.append(box, ` ${choice.label}`);
      fieldset.append(label);
    }
    panel.append(fieldset);
  }

  let toggleBox: HTMLInputElement | null = null;
  if (options.toggle) {
    toggleBox = el(doc, 'input', { type: 'checkbox', id: 'toggle' }) as HTMLInputElement;
    toggleBox.checked = options.toggle.checked;
    const label = el(doc, 'label');
    label.append(toggleBox, ` ${options.toggle.label}`);
    panel.append(label);
  }

  const status = el(doc, 'p', { class: 'status', role: 'status', 'aria-live': 'polite' });
  const primary = el(doc, 'button', { type: 'button', class: 'primary' }, options.primaryLabel);
  const secondary = el(
    doc,
    'button',
    { type: 'button', class: 'secondary' },
    options.secondaryLabel,
  );
  const chosen = () => boxes.filter((box) => box.checked).map((box) => box.value);
  const refresh = () => {
    (primary as HTMLButtonElement).disabled = boxes.length > 0 && chosen().length === 0;
  };
  for (const box of boxes) box.addEventListener('change', refresh);
  refresh();

  primary.addEventListener('click', (event) => {
    if (!event.isTrusted) return;
    options.onPrimary(boxes.length ? chosen() : [], toggleBox?.checked ?? false);
  });
  secondary.addEventListener('click', (event) => {
    if (!event.isTrusted) return;
    options.onSecondary();
  });
  const actions = el(doc, 'div', { class: 'actions' });
  actions.append(secondary, primary);
  panel.append(actions, status);
  root.append(panel);
  doc.body.append(host);

  return {
    remove: () => host.remove(),
    setStatus: (text) => {
      status.textContent = text;
    },
  };
}

function el(
  doc: Document,
  tag: string,
  attributes: Record<string, string> = {},
  text?: string,
): HTMLElement {
  const element = doc.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  if (text !== undefined) element.textContent = text;
  return element;
}

/** A constructed stylesheet is not subject to the page's `style-src`; `<style>` is the fallback. */
function applyStyle(root: ShadowRoot, doc: Document): void {
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(STYLE);
    root.adoptedStyleSheets = [sheet];
  } catch {
    root.append(el(doc, 'style', {}, STYLE));
  }
}
