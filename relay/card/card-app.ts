/**
 * The confirmation card's script, run by the AI host in its sandboxed frame (an MCP App, through
 * `@modelcontextprotocol/ext-apps`' App): it takes the tool result the host sends, shows what
 * card-view.ts makes of it — with `textContent` only — and its one button asks the host to open
 * HospiAI's confirmation page (`ui/open-link`). The card itself can confirm nothing: the yes is
 * given on the page, in the browser where the patient signed in. Bundled into the card's one
 * HTML file by card-html.mjs.
 */
import { App, applyDocumentTheme, type McpUiHostContext } from '@modelcontextprotocol/ext-apps';
import { type DisplayLang, displayLangOf } from '../protocol/appointment-time';
import { RELAY_VERSION } from '../version';
import { type CardView, cardText, cardViewOf } from './card-view';

const root = document.getElementById('card') as HTMLElement;
const app = new App({ name: 'HospiAI confirmation card', version: RELAY_VERSION }, {});

let shown: { result: unknown } | null = null;

function lang(): DisplayLang {
  return displayLangOf(app.getHostContext()?.locale ?? navigator.language ?? 'en');
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function render(view: CardView | { kind: 'waiting' }): void {
  document.documentElement.lang = lang();
  const text = cardText(lang());
  if (view.kind === 'waiting') {
    root.replaceChildren(element('p', text.waiting, 'sentence'));
    return;
  }
  if (view.kind === 'sentence') {
    root.replaceChildren(element('p', view.text, 'sentence'));
    return;
  }
  const details = element('dl');
  for (const line of view.lines)
    details.append(element('dt', line.label), element('dd', line.text));
  const button = element('button', view.button);
  button.type = 'button';
  const problem = element('p', undefined, 'problem');
  problem.hidden = true;
  button.addEventListener('click', () => {
    void openPage(view.url, problem, text.notOpened);
  });
  root.replaceChildren(
    element('h1', view.headline),
    details,
    element('p', view.note, 'note'),
    button,
    problem,
  );
}

/** Asks the host to open the page; if it will not, the link is shown to copy (as text). */
async function openPage(url: string, problem: HTMLElement, sentence: string): Promise<void> {
  const opened = await app.openLink({ url }).catch(() => ({ isError: true }));
  if (!opened.isError) return;
  problem.replaceChildren(element('span', sentence), element('span', url, 'link'));
  problem.hidden = false;
}

function show(result: unknown): void {
  shown = { result };
  render(cardViewOf(result, lang()));
}

function applyContext(context: McpUiHostContext | undefined): void {
  if (context?.theme) applyDocumentTheme(context.theme);
}

app.ontoolresult = (result) => show(result);
app.ontoolcancelled = () => render({ kind: 'sentence', text: cardText(lang()).nothingDone });
app.onhostcontextchanged = (context) => {
  applyContext(context);
  // The locale may have changed: the same result, in the host's language now.
  if (shown) show(shown.result);
};

render({ kind: 'waiting' });
void app.connect().then(() => {
  applyContext(app.getHostContext());
  if (shown) show(shown.result);
  else render({ kind: 'waiting' });
});
