/**
 * Every sentence `hospiai-mcp doctor` prints, English beside French, with `{name}` placeholders.
 * The links pick sentences by key (`tell(key, params)`); tsc checks the params a key needs, and
 * test/unit/doctor/doctor-text.test.ts that both languages name the same placeholders.
 * Over 250 lines on purpose: a catalogue, one entry per sentence, read top to bottom.
 */
import type { Lang } from '../i18n/messages';

type Entries = Record<string, Record<Lang, string>>;

/**
 * The links' names. The JSON report keeps the English one as the finding's id; the terminal
 * shows the patient's. The first English form that matches an id wins: longer forms first.
 */
export const CHECK_NAMES = {
  configuration: { en: 'configuration', fr: 'configuration' },
  home: { en: 'config home', fr: 'dossier de configuration' },
  pairing: { en: 'pairing', fr: 'appairage' },
  bridgePort: { en: 'bridge port {port}', fr: 'port du pont {port}' },
  bridgePorts: { en: 'bridge ports', fr: 'ports du pont' },
  portal: { en: 'portal', fr: 'portail' },
  environmentToken: { en: 'token (HOSPIAI_TOKEN)', fr: 'jeton (HOSPIAI_TOKEN)' },
  tokenScopes: { en: 'token scopes', fr: 'autorisations du jeton' },
  token: { en: 'token', fr: 'jeton' },
  aiClients: { en: 'AI clients', fr: 'assistants IA' },
  aiClientConfig: {
    en: 'AI client {client} config',
    fr: 'configuration de l’assistant IA {client}',
  },
  aiClient: { en: 'AI client {client}', fr: 'assistant IA {client}' },
} as const satisfies Entries;

