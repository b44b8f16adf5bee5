/**
 * Words have two channels, both in English and French (patients are French):
 * - the catalogue, for everything the model or the patient's browser shows: this module for the
 *   model (tool results, errors, questions, each tool's confirmation question, which the tool
 *   names by key — `confirmation` in define-tool.ts — through `t()`),
 *   extension-messages.ts for the popup, options page, notifications and manifest (the build
 *   writes it into the extension's `_locales`), and page-messages.ts for the remote mode's HTML
 *   pages (consent, confirmation). Nothing else holds such a sentence.
 * - `say(en, fr)` (i18n/say.ts), for terminal output only: the CLI's own lines.
 * Each error sentence says what happened and what to do; `ERROR_SENTENCES` gives every
 * ErrorCode its sentence(s) (tsc fails on a code without). Keys are shared: the `satisfies`
 * below makes tsc fail when a language lacks one; the remote mode swaps in its `REMOTE_` keys.
 * (Over 250 lines: it is the catalogue, every sentence in both languages.)
 */
import type { ErrorCode } from '../errors';
import { formatAppointmentTime } from '../protocol/appointment-time';
import type { Lang } from './lang';

export type { Lang };

export type Params = Record<string, string | number>;
type Message = string | ((p: Params) => string);

const en = {
  NOT_PAIRED:
    'Your AI assistant is not paired with the HospiAI browser extension yet. Open the HospiAI extension’s window in your browser and choose “Connect your assistant”, then “Show a code”: it shows a one-time code. Tell your assistant “connect HospiAI with code …” (it calls connect_extension), then check that the extension shows the same check value as your assistant and confirm there. In an assistant that shows forms, HospiAI shows you a code to type into the extension instead. In a terminal, `hospiai-mcp pair` works too.',
  PAIR_SHOW: (p: Params) =>
    `HospiAI: to connect this AI assistant, open the HospiAI extension’s window in your browser, choose “Connect your assistant”, and type this code there: ${p.code} (valid until ${p.until}). This window closes by itself once the extension has it.`,
  PAIR_SHOWN_NOT_TYPED: (p: Params) =>
    `The HospiAI extension has not received the code HospiAI showed you yet. It stays valid until ${p.until}: type it in the extension’s window (“Connect your assistant”), then ask again.`,
  PAIR_CHECK: (p: Params) =>
    `Almost paired. The HospiAI extension’s window now shows a check value: make sure it is ${p.value}, the same as here, and choose “It matches” there. If it shows another number, choose “It does not match”: another program may be posing as your assistant, and nothing is connected.`,
  PAIR_NOT_RECOGNISED:
    'The HospiAI extension did not recognise this code. Read the code its window shows now (a new code replaces the previous one) and tell it to me again.',
  PAIR_CODE_INVALID:
    'That is not a HospiAI code: it has 8 letters and digits, like K7QM-2XD9, shown in the HospiAI extension’s window under “Connect your assistant”.',
  PAIR_NO_ANSWER:
    'The HospiAI extension did not answer. Check that your browser is open with the HospiAI extension and that its window still shows this code (a code lasts 10 minutes); if it expired, choose “Show a code” under “Connect your assistant” for a new one, then try again.',
  PAIR_UNAVAILABLE:
    'This HospiAI relay cannot reach the browser extension (see connection_status for why), so it cannot be paired. The HOSPIAI_TOKEN setting still works.',
  PAIR_ALREADY:
    'Already paired: the HospiAI extension is connected to this computer. Nothing to do.',
  PORTAL_MISMATCH: (p: Params) =>
    `This HospiAI relay is set up for the portal ${p.url}, but your HospiAI browser extension uses another portal, so it gave this assistant nothing. Set HOSPIAI_URL in this assistant’s configuration to your hospital’s portal (or change the portal in the extension’s options), then restart the assistant.`,
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
  ACCESS_PAUSED:
    'You paused HospiAI for your AI assistants in the browser extension, so nothing was read or changed. To continue, open the HospiAI extension and choose “Resume”.',
  TOKEN_INVALID:
    'HospiAI refused the access token (“Token invalide”). Open the HospiAI dashboard to reconnect, or generate a new token in Dashboard → Tokens API.',
  INSUFFICIENT_SCOPE: (p: Params) =>
    `Insufficient permissions: this needs the “${p.scope}” permission, which your HospiAI access does not include. Open the HospiAI extension’s window (or Dashboard → Tokens API) and allow “${p.scope}”, then try again.`,
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
  RESULT_TOO_LARGE:
    'HospiAI’s answer is too large to pass to your AI assistant. Ask for less at a time (a smaller limit, one type of record), then try again.',
  INTERNAL_ERROR:
    'The HospiAI relay hit an unexpected problem. Nothing was changed. Run `hospiai-mcp doctor` to check the connection.',
  CONFIRM_FOR_PATIENT: (p: Params) => `For ${p.patient}’s HospiAI record: ${p.question}`,
  NOT_CONFIRMED_DECLINED: 'You declined, so nothing was done.',
  NOT_CONFIRMED_PATIENT_CHANGED:
    'Nothing was done: another patient logged into HospiAI in the browser while this was being confirmed, and what was approved is never written into another patient’s record. Ask again if it is still wanted.',
  NOT_CONFIRMED_TIMEOUT:
    'No confirmation was given in time, so nothing was done. Ask again when you are ready to confirm.',
  NOT_CONFIRMED_UNSUPPORTED:
    'This needs your confirmation, and neither this AI assistant (its app has no MCP elicitation support) nor the HospiAI browser extension (not connected) can ask you. Open your browser with the HospiAI extension connected, then ask again; you will be asked to approve it there.',
  NOT_CONFIRMED_ON_PAGE: (p: Params) =>
    `Not done yet: the patient confirms this on HospiAI's own page, not in this chat. Give them this link to open in the browser where they signed in to HospiAI: ${p.url} (valid 10 minutes, once). Nothing happens until they press Confirm there; afterwards get_appointments shows the result.`,
  // Remote mode (serve --http): no extension is involved; the client's own sign-in or token.
  REMOTE_NOT_CONFIRMED_UNSUPPORTED:
    'Nothing was done: this needs your confirmation, and this AI assistant cannot ask you for it (it does not support MCP elicitation forms). Use an AI assistant that does (for example VS Code, Cursor, Goose or Claude Code), or book or cancel in the HospiAI portal directly.',
  REMOTE_NO_TOKEN:
    'Not connected — this HospiAI server needs your HospiAI access token. Sign in again from your AI assistant (or generate a token in Dashboard → Tokens API).',
  REMOTE_INSUFFICIENT_SCOPE: (p: Params) =>
    `Insufficient permissions: this needs the “${p.scope}” permission, which your HospiAI access does not include. Sign in again from your AI assistant and allow “${p.scope}” (or generate a token with it in Dashboard → Tokens API).`,
  CONFIRM_UNCHECKED_ID: (p: Params) => `the doctor or appointment with id ${p.id}`,
  CONFIRM_FIELD: 'I confirm',
  CONFIRM_READ: (p: Params) =>
    `Let your AI assistant ${p.what}? (You chose, in the HospiAI extension, to approve each read.)`,
  CONFIRM_READ_FIELD: 'Your answer',
  CONFIRM_READ_ONCE: 'Allow this once',
  CONFIRM_READ_CONVERSATION: 'Allow this for this conversation (only this)',
  CONFIRM_READ_HOUR: 'Allow this for one hour (only this)',
  CONFIRM_READ_NO: 'Refuse',
  // What each tool asks the patient (the tool names its key: `confirmation` in define-tool.ts).
  READ_FIND_DOCTORS: 'search HospiAI’s doctors',
  READ_GET_APPOINTMENTS: 'read your appointments',
  READ_GET_AVAILABLE_SLOTS: 'look up a doctor’s free slots',
  READ_GET_MEDICAL_RECORDS: 'read your medical records',
  CONFIRM_BOOK_APPOINTMENT: (p: Params) =>
    `Book an appointment with ${p.doctor}${p.specialty ? ` (${p.specialty})` : ''} on ${p.when}${p.place ? ` — ${p.place}` : ''}? Reason, as your assistant wrote it: ${p.reason}`,
  CONFIRM_CANCEL_APPOINTMENT: (p: Params) =>
    `Cancel your appointment with ${p.doctor}${p.specialty ? ` (${p.specialty})` : ''} on ${p.when}${p.place ? ` — ${p.place}` : ''}?`,
  APPOINTMENT_WHEN: (p: Params) =>
    formatAppointmentTime(String(p.date), String(p.time), 'en') ?? `${p.date} at ${p.time}`,
  CONFIG_URL_NOT_URL: (p: Params) => `HOSPIAI_URL=${p.value} is not a URL. Example: ${p.example}`,
  CONFIG_URL_NOT_HTTPS: (p: Params) =>
    `HOSPIAI_URL must use https:// (plain http:// is only allowed for 127.0.0.1/localhost); got ${p.origin}.`,
  CONFIG_URL_NOT_ORIGIN:
    'HOSPIAI_URL must be a plain origin such as https://hospital.example, with no credentials, query or fragment.',
  CONFIG_LOG_LEVEL: (p: Params) =>
    `HOSPIAI_MCP_LOG_LEVEL must be debug, info, warn or error; got ${p.value}.`,
  CONFIG_EXTENSION_ID: (p: Params) =>
    `HOSPIAI_MCP_EXTENSION_IDS: ${p.id} is not a Chrome extension id (32 letters a–p).`,
  CONFIG_POSITIVE_MS: (p: Params) =>
    `${p.name} must be a positive whole number of milliseconds; got ${p.value}.`,
  PORTS_INVALID: (p: Params) =>
    `HOSPIAI_MCP_PORTS=${p.value} ${p.problem}. Use a port range such as "${p.example}", a single port, or unset it.`,
  PORTS_NOT_A_RANGE: 'is not a port or a range',
  PORTS_OUT_OF_BOUNDS: 'has a port outside 1–65535',
  PORTS_BACKWARDS: 'ends before it starts',
  PORTS_TOO_WIDE: (p: Params) => `spans more than ${p.max} ports`,
  PORT_RANGE_FULL: (p: Params) =>
    `Every bridge port from ${p.first} to ${p.last} is taken (one per running AI assistant). Close an AI assistant you no longer use, or set HOSPIAI_MCP_PORTS to another range (the extension must then be told the same range).`,
  BRIDGE_OFF_MCP_ON: (p: Params) =>
    `The browser extension cannot reach this relay; MCP still works${p.withToken === 'yes' ? ' with HOSPIAI_TOKEN' : ''}.`,
  HOME_UNSAFE: (p: Params) =>
    `The HospiAI relay home ${p.dir} ${p.problem}. It holds pairing secrets, so it must belong to you and be writable by you only: fix it (e.g. chmod 700) or set HOSPIAI_MCP_HOME.`,
  HOME_NOT_DIRECTORY: 'is not a directory',
  HOME_WRITABLE_BY_OTHERS: 'is writable by other users',
  HOME_OWNED_BY_OTHER: (p: Params) => `is owned by another user (uid ${p.uid})`,
  SETUP_USAGE: [
    'Usage: hospiai-mcp setup --list [--os macos|windows|linux]',
    '       hospiai-mcp setup <client> [--print] [--force] [--portal URL] [--command PATH]',
    '                                  [--config-path PATH] [--os macos|windows|linux]',
    '',
    '  The entry starts this very relay: its Node and bundle by absolute path, or, when it was',
    '  installed from the npm registry, npx -y hospiai-mcp@<its exact version>.',
    '  --command PATH  start that relay bundle (dist/hospiai-mcp.mjs) instead',
    '  --force         replace a different existing hospiai entry (a backup is kept)',
  ].join('\n'),
  SETUP_NEEDS_VALUE: (p: Params) => `${p.flag} needs a value.`,
  SETUP_UNKNOWN_OPTION: (p: Params) => `Unknown option: ${p.flag}.`,
  SETUP_ONE_CLIENT: (p: Params) =>
    `Only one AI assistant at a time (got ${p.first} and ${p.second}).`,
  SETUP_BAD_OS: (p: Params) => `--os must be one of ${p.list}.`,
  SETUP_UNKNOWN_CLIENT: (p: Params) =>
    `Unknown AI assistant: ${p.client}. Pick one of the list below (the name in the first column).`,
  SETUP_NO_BUNDLE: (p: Params) =>
    `--command: no relay bundle at ${p.bundle} (build it with npm run build:relay).`,
  SETUP_NO_RELAY_SOURCE:
    'Cannot tell where this relay is installed, so no command to write. Run setup from the installed relay (its hospiai-mcp command), or give --command /path/to/dist/hospiai-mcp.mjs.',
  SETUP_PORTAL_NOT_URL: (p: Params) => `--portal: not a URL: ${p.value}.`,
  SETUP_PORTAL_NOT_HTTPS:
    '--portal: use an https:// URL (http:// only for a portal on this machine).',
  SETUP_PORTAL_NOT_ORIGIN: '--portal: the URL must not contain credentials, a query or a fragment.',
} satisfies Record<string, Message>;

