// The confirmation card as one self-contained HTML file (an MCP App, text/html;profile=mcp-app):
// card-app.ts and what it imports (ext-apps' App, the MCP client's Protocol, zod) bundled by
// esbuild into one inline script, one inline style, and a Content-Security-Policy that allows
// exactly those two (by hash) and nothing else — no network, no frames, no forms, no other
// script. relay/build.mjs serves it to the relay's bundle as the module
// `virtual:hospiai-confirmation-card` (relay/card/virtual-card.d.ts), which only `serve` loads.
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export const CARD_MODULE = 'virtual:hospiai-confirmation-card';

const STYLE = `:root{color-scheme:light dark;font-family:var(--font-sans,system-ui,sans-serif);color:var(--color-text-primary,#1c1c1e);background:transparent}
body{margin:0;padding:16px;font-size:15px;line-height:1.45}
h1{font-size:17px;margin:0 0 10px}
dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 12px;margin:0 0 12px}
dt{color:var(--color-text-secondary,#5c5c66)}
dd{margin:0;overflow-wrap:anywhere}
.note,.sentence{margin:0 0 12px;overflow-wrap:anywhere;white-space:pre-line}
.note{color:var(--color-text-secondary,#5c5c66);font-size:13px}
button{font:inherit;font-weight:600;padding:8px 16px;border-radius:8px;border:0;cursor:pointer;background:#0b5cad;color:#fff}
button:focus-visible{outline:3px solid #7fb2e5;outline-offset:2px}
.problem{margin:12px 0 0}
.link{display:block;user-select:all;overflow-wrap:anywhere;font-family:ui-monospace,monospace;font-size:13px}`;

const hash = (text) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** The card's HTML; `plugins` are the relay's own esbuild plugins (zod without its locales). */
export async function buildConfirmationCardHtml({ plugins = [] } = {}) {
  const built = await build({
    entryPoints: [fileURLToPath(new URL('./card-app.ts', import.meta.url))],
    bundle: true,
    write: false,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    plugins,
    tsconfigRaw: {
      compilerOptions: { strict: true, verbatimModuleSyntax: true, target: 'ESNext' },
    },
    logLevel: 'warning',
  });
  // Inside an inline script, `</script` would end it: written `<\/script` (same string in JS).
  const script = built.outputFiles[0].text.trim().replace(/<\/(script)/gi, '<\\/$1');
  const csp = [
    "default-src 'none'",
    `script-src ${hash(script)}`,
    `style-src ${hash(STYLE)}`,
    "img-src 'none'",
    "connect-src 'none'",
    "frame-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  return `<!doctype html>
<html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${csp}"><meta name="viewport" content="width=device-width,initial-scale=1"><title>HospiAI</title><style>${STYLE}</style></head>
<body><main id="card" aria-live="polite"></main><script>${script}</script></body></html>
`;
}

/** esbuild plugin: `import html from 'virtual:hospiai-confirmation-card'` gives the card's HTML. */
export function confirmationCardModule({ plugins = [] } = {}) {
  return {
    name: 'confirmation-card',
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter: /^virtual:hospiai-confirmation-card$/ }, () => ({
        path: CARD_MODULE,
        namespace: 'confirmation-card',
      }));
      pluginBuild.onLoad({ filter: /.*/, namespace: 'confirmation-card' }, async () => ({
        contents: `export default ${JSON.stringify(await buildConfirmationCardHtml({ plugins }))};`,
        loader: 'js',
        watchFiles: [fileURLToPath(new URL('./card-app.ts', import.meta.url))],
      }));
    },
  };
}