export const SENTENCES = {
  // How to pair, no terminal first (every finding that needs a pairing).
  pairFix: {
    en: 'Open the HospiAI extension’s window, choose “Show a code” under “Connect your AI assistant”, and give that code to your AI assistant (or run `hospiai-mcp pair` and type its code in the extension’s window).',
    fr: 'Ouvrez la fenêtre de l’extension HospiAI, choisissez « Afficher un code » sous « Connecter votre assistant IA », et donnez ce code à votre assistant IA (ou lancez `hospiai-mcp pair` et saisissez son code dans la fenêtre de l’extension).',
  },

  // configuration
  configOk: {
    en: 'portal {portal}, bridge ports {first}-{last}, home {home}',
    fr: 'portail {portal}, ports du pont {first}-{last}, dossier {home}',
  },
  configFix: {
    en: 'Correct the variable in your AI assistant’s config (`hospiai-mcp --help` lists them).',
    fr: 'Corrigez la variable dans la configuration de votre assistant IA (`hospiai-mcp --help` les liste).',
  },

  // config home
  homeMissing: { en: '{home} does not exist yet', fr: '{home} n’existe pas encore' },
  homeMissingFix: {
    en: 'Start your AI assistant (it starts the relay, which creates it, private to you), or run `hospiai-mcp pair`.',
    fr: 'Démarrez votre assistant IA (il lance le relais, qui le crée, privé), ou lancez `hospiai-mcp pair`.',
  },
  homeUnsafe: {
    en: '{home} is readable or writable by others, or not yours',
    fr: '{home} est lisible ou modifiable par d’autres, ou ne vous appartient pas',
  },
  homeUnsafeFix: {
    en: 'Run `chmod 700 {home}` (and make sure you own it).',
    fr: 'Lancez `chmod 700 {home}` (et vérifiez qu’il vous appartient).',
  },
  homeOk: { en: '{home} (private)', fr: '{home} (privé)' },

  // pairing
  pairingNone: {
    en: 'no browser extension is paired yet (NOT_PAIRED)',
    fr: 'aucune extension de navigateur n’est encore appairée (NOT_PAIRED)',
  },
  pairingOk: { en: '{count} extension pairing(s)', fr: '{count} appairage(s) d’extension' },
  pairingUnreadableFix: {
    en: 'Run `hospiai-mcp unpair --all`, then pair again.',
    fr: 'Lancez `hospiai-mcp unpair --all`, puis appairez à nouveau.',
  },

  // bridge ports
  portRelay: {
    en: 'your relay, serving {client} (token: {token})',
    fr: 'votre relais, au service de {client} (jeton : {token})',
  },
  portClientNotConnected: {
    en: 'an AI assistant that has not connected yet',
    fr: 'un assistant IA pas encore connecté',
  },
  portTokenUnknown: { en: 'unknown', fr: 'inconnu' },
  portOwnUnpaired: {
    en: 'your relay, not paired yet: it runs, but no extension is paired with it, so it cannot receive your access',
    fr: 'votre relais, pas encore appairé : il tourne, mais aucune extension n’est appairée avec lui, il ne peut donc pas recevoir votre accès',
  },
  portStranger: {
    en: 'a program on port {port} is not your relay: it {reason}',
    fr: 'un programme sur le port {port} n’est pas votre relais ({reason})',
  },
  portStrangerFix: {
    en: 'Find it (`lsof -i :{port}` or `ss -ltnp`) and stop it if you do not know it; the extension will not talk to it.',
    fr: 'Trouvez-le (`lsof -i :{port}` ou `ss -ltnp`) et arrêtez-le si vous ne le connaissez pas ; l’extension ne lui parlera pas.',
  },
  portOther: {
    en: 'in use by another program: it {reason}',
    fr: 'utilisé par un autre programme ({reason})',
  },
  portOtherFix: {
    en: 'If relays need that port, stop the program (`lsof -i :{port}`) or set HOSPIAI_MCP_PORTS to another range.',
    fr: 'Si les relais ont besoin de ce port, arrêtez ce programme (`lsof -i :{port}`) ou réglez HOSPIAI_MCP_PORTS sur une autre plage.',
  },
  portsFree: {
    en: '{free} of {total} free for new AI assistants',
    fr: '{free} sur {total} libres pour de nouveaux assistants IA',
  },
  portsFull: {
    en: 'every port of {first}-{last} is taken',
    fr: 'tous les ports de {first}-{last} sont pris',
  },
  portsFullFix: {
    en: 'Close AI assistants you no longer use, or set HOSPIAI_MCP_PORTS to a free range.',
    fr: 'Fermez les assistants IA que vous n’utilisez plus, ou réglez HOSPIAI_MCP_PORTS sur une plage libre.',
  },

  // What a program on a bridge port did when probed (relay-probe.ts): "it …".
  probeUntrusted: {
    en: 'could not prove it knows your pairing key',
    fr: 'il n’a pas pu prouver qu’il connaît votre clé d’appairage',
  },
  probeRefusedPairing: { en: 'refused the pairing', fr: 'il a refusé l’appairage' },
  probeVersionMismatch: {
    en: 'speaks another protocol version: update the older of relay and extension',
    fr: 'il parle une autre version du protocole : mettez à jour le plus ancien du relais et de l’extension',
  },
  probeProtocolError: {
    en: 'did not answer the challenge as a relay would',
    fr: 'il n’a pas répondu au défi comme le ferait un relais',
  },
  probeNotARelay: {
    en: 'answers, but not as a HospiAI relay',
    fr: 'il répond, mais pas comme un relais HospiAI',
  },
  probeRefusedExtension: {
    en: 'refused the extension ({message})',
    fr: 'il a refusé l’extension ({message})',
  },
  probeNoPairing: {
    en: 'accepts the extension, but no pairing to check it with',
    fr: 'il accepte l’extension, mais aucun appairage ne permet de le vérifier',
  },
  // The connection's own account of an unexpected close.
  probeClosed: { en: '{message}', fr: 'il a mis fin à la connexion ({message})' },

  // portal
  portalOk: { en: '{portal} answers', fr: '{portal} répond' },
  portalStatus: {
    en: '{portal} answered HTTP {status}',
    fr: '{portal} a répondu HTTP {status}',
  },
  portalStatusFix: {
    en: 'Check HOSPIAI_URL: it must be the HospiAI portal’s address.',
    fr: 'Vérifiez HOSPIAI_URL : ce doit être l’adresse du portail HospiAI.',
  },
  portalUnreachable: {
    en: 'cannot reach {portal} (“Connection refused”: {message})',
    fr: 'impossible de joindre {portal} (« Connection refused » : {message})',
  },
  portalUnreachableFix: {
    en: 'Check your internet connection and HOSPIAI_URL.',
    fr: 'Vérifiez votre connexion internet et HOSPIAI_URL.',
  },

  // token, delivered by the extension
  tokenRelayUnpaired: {
    en: 'your relay is not paired yet: the extension delivers your access once it is',
    fr: 'votre relais n’est pas encore appairé : l’extension lui transmet votre accès dès qu’il l’est',
  },
  tokenNoRelay: {
    en: 'no relay is running: the token is delivered when your AI assistant starts one',
    fr: 'aucun relais ne tourne : le jeton est transmis quand votre assistant IA en démarre un',
  },
  tokenDelivered: {
    en: 'the extension delivered a token to {active} of {total} relay(s)',
    fr: 'l’extension a transmis un jeton à {active} relais sur {total}',
  },
  tokenNone: {
    en: 'no relay holds a usable token ({states}) — NO_TOKEN',
    fr: 'aucun relais n’a de jeton utilisable ({states}) — NO_TOKEN',
  },
  tokenNoneFix: {
    en: 'Open the HospiAI dashboard in the browser with the extension, and accept its offer to connect.',
    fr: 'Ouvrez le tableau de bord HospiAI dans le navigateur qui a l’extension, et acceptez sa proposition de connexion.',
  },

  // token, from HOSPIAI_TOKEN
  environmentTokenValid: {
    en: 'valid for {email}, scopes {scopes}, expires {expires}',
    fr: 'valide pour {email}, autorisations {scopes}, expire le {expires}',
  },
  environmentTokenLacks: {
    en: 'lacks {missing}: those tools will answer “Insufficient permissions”',
    fr: 'n’a pas {missing} : ces outils répondront « Insufficient permissions » (permissions insuffisantes)',
  },
  environmentTokenLacksFix: {
    en: 'Generate a token with these scopes in Dashboard → Tokens API, or let the extension provision one.',
    fr: 'Générez un jeton avec ces autorisations dans Tableau de bord → Tokens API, ou laissez l’extension en créer un.',
  },
  environmentTokenExpired: { en: 'HOSPIAI_TOKEN has expired', fr: 'HOSPIAI_TOKEN a expiré' },
  environmentTokenRevoked: {
    en: 'HOSPIAI_TOKEN was revoked in the dashboard',
    fr: 'HOSPIAI_TOKEN a été révoqué depuis le tableau de bord',
  },
  environmentTokenInvalid: {
    en: 'HOSPIAI_TOKEN is refused by the portal (“Token invalide”)',
    fr: 'HOSPIAI_TOKEN est refusé par le portail (« Token invalide »)',
  },
  environmentTokenFix: {
    en: 'Generate a new token in Dashboard → Tokens API, or remove HOSPIAI_TOKEN and use the extension.',
    fr: 'Générez un nouveau jeton dans Tableau de bord → Tokens API, ou retirez HOSPIAI_TOKEN et utilisez l’extension.',
  },

  // AI clients
  clientsConfigured: { en: 'configured: {clients}', fr: 'configurés : {clients}' },
  clientsNone: {
    en: 'no AI assistant’s config mentions hospiai',
    fr: 'aucune configuration d’assistant IA ne mentionne hospiai',
  },
  clientsNoneFix: {
    en: 'Run `hospiai-mcp setup --list`, then `hospiai-mcp setup <client>`.',
    fr: 'Lancez `hospiai-mcp setup --list`, puis `hospiai-mcp setup <client>`.',
  },
  clientTokenInClear: {
    en: '{file} holds a HOSPIAI_TOKEN in clear',
    fr: '{file} contient un HOSPIAI_TOKEN en clair',
  },
  clientTokenInClearFix: {
    en: 'Remove it and let the extension deliver the token: `hospiai-mcp setup {clientId}` rewrites the entry.',
    fr: 'Retirez-le et laissez l’extension transmettre le jeton : `hospiai-mcp setup {clientId}` réécrit l’entrée.',
  },

  // The command a client's configuration names (configured-command.ts).
  commandFix: {
    en: 'Run `hospiai-mcp setup {clientId} --force` with the relay you installed: it writes a command that starts.',
    fr: 'Lancez `hospiai-mcp setup {clientId} --force` avec le relais que vous avez installé : il écrit une commande qui démarre.',
  },
  commandMissing: {
    en: '{file} mentions hospiai but names no command',
    fr: '{file} mentionne hospiai mais ne nomme aucune commande',
  },
  commandUnpinned: {
    en: '{file} starts “{command}”: a package name without an exact version, not started (whoever owns that name on the registry would run)',
    fr: '{file} lance « {command} » : un nom de paquet sans version exacte, non démarré (ce serait le code de quiconque possède ce nom sur le registre)',
  },
  commandStarts: {
    en: '“{command}” starts and answers MCP initialize ({server})',
    fr: '« {command} » démarre et répond à l’initialisation MCP ({server})',
  },
  commandFails: {
    en: '“{command}” does not start: {reason}',
    fr: '« {command} » ne démarre pas : {reason}',
  },
  startTimedOut: {
    en: 'no answer to MCP initialize within {seconds} s',
    fr: 'aucune réponse à l’initialisation MCP en {seconds} s',
  },
  startExited: {
    en: 'it exited (code {code}) before answering',
    fr: 'la commande s’est arrêtée (code {code}) avant de répondre',
  },
  // The system's own words (e.g. "spawn npx ENOENT") are the whole reason in English.
  startFailed: { en: '{message}', fr: 'impossible de lancer la commande ({message})' },

  // The report (commands/doctor.ts)
  unknownArgument: {
    en: 'Unknown argument: {argument}\nUsage: hospiai-mcp doctor [--json]',
    fr: 'Argument inconnu : {argument}\nUsage : hospiai-mcp doctor [--json]',
  },
  firstBroken: {
    en: '\nFirst broken link: {check} — {detail}\nFix: {fix}',
    fr: '\nPremier maillon cassé : {check} — {detail}\nSolution : {fix}',
  },
  seeAbove: { en: 'see above', fr: 'voir ci-dessus' },
  everyLinkWorks: { en: '\nEvery link works.', fr: '\nTous les maillons fonctionnent.' },
} as const satisfies Entries;