export type MessageKey = keyof typeof en;

const fr: Record<MessageKey, Message> = {
  NOT_PAIRED:
    'Votre assistant IA n’est pas encore appairé avec l’extension HospiAI du navigateur. Ouvrez la fenêtre de l’extension HospiAI dans votre navigateur et choisissez « Connecter votre assistant », puis « Afficher un code » : elle affiche un code à usage unique. Dites à votre assistant « connecte HospiAI avec le code … » (il appelle connect_extension), puis vérifiez que l’extension affiche la même valeur de contrôle que votre assistant et confirmez-le dans l’extension. Dans un assistant qui affiche des formulaires, HospiAI vous montre plutôt un code à saisir dans l’extension. Dans un terminal, `hospiai-mcp pair` fonctionne aussi.',
  PAIR_SHOW: (p) =>
    `HospiAI : pour connecter cet assistant IA, ouvrez la fenêtre de l’extension HospiAI dans votre navigateur, choisissez « Connecter votre assistant » et saisissez-y ce code : ${p.code} (valable jusqu’à ${p.until}). Cette fenêtre se ferme d’elle-même dès que l’extension l’a reçu.`,
  PAIR_SHOWN_NOT_TYPED: (p) =>
    `L’extension HospiAI n’a pas encore reçu le code que HospiAI vous a montré. Il reste valable jusqu’à ${p.until} : saisissez-le dans la fenêtre de l’extension (« Connecter votre assistant »), puis redemandez.`,
  PAIR_CHECK: (p) =>
    `Appairage presque terminé. La fenêtre de l’extension HospiAI affiche maintenant une valeur de contrôle : vérifiez que c’est ${p.value}, la même qu’ici, et choisissez « Elle correspond » dans l’extension. Si elle affiche un autre nombre, choisissez « Elle ne correspond pas » : un autre programme se fait peut-être passer pour votre assistant, et rien n’est connecté.`,
  PAIR_NOT_RECOGNISED:
    'L’extension HospiAI n’a pas reconnu ce code. Lisez le code qu’affiche sa fenêtre maintenant (un nouveau code remplace le précédent) et redonnez-le-moi.',
  PAIR_CODE_INVALID:
    'Ce n’est pas un code HospiAI : il compte 8 lettres et chiffres, comme K7QM-2XD9, affiché dans la fenêtre de l’extension HospiAI sous « Connecter votre assistant ».',
  PAIR_NO_ANSWER:
    'L’extension HospiAI n’a pas répondu. Vérifiez que votre navigateur est ouvert avec l’extension HospiAI et que sa fenêtre affiche toujours ce code (un code dure 10 minutes) ; s’il a expiré, choisissez « Afficher un code » sous « Connecter votre assistant » pour en obtenir un nouveau, puis réessayez.',
  PAIR_UNAVAILABLE:
    'Ce relais HospiAI ne peut pas joindre l’extension du navigateur (connection_status dit pourquoi) : impossible de l’appairer. Le réglage HOSPIAI_TOKEN fonctionne toujours.',
  PAIR_ALREADY: 'Déjà appairé : l’extension HospiAI est connectée à cet ordinateur. Rien à faire.',
  PORTAL_MISMATCH: (p) =>
    `Ce relais HospiAI est configuré pour le portail ${p.url}, mais votre extension HospiAI utilise un autre portail : elle n’a donc rien donné à cet assistant. Réglez HOSPIAI_URL dans la configuration de cet assistant sur le portail de votre hôpital (ou changez le portail dans les options de l’extension), puis redémarrez l’assistant.`,
  NO_TOKEN:
    'Non connecté — ouvrez le tableau de bord HospiAI dans votre navigateur pour vous reconnecter (l’extension partagera de nouveau votre accès).',
  EXTENSION_OFFLINE:
    'L’extension HospiAI du navigateur n’est pas connectée. Ouvrez votre navigateur avec l’extension HospiAI (et le tableau de bord HospiAI), puis réessayez.',
  TOKEN_EXPIRED:
    'Votre accès HospiAI a expiré. Ouvrez le tableau de bord HospiAI pour que l’extension le renouvelle, ou générez un nouveau jeton dans Tableau de bord → Tokens API.',
  TOKEN_REVOKED:
    'Cet accès HospiAI a été révoqué depuis le tableau de bord. Ouvrez le tableau de bord HospiAI et autorisez de nouveau l’accès pour vous reconnecter.',
  TOKEN_WITHDRAWN:
    'Vous avez retiré à cet assistant IA l’accès à HospiAI dans l’extension du navigateur : rien n’a été lu ni modifié. Pour le reconnecter, ouvrez le tableau de bord HospiAI et autorisez de nouveau l’accès.',
  ACCESS_PAUSED:
    'Vous avez mis HospiAI en pause pour vos assistants IA dans l’extension du navigateur : rien n’a été lu ni modifié. Pour continuer, ouvrez l’extension HospiAI et choisissez « Reprendre ».',
  TOKEN_INVALID:
    'HospiAI a refusé le jeton d’accès (« Token invalide »). Ouvrez le tableau de bord HospiAI pour vous reconnecter, ou générez un nouveau jeton dans Tableau de bord → Tokens API.',
  INSUFFICIENT_SCOPE: (p) =>
    `Permissions insuffisantes : il faut l’autorisation « ${p.scope} », que votre accès HospiAI n’inclut pas. Ouvrez la fenêtre de l’extension HospiAI (ou Tableau de bord → Tokens API) et autorisez « ${p.scope} », puis réessayez.`,
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
  RESULT_TOO_LARGE:
    'La réponse de HospiAI est trop volumineuse pour être transmise à votre assistant IA. Demandez-en moins à la fois (une limite plus petite, un seul type de dossier), puis réessayez.',
  INTERNAL_ERROR:
    'Le relais HospiAI a rencontré un problème inattendu. Rien n’a été modifié. Lancez `hospiai-mcp doctor` pour vérifier la connexion.',
  CONFIRM_FOR_PATIENT: (p) => `Pour le dossier HospiAI de ${p.patient} : ${p.question}`,
  NOT_CONFIRMED_DECLINED: 'Vous avez refusé : rien n’a été fait.',
  NOT_CONFIRMED_PATIENT_CHANGED:
    'Rien n’a été fait : un autre patient s’est connecté à HospiAI dans le navigateur pendant la confirmation, et ce qui a été approuvé n’est jamais écrit dans le dossier d’un autre patient. Redemandez si c’est toujours souhaité.',
  NOT_CONFIRMED_TIMEOUT:
    'Aucune confirmation n’a été donnée à temps : rien n’a été fait. Redemandez quand vous serez prêt à confirmer.',
  NOT_CONFIRMED_UNSUPPORTED:
    'Cette action demande votre confirmation, et ni cet assistant IA (son application ne prend pas en charge l’« elicitation » MCP) ni l’extension HospiAI du navigateur (non connectée) ne peuvent vous la demander. Ouvrez votre navigateur avec l’extension HospiAI connectée, puis redemandez : vous pourrez l’approuver là.',
  NOT_CONFIRMED_ON_PAGE: (p) =>
    `Pas encore fait : le patient le confirme sur la page de HospiAI, pas dans cette conversation. Donnez-lui ce lien à ouvrir dans le navigateur où il s’est connecté à HospiAI : ${p.url} (valable 10 minutes, une fois). Rien ne se passe tant qu’il n’a pas appuyé sur Confirmer ; ensuite get_appointments montre le résultat.`,
  // Mode distant (serve --http).
  REMOTE_NOT_CONFIRMED_UNSUPPORTED:
    'Rien n’a été fait : cette action demande votre confirmation, et cet assistant IA ne peut pas vous la demander (il ne prend pas en charge les formulaires d’« elicitation » MCP). Utilisez un assistant IA qui les prend en charge (par exemple VS Code, Cursor, Goose ou Claude Code), ou prenez ou annulez le rendez-vous directement sur le portail HospiAI.',
  REMOTE_NO_TOKEN:
    'Non connecté — ce serveur HospiAI a besoin de votre jeton d’accès HospiAI. Reconnectez-vous depuis votre assistant IA (ou générez un jeton dans Tableau de bord → Tokens API).',
  REMOTE_INSUFFICIENT_SCOPE: (p) =>
    `Permissions insuffisantes : il faut l’autorisation « ${p.scope} », que votre accès HospiAI n’inclut pas. Reconnectez-vous depuis votre assistant IA en autorisant « ${p.scope} » (ou générez un jeton qui l’inclut dans Tableau de bord → Tokens API).`,
  CONFIRM_UNCHECKED_ID: (p) => `le médecin ou le rendez-vous d’identifiant ${p.id}`,
  CONFIRM_FIELD: 'Je confirme',
  CONFIRM_READ: (p) =>
    `Autoriser votre assistant IA à ${p.what} ? (Vous avez choisi, dans l’extension HospiAI, d’approuver chaque lecture.)`,
  CONFIRM_READ_FIELD: 'Votre réponse',
  CONFIRM_READ_ONCE: 'Autoriser cette fois',
  CONFIRM_READ_CONVERSATION: 'Autoriser ceci pour cette conversation (ceci seulement)',
  CONFIRM_READ_HOUR: 'Autoriser ceci pendant une heure (ceci seulement)',
  CONFIRM_READ_NO: 'Refuser',
  READ_FIND_DOCTORS: 'chercher parmi les médecins de HospiAI',
  READ_GET_APPOINTMENTS: 'lire vos rendez-vous',
  READ_GET_AVAILABLE_SLOTS: 'consulter les créneaux libres d’un médecin',
  READ_GET_MEDICAL_RECORDS: 'lire votre dossier médical',
  CONFIRM_BOOK_APPOINTMENT: (p) =>
    `Prendre rendez-vous avec ${p.doctor}${p.specialty ? ` (${p.specialty})` : ''} le ${p.when}${p.place ? ` — ${p.place}` : ''} ? Motif, tel que votre assistant l’a écrit : ${p.reason}`,
  CONFIRM_CANCEL_APPOINTMENT: (p) =>
    `Annuler votre rendez-vous avec ${p.doctor}${p.specialty ? ` (${p.specialty})` : ''} le ${p.when}${p.place ? ` — ${p.place}` : ''} ?`,
  APPOINTMENT_WHEN: (p) =>
    formatAppointmentTime(String(p.date), String(p.time), 'fr') ?? `${p.date} à ${p.time}`,
  CONFIG_URL_NOT_URL: (p) => `HOSPIAI_URL=${p.value} n’est pas une URL. Exemple : ${p.example}`,
  CONFIG_URL_NOT_HTTPS: (p) =>
    `HOSPIAI_URL doit utiliser https:// (http:// simple n’est permis que pour 127.0.0.1/localhost) ; reçu ${p.origin}.`,
  CONFIG_URL_NOT_ORIGIN:
    'HOSPIAI_URL doit être une simple origine comme https://hopital.example, sans identifiants, requête ni fragment.',
  CONFIG_LOG_LEVEL: (p) =>
    `HOSPIAI_MCP_LOG_LEVEL doit valoir debug, info, warn ou error ; reçu ${p.value}.`,
  CONFIG_EXTENSION_ID: (p) =>
    `HOSPIAI_MCP_EXTENSION_IDS : ${p.id} n’est pas un identifiant d’extension Chrome (32 lettres de a à p).`,
  CONFIG_POSITIVE_MS: (p) =>
    `${p.name} doit être un nombre entier positif de millisecondes ; reçu ${p.value}.`,
  PORTS_INVALID: (p) =>
    `HOSPIAI_MCP_PORTS=${p.value} ${p.problem}. Indiquez une plage de ports comme « ${p.example} », un seul port, ou retirez ce réglage.`,
  PORTS_NOT_A_RANGE: 'n’est ni un port ni une plage',
  PORTS_OUT_OF_BOUNDS: 'contient un port hors de 1–65535',
  PORTS_BACKWARDS: 'finit avant de commencer',
  PORTS_TOO_WIDE: (p) => `couvre plus de ${p.max} ports`,
  PORT_RANGE_FULL: (p) =>
    `Tous les ports du pont de ${p.first} à ${p.last} sont pris (un par assistant IA lancé). Fermez un assistant IA dont vous ne vous servez plus, ou réglez HOSPIAI_MCP_PORTS sur une autre plage (à indiquer aussi à l’extension).`,
  BRIDGE_OFF_MCP_ON: (p) =>
    `L’extension du navigateur ne peut pas joindre ce relais ; MCP fonctionne toujours${p.withToken === 'yes' ? ' avec HOSPIAI_TOKEN' : ''}.`,
  HOME_UNSAFE: (p) =>
    `Le dossier du relais HospiAI ${p.dir} ${p.problem}. Il contient les secrets d’appairage : il doit vous appartenir et n’être modifiable que par vous. Corrigez-le (par exemple chmod 700) ou réglez HOSPIAI_MCP_HOME.`,
  HOME_NOT_DIRECTORY: 'n’est pas un dossier',
  HOME_WRITABLE_BY_OTHERS: 'est modifiable par d’autres utilisateurs',
  HOME_OWNED_BY_OTHER: (p) => `appartient à un autre utilisateur (uid ${p.uid})`,
  SETUP_USAGE: [
    'Usage : hospiai-mcp setup --list [--os macos|windows|linux]',
    '        hospiai-mcp setup <assistant> [--print] [--force] [--portal URL] [--command CHEMIN]',
    '                                      [--config-path CHEMIN] [--os macos|windows|linux]',
    '',
    '  L’entrée lance ce relais-ci : son Node et son paquet par chemin absolu ou, s’il a été',
    '  installé depuis le registre npm, npx -y hospiai-mcp@<sa version exacte>.',
    '  --command CHEMIN  lance plutôt ce paquet du relais (dist/hospiai-mcp.mjs)',
    '  --force           remplace une autre entrée hospiai existante (une copie de sauvegarde est gardée)',
  ].join('\n'),
  SETUP_NEEDS_VALUE: (p) => `${p.flag} attend une valeur.`,
  SETUP_UNKNOWN_OPTION: (p) => `Option inconnue : ${p.flag}.`,
  SETUP_ONE_CLIENT: (p) => `Un seul assistant IA à la fois (reçu ${p.first} et ${p.second}).`,
  SETUP_BAD_OS: (p) => `--os doit valoir ${p.list}.`,
  SETUP_UNKNOWN_CLIENT: (p) =>
    `Assistant IA inconnu : ${p.client}. Choisissez-en un dans la liste ci-dessous (le nom de la première colonne).`,
  SETUP_NO_BUNDLE: (p) =>
    `--command : aucun paquet du relais à ${p.bundle} (construisez-le avec npm run build:relay).`,
  SETUP_NO_RELAY_SOURCE:
    'Impossible de savoir où ce relais est installé, donc aucune commande à écrire. Lancez setup depuis le relais installé (sa commande hospiai-mcp), ou indiquez --command /chemin/vers/dist/hospiai-mcp.mjs.',
  SETUP_PORTAL_NOT_URL: (p) => `--portal : ce n’est pas une URL : ${p.value}.`,
  SETUP_PORTAL_NOT_HTTPS:
    '--portal : utilisez une URL https:// (http:// seulement pour un portail sur cet ordinateur).',
  SETUP_PORTAL_NOT_ORIGIN:
    '--portal : l’URL ne doit contenir ni identifiants, ni requête, ni fragment.',
};

