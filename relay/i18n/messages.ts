/**
 * The relay's user-facing sentences, in English and French (patients are French). Each error
 * sentence says what happened and what to do. Keys are shared: a test fails if one language
 * lacks a key the other has (the `satisfies` below already makes tsc fail).
 */
export type Lang = 'en' | 'fr';

type Params = Record<string, string | number>;
type Message = string | ((p: Params) => string);

const en = {
  NOT_PAIRED:
    'The HospiAI extension is not paired with this computer yet. Run `npx hospiai-mcp pair` in a terminal and type the code it prints into the extension’s popup.',
  NO_TOKEN:
    'Not connected — open the HospiAI dashboard in your browser to reconnect (the extension then shares your access again).',
  EXTENSION_OFFLINE:
    'The HospiAI browser extension is not connected. Open your browser with the HospiAI extension (and the HospiAI dashboard), then try again.',
  TOKEN_EXPIRED:
    'Your HospiAI access has expired. Open the HospiAI dashboard so the extension renews it, or generate a new token in Dashboard → Tokens API.',
  TOKEN_REVOKED:
    'This HospiAI access was revoked in the dashboard. Open the HospiAI dashboard and allow access again to reconnect.',
  TOKEN_WITHDRAWN:
    'You withdrew this AI assistant’s access to HospiAI in the browser extension, so nothing was read or changed. To reconnect, open the HospiAI dashboard and allow access again.',
  TOKEN_INVALID:
    'HospiAI refused the access token (“Token invalide”). Open the HospiAI dashboard to reconnect, or generate a new token in Dashboard → Tokens API.',
  INSUFFICIENT_SCOPE: (p: Params) =>
    `Insufficient permissions: this needs the “${p.scope}” permission, which your HospiAI access does not include. Open the extension’s popup (or Dashboard → Tokens API) and allow “${p.scope}”, then try again.`,
  PORTAL_UNREACHABLE: (p: Params) =>
    `Cannot reach the HospiAI portal at ${p.url} (connection refused or timed out). Check your internet connection and HOSPIAI_URL, then try again.`,
  PORTAL_ERROR:
    'The HospiAI portal had an internal problem and could not answer. Nothing was changed. Try again in a few minutes.',
  RATE_LIMITED: (p: Params) =>
    `HospiAI is receiving too many requests. Wait ${p.seconds} seconds, then try again.`,
  SLOT_UNAVAILABLE: (p: Params) =>
    `That time slot is no longer available.${p.alternatives ? ` Free slots nearby: ${p.alternatives}.` : ''} Pick another slot (get_available_slots lists them).`,
  NOT_FOUND: (p: Params) =>
    `No ${p.what} with that id was found among your data. Check the id (get_appointments or find_doctors list them).`,
  INVALID_REQUEST: (p: Params) =>
    `HospiAI rejected the request: ${p.details}. Correct these fields and try again.`,
  NOT_CONFIRMED_DECLINED: 'You declined, so nothing was done.',
  NOT_CONFIRMED_TIMEOUT:
    'No confirmation was given in time, so nothing was done. Ask again when you are ready to confirm.',
  NOT_CONFIRMED_UNSUPPORTED:
    'This needs your confirmation, and neither this AI client (no MCP elicitation support) nor the HospiAI browser extension (not connected) can ask you. Open your browser with the HospiAI extension connected, then ask again; you will be asked to approve it there.',
  CONFIRM_BOOK: (p: Params) =>
    `Book an appointment with ${p.doctor} (${p.specialty}) on ${p.date} at ${p.time}? Reason: ${p.reason}.`,
  CONFIRM_CANCEL: (p: Params) =>
    `Cancel your appointment with ${p.doctor} on ${p.date} at ${p.time}?`,
  CONFIRM_FIELD: 'I confirm',
  CONFIRM_READ: (p: Params) =>
    `Let your AI assistant ${p.what}? (You chose, in the HospiAI extension, to approve each read.)`,
  READ_get_appointments: 'read your appointments',
  READ_get_medical_records: 'read your medical records',
  READ_find_doctors: 'search HospiAI’s doctors',
  READ_get_available_slots: 'look up a doctor’s free slots',
} satisfies Record<string, Message>;

export type MessageKey = keyof typeof en;