export type SentenceKey = keyof typeof SENTENCES;
export type CheckName = keyof typeof CHECK_NAMES;

/** The `{name}`s of a template. */
type Placeholders<S extends string> = S extends `${string}{${infer P}}${infer Rest}`
  ? P | Placeholders<Rest>
  : never;
type ParamsOf<E extends Record<Lang, string>> = Placeholders<E[Lang]>;
type Args<E extends Record<Lang, string>> = [ParamsOf<E>] extends [never]
  ? []
  : [params: Record<ParamsOf<E>, string | number>];

export interface Tell {
  <K extends SentenceKey>(key: K, ...params: Args<(typeof SENTENCES)[K]>): string;
  /** A link's name as the JSON report's id: always English. */
  check<K extends CheckName>(key: K, ...params: Args<(typeof CHECK_NAMES)[K]>): string;
  /** The name a finding's id stands for, in the patient's language. */
  label(check: string): string;
  readonly lang: Lang;
}

/** Fills `{name}`s in one pass: a value that itself holds braces stays as it is. */
export function fill(template: string, params: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Each English name as a pattern whose groups are its placeholders, in order. */
const NAME_PATTERNS = Object.values(CHECK_NAMES as Entries).map((entry) => {
  const names = [...entry.en.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!);
  const source = entry.en
    .split(/\{\w+\}/)
    .map(escapeRegExp)
    .join('(.+)');
  return { entry, names, pattern: new RegExp(`^${source}$`) };
});

export function labelIn(lang: Lang, check: string): string {
  for (const { entry, names, pattern } of NAME_PATTERNS) {
    const match = pattern.exec(check);
    if (!match) continue;
    return fill(entry[lang], Object.fromEntries(names.map((name, i) => [name, match[i + 1]!])));
  }
  return check;
}

export function tellIn(lang: Lang): Tell {
  const sentences: Entries = SENTENCES;
  const names: Entries = CHECK_NAMES;
  const tell = ((key: string, params?: Record<string, string | number>) =>
    fill(sentences[key]![lang], params)) as Tell;
  return Object.assign(tell, {
    check: (key: string, params?: Record<string, string | number>) => fill(names[key]!.en, params),
    label: (check: string) => labelIn(lang, check),
    lang,
  }) as Tell;
}
