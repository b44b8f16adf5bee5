/**
 * The portal's HTML pages. The browser extension relies on this DOM contract — keep it exact:
 * `body[data-portal=hospiai][data-patient-id]` (logged in only), `span#patient-name`,
 * `main#dashboard`, `main#tokens-page`, `form#generate-token-form`,
 * `section#new-token > code#new-token-secret[data-token-id]`, `table#tokens tr[data-token-id]`
 * with a revoke form and `button[data-action=revoke]`. Generating redirects (303) back to
 * `/dashboard/tokens`, whose next view alone shows the secret.
 */
import type { Appointment } from './appointment-book';
import type { MedicalRecord, Patient } from './seed-data';
import type { TokenRecord } from './token-service';

const SCOPE_LABELS: Record<string, string> = {
  'read:data': 'Lire mes données (rendez-vous, dossier médical)',
  'write:data': 'Écrire des données',
  'book:appointments': 'Réserver et annuler des rendez-vous',
};

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

const longDate = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'full', timeZone: 'UTC' });
const dateTime = new Intl.DateTimeFormat('fr-FR', {
  dateStyle: 'short',
  timeStyle: 'short',
  timeZone: 'Europe/Paris',
});
const formatDay = (date: string) => longDate.format(new Date(`${date}T12:00:00Z`));
/** Machine-readable instant in `datetime`, human one in the text. */
const formatInstant = (iso: string | null) =>
  iso ? `<time datetime="${escapeHtml(iso)}">${dateTime.format(new Date(iso))}</time>` : 'jamais';

const STYLE = `
body{font-family:system-ui,sans-serif;margin:0;background:#f4f7fb;color:#1c2733}
header{display:flex;gap:1rem;align-items:center;padding:.75rem 1.5rem;background:#0b5cad;color:#fff}
header a{color:#fff}header .brand{font-weight:700;margin-right:auto}
header form{margin:0}main{max-width:60rem;margin:1.5rem auto;padding:0 1rem}
section{background:#fff;border-radius:8px;padding:1rem 1.25rem;margin-bottom:1rem;box-shadow:0 1px 3px #0002}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.4rem;border-bottom:1px solid #dde3ea}
label{display:block;margin:.4rem 0}.error{color:#b00020}
#new-token{border:2px solid #1a7f37}#new-token-secret{display:block;word-break:break-all;padding:.5rem;background:#eef6ee}
`;

function layout(title: string, content: string, patient?: Patient): string {
  const bodyAttributes = patient
    ? `data-portal="hospiai" data-patient-id="${escapeHtml(patient.id)}"`
    : 'data-portal="hospiai"';
  const nav = patient
    ? `<a href="/dashboard">Tableau de bord</a><a href="/dashboard/tokens">Tokens API</a>
<span id="patient-name">${escapeHtml(patient.name)}</span>
<form method="post" action="/api/auth/logout"><button type="submit" id="logout">Se déconnecter</button></form>`
    : '';
  return `<!doctype html>
<html lang="fr">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,"><title>${escapeHtml(title)} – HospiAI</title><style>${STYLE}</style></head>
<body ${bodyAttributes}>
<header><span class="brand">HospiAI</span>${nav}</header>
${content}
</body>
</html>
`;
}

export function loginPage(opts: { error?: string; email?: string } = {}): string {
  const error = opts.error
    ? `<p class="error" role="alert" id="login-error">${escapeHtml(opts.error)}</p>`
    : '';
  return layout(
    'Connexion',
    `<main id="login">
<section><h1>Connexion à votre espace patient</h1>${error}
<form id="login-form" method="post" action="/api/auth/login">
<label>Adresse e-mail <input type="email" name="email" autocomplete="username" required value="${escapeHtml(opts.email ?? '')}"></label>
<label>Mot de passe <input type="password" name="password" autocomplete="current-password" required></label>
<button type="submit">Se connecter</button>
</form></section>
</main>`,
  );
}

function appointmentItem(a: Appointment): string {
  return `<li data-appointment-id="${escapeHtml(a.id)}" data-status="${a.status}">
<strong>${escapeHtml(formatDay(a.date))} à ${a.time}</strong> — ${escapeHtml(a.doctor.name)} (${escapeHtml(a.doctor.specialty)})<br>
${escapeHtml(a.reason)} · ${escapeHtml(a.location.hospital)}, ${escapeHtml(a.location.address)} · <em>${a.status}</em></li>`;
}