const fr: Record<MessageKey, Message> = {
  NOT_PAIRED:
    'L’extension HospiAI n’est pas encore associée à cet ordinateur. Lancez `npx hospiai-mcp pair` dans un terminal et saisissez le code affiché dans la fenêtre de l’extension.',
  NO_TOKEN:
    'Non connecté — ouvrez le tableau de bord HospiAI dans votre navigateur pour vous reconnecter (l’extension partagera de nouveau votre accès).',
  EXTENSION_OFFLINE:
    'L’extension HospiAI du navigateur n’est pas connectée. Ouvrez votre navigateur avec l’extension HospiAI (et le tableau de bord HospiAI), puis réessayez.',
  TOKEN_EXPIRED:
    'Votre accès HospiAI a expiré. Ouvrez le tableau de bord HospiAI pour que l’extension le renouvelle, ou générez un nouveau token dans Tableau de bord → Tokens API.',
  TOKEN_REVOKED:
    'Cet accès HospiAI a été révoqué depuis le tableau de bord. Ouvrez le tableau de bord HospiAI et autorisez de nouveau l’accès pour vous reconnecter.',
  TOKEN_WITHDRAWN:
    'Vous avez retiré à cet assistant IA l’accès à HospiAI dans l’extension du navigateur : rien n’a été lu ni modifié. Pour le reconnecter, ouvrez le tableau de bord HospiAI et autorisez de nouveau l’accès.',
  TOKEN_INVALID:
    'HospiAI a refusé le token d’accès (« Token invalide »). Ouvrez le tableau de bord HospiAI pour vous reconnecter, ou générez un nouveau token dans Tableau de bord → Tokens API.',
  INSUFFICIENT_SCOPE: (p) =>
    `Permissions insuffisantes : il faut l’autorisation « ${p.scope} », que votre accès HospiAI n’inclut pas. Ouvrez la fenêtre de l’extension (ou Tableau de bord → Tokens API) et autorisez « ${p.scope} », puis réessayez.`,
  PORTAL_UNREACHABLE: (p) =>
    `Impossible de joindre le portail HospiAI à ${p.url} (connexion refusée ou délai dépassé). Vérifiez votre connexion internet et HOSPIAI_URL, puis réessayez.`,
  PORTAL_ERROR:
    'Le portail HospiAI a rencontré un problème interne et n’a pas pu répondre. Rien n’a été modifié. Réessayez dans quelques minutes.',
  RATE_LIMITED: (p) =>
    `HospiAI reçoit trop de demandes. Attendez ${p.seconds} secondes, puis réessayez.`,
  SLOT_UNAVAILABLE: (p) =>
    `Ce créneau n’est plus disponible.${p.alternatives ? ` Créneaux libres proches : ${p.alternatives}.` : ''} Choisissez un autre créneau (get_available_slots les liste).`,
  NOT_FOUND: (p) =>
    `Aucun élément « ${p.what} » avec cet identifiant parmi vos données. Vérifiez l’identifiant (get_appointments ou find_doctors les listent).`,
  INVALID_REQUEST: (p) =>
    `HospiAI a refusé la demande : ${p.details}. Corrigez ces champs et réessayez.`,
  NOT_CONFIRMED_DECLINED: 'Vous avez refusé : rien n’a été fait.',
  NOT_CONFIRMED_TIMEOUT:
    'Aucune confirmation n’a été donnée à temps : rien n’a été fait. Redemandez quand vous serez prêt à confirmer.',
  NOT_CONFIRMED_UNSUPPORTED:
    'Cette action demande votre confirmation, et ni ce client IA (pas de prise en charge de l’« elicitation » MCP) ni l’extension HospiAI du navigateur (non connectée) ne peuvent vous la demander. Ouvrez votre navigateur avec l’extension HospiAI connectée, puis redemandez : vous pourrez l’approuver là.',
  CONFIRM_BOOK: (p) =>
    `Prendre rendez-vous avec ${p.doctor} (${p.specialty}) le ${p.date} à ${p.time} ? Motif : ${p.reason}.`,
  CONFIRM_CANCEL: (p) => `Annuler votre rendez-vous avec ${p.doctor} le ${p.date} à ${p.time} ?`,
  CONFIRM_FIELD: 'Je confirme',
  CONFIRM_READ: (p) =>
    `Autoriser votre assistant IA à ${p.what} ? (Vous avez choisi, dans l’extension HospiAI, d’approuver chaque lecture.)`,
  READ_get_appointments: 'lire vos rendez-vous',
  READ_get_medical_records: 'lire votre dossier médical',
  READ_find_doctors: 'chercher parmi les médecins de HospiAI',
  READ_get_available_slots: 'consulter les créneaux libres d’un médecin',
};

export const catalogues: Record<Lang, Record<MessageKey, Message>> = { en, fr };

/** `LANG=fr_FR.UTF-8` → fr; anything else → en. */
export function langFromEnv(env: NodeJS.ProcessEnv): Lang {
  const value = env.HOSPIAI_MCP_LANG ?? env.LC_ALL ?? env.LC_MESSAGES ?? env.LANG ?? '';
  return value.toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

export type Translate = (key: MessageKey, params?: Params) => string;

export function translator(lang: Lang): Translate {
  const catalogue = catalogues[lang];
  return (key, params = {}) => {
    const message = catalogue[key];
    return typeof message === 'function' ? message(params) : message;
  };
}
