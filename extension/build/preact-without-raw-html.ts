/**
 * Build-time only (a Vite plugin of wxt.config.ts; nothing here runs in the extension).
 *
 * Preact's diff holds one write of raw HTML, `dom.innerHTML = props.dangerouslySetInnerHTML.__html`,
 * and Mozilla's addons-linter flags it (UNSAFE_VAR_ASSIGNMENT) in every bundle that has Preact.
 * The extension never renders raw HTML: every string it shows (portal data, AI client names,
 * relay messages) goes through Preact's text nodes. So the write is taken out of the bundle: a
 * `dangerouslySetInnerHTML` now throws instead of parsing HTML, which turns the rule "no raw HTML
 * in the extension's pages" from a convention into a property of the build, and leaves the
 * store packages with no innerHTML write for a reviewer to ask about.
 *
 * The match is on Preact's minified dist (pinned in package.json): it must find the write exactly
 * once, else the build fails, so that a Preact upgrade that reshapes the code is noticed here
 * rather than as a linter warning, or not at all.
 */

/** The module Preact's package exports as `preact` (its `exports["."].default`). */
const PREACT_MODULE = /\/node_modules\/preact\/dist\/preact\.mjs$/;

/** `t.innerHTML=h.__html`: the write, as it stands in Preact's minified diff. */
const RAW_HTML_WRITE = /[\w$]+\.innerHTML=[\w$]+\.__html/g;

const REFUSAL =
  '(()=>{throw new TypeError("dangerouslySetInnerHTML is disabled: HospiAI renders no raw HTML")})()';

/** Preact's source with its one raw-HTML write replaced by a throw; fails if it is not there once. */
export function withoutRawHtmlWrite(code: string): string {
  const writes = code.match(RAW_HTML_WRITE)?.length ?? 0;
  if (writes !== 1) {
    throw new Error(
      `preact-without-raw-html: expected Preact's one innerHTML write, found ${writes}; ` +
        'Preact changed: update extension/build/preact-without-raw-html.ts',
    );
  }
  return code.replace(RAW_HTML_WRITE, REFUSAL);
}

/** Whether a Vite module id (maybe with a query, maybe a Windows path) is Preact's module. */
export function isPreactModule(id: string): boolean {
  return PREACT_MODULE.test((id.split('?')[0] ?? '').replaceAll('\\', '/'));
}

export function preactWithoutRawHtml() {
  return {
    name: 'hospiai:preact-without-raw-html',
    enforce: 'pre' as const,
    transform(code: string, id: string): string | undefined {
      return isPreactModule(id) ? withoutRawHtmlWrite(code) : undefined;
    },
  };
}