export const catalogues: Record<Lang, Record<MessageKey, Message>> = { en, fr };

/**
 * HOSPIAI_MCP_LANG first, then the POSIX order LC_ALL, LC_MESSAGES, LANG (an empty variable
 * counts as unset): `fr_FR.UTF-8` → fr; anything else → en.
 */
export function langFromEnv(env: NodeJS.ProcessEnv): Lang {
  const value = env.HOSPIAI_MCP_LANG || env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
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

/** Every error code's sentence(s), the remote mode's own wording first where it has one. */
export const ERROR_SENTENCES = {
  NOT_PAIRED: [
    'NOT_PAIRED',
    'PAIR_CHECK',
    'PAIR_CODE_INVALID',
    'PAIR_NOT_RECOGNISED',
    'PAIR_NO_ANSWER',
    'PAIR_SHOWN_NOT_TYPED',
    'PAIR_UNAVAILABLE',
  ],
  NO_TOKEN: ['NO_TOKEN', 'REMOTE_NO_TOKEN', 'ACCESS_PAUSED', 'PORTAL_MISMATCH'],
  EXTENSION_OFFLINE: ['EXTENSION_OFFLINE'],
  TOKEN_EXPIRED: ['TOKEN_EXPIRED'],
  TOKEN_REVOKED: ['TOKEN_REVOKED', 'TOKEN_WITHDRAWN'],
  TOKEN_INVALID: ['TOKEN_INVALID'],
  INSUFFICIENT_SCOPE: ['INSUFFICIENT_SCOPE', 'REMOTE_INSUFFICIENT_SCOPE'],
  PORTAL_UNREACHABLE: ['PORTAL_UNREACHABLE'],
  PORTAL_ERROR: ['PORTAL_ERROR'],
  RATE_LIMITED: ['RATE_LIMITED'],
  SLOT_UNAVAILABLE: ['SLOT_UNAVAILABLE'],
  NOT_FOUND: ['NOT_FOUND'],
  INVALID_REQUEST: ['INVALID_REQUEST'],
  NOT_CONFIRMED: [
    'NOT_CONFIRMED_DECLINED',
    'NOT_CONFIRMED_PATIENT_CHANGED',
    'NOT_CONFIRMED_TIMEOUT',
    'NOT_CONFIRMED_UNSUPPORTED',
    'REMOTE_NOT_CONFIRMED_UNSUPPORTED',
    'NOT_CONFIRMED_ON_PAGE',
  ],
  RESULT_TOO_LARGE: ['RESULT_TOO_LARGE'],
  INTERNAL_ERROR: ['INTERNAL_ERROR'],
} as const satisfies Record<ErrorCode, readonly MessageKey[]>;