export function dashboardPage(
  patient: Patient,
  upcoming: Appointment[],
  records: MedicalRecord[],
): string {
  const appointments = upcoming.length
    ? `<ul id="upcoming-appointments">${upcoming.map(appointmentItem).join('\n')}</ul>`
    : '<p>Aucun rendez-vous à venir.</p>';
  const recent = records
    .map(
      (r) =>
        `<li data-record-id="${escapeHtml(r.id)}">${escapeHtml(formatDay(r.date))} — ${escapeHtml(r.title)}</li>`,
    )
    .join('\n');
  return layout(
    'Tableau de bord',
    `<main id="dashboard">
<h1>Bonjour ${escapeHtml(patient.firstname)}</h1>
<section><h2>Prochains rendez-vous</h2>${appointments}</section>
<section><h2>Dernières entrées du dossier médical</h2><ul id="recent-records">${recent}</ul></section>
<section><h2>Assistants IA</h2><p>Connectez votre assistant IA à votre espace avec un token dédié :
<a href="/dashboard/tokens">Tokens API</a></p></section>
</main>`,
    patient,
  );
}

export interface TokensPageOptions {
  /** Shown once, right after generation. */
  newToken?: { id: string; secret: string };
  error?: string;
}

function tokenRow(t: TokenRecord): string {
  const expired = Date.parse(t.expiresAt) <= Date.now();
  return `<tr data-token-id="${escapeHtml(t.id)}">
<td data-field="name">${escapeHtml(t.name)}</td>
<td data-field="scopes">${t.scopes.map((s) => `<code>${escapeHtml(s)}</code>`).join(' ')}</td>
<td data-field="createdAt">${formatInstant(t.createdAt)}</td>
<td data-field="expiresAt">${formatInstant(t.expiresAt)}</td>
<td data-field="lastUsedAt">${formatInstant(t.lastUsedAt)}</td>
<td data-field="status">${expired ? 'expiré' : 'actif'}</td>
<td><form method="post" action="/dashboard/tokens/revoke"><input type="hidden" name="id" value="${escapeHtml(t.id)}">
<button type="submit" data-action="revoke">Révoquer</button></form></td>
</tr>`;
}

export function tokensPage(
  patient: Patient,
  tokens: TokenRecord[],
  opts: TokensPageOptions = {},
): string {
  const created = opts.newToken
    ? `<section id="new-token"><h2>Nouveau token créé</h2>
<p><strong>Copiez-le maintenant : il ne sera plus affiché.</strong> (Copy it now, it will not be shown again.)</p>
<code id="new-token-secret" data-token-id="${escapeHtml(opts.newToken.id)}">${escapeHtml(opts.newToken.secret)}</code>
<button type="button" id="copy-token">Copier</button>
<script>document.getElementById('copy-token').onclick=()=>navigator.clipboard.writeText(document.getElementById('new-token-secret').textContent)</script>
</section>`
    : '';
  const error = opts.error
    ? `<p class="error" role="alert" id="form-error">${escapeHtml(opts.error)}</p>`
    : '';
  const scopes = Object.entries(SCOPE_LABELS)
    .map(
      ([scope, label]) =>
        `<label><input type="checkbox" name="scopes" value="${scope}"> <code>${scope}</code> — ${escapeHtml(label)}</label>`,
    )
    .join('\n');
  const rows = tokens.map(tokenRow).join('\n');
  return layout(
    'Tokens API',
    `<main id="tokens-page">
<h1>Tokens API</h1>
${created}
<section><h2>Générer un token</h2>${error}
<form id="generate-token-form" method="post" action="/dashboard/tokens">
<label>Nom <input type="text" name="name" maxlength="100" required placeholder="Assistant IA"></label>
<fieldset><legend>Autorisations</legend>
${scopes}
</fieldset>
<label>Expire dans (jours) <input type="number" name="expiresInDays" min="1" max="365" value="90"></label>
<button type="submit">Générer le token</button>
</form></section>
<section><h2>Vos tokens</h2>
<table id="tokens"><thead><tr><th>Nom</th><th>Autorisations</th><th>Créé le</th><th>Expire le</th><th>Dernière utilisation</th><th>Statut</th><th></th></tr></thead>
<tbody>${rows}</tbody></table>
${tokens.length ? '' : '<p id="no-tokens">Aucun token pour le moment.</p>'}
</section>
</main>`,
    patient,
  );
}

export function notFoundPage(patient?: Patient): string {
  return layout(
    'Page introuvable',
    '<main id="not-found"><h1>Page introuvable</h1><p><a href="/">Accueil</a></p></main>',
    patient,
  );
}
