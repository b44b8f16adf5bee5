/**
 * The extension's words in French: tsc fails when a key of the English catalogue is missing
 * here or one is here that English lacks.
 * (Over 250 lines: it is the catalogue, every sentence of the extension.)
 */
import type { ExtensionMessageKey } from './extension-messages-en';

export const fr: Record<ExtensionMessageKey, string> = {
  extension_name: 'HospiAI pour assistants IA',
  extension_description:
    'Connectez votre espace patient HospiAI aux assistants IA de cet ordinateur, avec votre accord.',
  popup_title: 'HospiAI × assistant IA',
  popup_loading: 'Chargement…',
  consent_title: 'Connecter votre assistant IA à HospiAI ?',
  consent_what:
    "Avec votre accord, cette extension permet aux assistants IA que vous connectez sur cet ordinateur d'utiliser votre espace HospiAI — seulement pour ce que vous cochez ci-dessous. Elle renouvelle cet accès tant que vous êtes connecté(e) ; le modèle d'IA ne le voit jamais.",
  consent_where:
    "Le jeton reste dans la mémoire de ce navigateur et dans votre relais IA local ; il n'est jamais montré au modèle d'IA.",
  consent_revoke:
    "Vous pouvez modifier les autorisations ou révoquer l'accès à tout moment depuis le bouton de l'extension.",
  consent_scopes_legend: 'Ce que votre assistant IA pourra faire',
  consent_allow: 'Autoriser',
  consent_not_now: 'Pas maintenant',
  consent_working: 'Connexion…',
  consent_failed: "Cela n'a pas fonctionné. Ouvrez l'extension pour voir pourquoi.",
  consent_granted: 'Vous avez autorisé votre assistant IA à utiliser HospiAI pour :',
  consent_change: 'Modifier les autorisations',
  scope_read_data: 'Lire mes données (rendez-vous, dossier médical)',
  scope_write_data:
    "Modifier mes informations dans HospiAI (aucun outil ne s'en sert encore ; toute modification me demanderait d'abord)",
  scope_book_appointments: 'Prendre ou annuler des rendez-vous — vous confirmez chacun',
  capture_title: 'Utiliser ce jeton pour votre assistant IA ?',
  capture_what:
    "L'extension peut transmettre le jeton que vous venez de créer aux assistants IA appairés sur cet ordinateur, sans que vous ayez à le copier.",
  capture_where:
    'Il reste dans la mémoire de ce navigateur et dans votre relais IA local ; vous pouvez le révoquer à tout moment.',
  capture_use: 'Utiliser ce jeton',
  capture_ignore: 'Non merci',
  capture_done: "C'est fait : votre assistant IA utilise maintenant ce jeton.",
  capture_rejected:
    "Ce jeton ne peut pas être utilisé : il n'appartient pas au patient connecté ou il a expiré.",
  banner_decide_in_extension:
    'Vous décidez dans l’extension HospiAI elle-même (son icône dans la barre d’outils), hors d’atteinte de toute page web.',
  banner_open_extension: 'Ouvrir l’extension',
  capture_offer_scopes: 'Autorisations de ce jeton : $1',
  token_name: 'Assistant IA ($1)',
  token_title: "Jeton d'accès",
  token_active_auto: 'Actif, renouvelé automatiquement ; le jeton actuel expire à $1.',
  token_active_capture: 'Actif (créé par vous sur HospiAI) ; expire à $1.',
  token_renewing: 'Renouvellement…',
  token_none: 'Aucun jeton : votre assistant IA ne peut pas accéder à HospiAI.',
  revoke_done: "Arrêté : HospiAI refuse l'accès de vos assistants, et ce navigateur les a oubliés.",
  revoke_pending:
    "Arrêté ici. HospiAI annulera l'accès la prochaine fois que vous vous connecterez.",
  portal_title: 'Compte HospiAI',
  portal_logged_in: 'Connecté(e) en tant que $1.',
  portal_logged_out: 'Non connecté(e) à HospiAI.',
  portal_unknown: 'Ouvrez HospiAI pour vérifier votre connexion.',
  action_open_portal: 'Ouvrir HospiAI',
  relays_title: 'Relais IA sur cet ordinateur',
  relays_none: 'Aucun assistant IA connecté.',
  relays_unnamed: 'Assistant IA (démarrage)',
  relays_port: 'port $1',
  relays_has_token: '· connecté à HospiAI',
  relays_no_token: "· en attente d'un jeton",
  connect_title: 'Connecter un assistant IA',
  connect_back: '← Retour',
  connect_intro:
    "Ajoutez HospiAI à l'assistant que vous utilisez, puis connectez-le à ce navigateur avec un code à usage unique. Rien de secret n'est écrit dans les réglages de votre assistant : il reçoit votre accès de cette extension.",
  connect_client_label: 'Assistant IA',
  connect_os_label: 'Système',
  os_macos: 'macOS',
  os_windows: 'Windows',
  os_linux: 'Linux',
  connect_simplest: 'Le plus simple : lancez ceci dans un terminal',
  connect_by_hand: 'Ou ajoutez ceci à $1',
  connect_add_command: "$1 peut aussi l'ajouter avec sa propre commande :",
  connect_copy_setup: 'Copier la commande',
  connect_copy_config: 'Copier la configuration',
  connect_copy_add: 'Copier la commande de $1',
  connect_copied: 'Copié.',
  connect_copy_failed: 'Copie impossible : sélectionnez le texte et faites Ctrl+C (⌘C sur Mac).',
  connect_then: "Puis redémarrez $1 pour qu'il lance HospiAI.",
  connect_docs: 'Documentation de $1 sur les serveurs MCP',
  pair_title: "Vous avez un code de votre assistant ou d'un terminal ?",
  pair_help:
    "Saisissez le code qu'affiche la fenêtre de votre assistant (ou que hospiai-mcp pair a affiché dans un terminal).",
  pair_label: "Code d'appairage",
  pair_submit: 'Appairer',
  pair_working: 'Appairage…',
  pair_done: 'Appairé : votre assistant est connecté à ce navigateur.',
  pair_invalid_code:
    "Ce n'est pas un code d'appairage : il compte 8 lettres et chiffres, comme K7QM-3XPA.",
  pair_no_relay:
    "Aucun assistant IA avec HospiAI n'est lancé, ou aucun n'affiche ce code. Ouvrez votre assistant (il lance HospiAI), puis saisissez de nouveau le code.",
  pair_code_mismatch:
    'Ce code ne correspond pas. Vérifiez-le et tapez-le de nouveau. Essais restants : $1.',
  pair_relay_timeout:
    'HospiAI, dans votre assistant IA, n’a pas répondu à temps. Tapez le code à nouveau.',
  pair_no_pending_code:
    'Ce code a expiré ou a déjà servi. Redemandez un code à votre assistant (ou relancez hospiai-mcp pair).',
  pair_locked:
    'Trop de codes erronés : ce code ne fonctionne plus. Redemandez un code à votre assistant (ou relancez hospiai-mcp pair).',
  audit_title: "Ce qu'a fait votre assistant",
  audit_none: "Rien pour l'instant.",
  audit_earlier: '$1 demandes plus anciennes',
  audit_export_json: 'Enregistrer en JSON',
  audit_export_csv: 'Enregistrer en tableur (CSV)',
  confirm_title: 'En attente de votre confirmation',
  date_locale: 'fr',
  confirm_read_question: '$1 souhaite $2.',
  read_get_appointments: 'lire vos rendez-vous',
  read_get_medical_records: 'lire votre dossier médical',
  read_find_doctors: 'chercher des médecins',
  read_get_available_slots: 'consulter les créneaux libres',
  confirm_write_book_appointment: '$1 demande à prendre ce rendez-vous :',
  confirm_write_cancel_appointment: '$1 demande à annuler ce rendez-vous :',
  confirm_assistant_unnamed: 'Votre assistant IA',
  confirm_patient: 'Patient',
  confirm_when: 'Quand',
  confirm_doctor: 'Médecin',
  confirm_where: 'Où',
  confirm_reason: 'Motif',
  confirm_reason_source: 'tel que votre assistant l’a écrit',
  confirm_allow_once: 'Autoriser cette fois',
  confirm_allow_conversation: 'Autoriser ceci pour cette conversation',
  confirm_allow_hour: 'Autoriser ceci pendant une heure',
  confirm_allow_help:
    '« Pour cette conversation » ou « pendant une heure » : votre assistant refait ceci sans redemander jusque-là — tout autre lecture vous est encore demandée. Prendre ou annuler un rendez-vous demande toujours votre accord.',
  receipts_title: 'Fait pour vous',
  receipt_done_book_appointment: 'Rendez-vous pris ✓',
  receipt_done_cancel_appointment: 'Rendez-vous annulé ✓',
  receipt_failed_book_appointment: 'Rendez-vous non pris',
  receipt_failed_cancel_appointment: 'Rendez-vous non annulé',
  receipt_problem_slot_unavailable:
    'Ce créneau a été pris entre-temps : rien n’a été réservé. Demandez un autre horaire à votre assistant.',
  receipt_problem_other:
    'HospiAI n’a pas pu le faire : rien n’a changé. Votre assistant sait pourquoi.',
  receipt_dismiss: 'Masquer',
  confirm_approve: 'Confirmer',
  confirm_decline: 'Refuser',
  confirm_notification_title: 'Votre assistant IA demande votre confirmation',
  renewal_notification_title: 'HospiAI : gardez votre assistant IA connecté',
  problems_label: 'Ce qui demande votre attention',
  problem_not_paired: "Votre assistant n'est pas encore connecté à ce navigateur.",
  problem_login_needed: 'Connectez-vous à HospiAI pour reconnecter votre assistant.',
  problem_consent_needed:
    "Votre assistant n'a pas encore d'accès : choisissez ce qu'il peut faire et autorisez-le.",
  problem_no_relay: "Votre assistant n'est pas ouvert : ouvrez-le, il se connecte tout seul.",
  problem_relay_untrusted:
    "Quelque chose sur cet ordinateur a répondu comme votre assistant mais n'en est pas un : rien ne lui a été envoyé. Voir Détails.",
  problem_relay_not_paired:
    "Un de vos assistants n'est pas encore connecté à ce navigateur : choisissez « Connecter un autre assistant » et donnez-lui un code.",
  problem_relay_version:
    "Un de vos assistants utilise une version plus ancienne ou plus récente de HospiAI : mettez à jour l'extension et HospiAI dans cet assistant.",
  problem_relay_auth_failed:
    'Un de vos assistants ne reconnaît plus ce navigateur : connectez-le de nouveau avec un nouveau code.',
  problem_renewal_needs_portal:
    "Ouvrez HospiAI pour que l'accès de votre assistant soit renouvelé avant qu'il n'expire.",
  problem_portal_revocation_pending:
    "L'accès de vos assistants doit encore être annulé chez HospiAI : connectez-vous à HospiAI pour terminer.",
  problem_provision_failed:
    "HospiAI n'a pas pu donner son accès à votre assistant. Réessayez dans un instant.",
  problem_capture_rejected:
    "Cet accès n'a pas été utilisé : il n'appartient pas au patient connecté ou a expiré.",
  problem_bridge_disabled: "En pause : vos assistants n'ont aucun accès jusqu'à la reprise.",
  error_background_unreachable: "L'extension redémarre : réessayez dans un instant.",
  error_action_failed: "Cela n'a pas fonctionné : voyez ci-dessus ce qui demande votre attention.",
  error_pause_unconfirmed:
    "En pause ici, mais un assistant ne l'a pas confirmé à temps. S'il lit encore vos données, fermez cet assistant.",
  options_title: 'HospiAI pour assistants IA – réglages',
  options_portal_label: 'Adresse de HospiAI',
  options_portal_help:
    "En général $1 — ne le changez que si votre hôpital vous a donné une autre adresse. Le navigateur vous demande votre permission pour une autre adresse à l'enregistrement.",
  options_ports_legend: 'Ports des relais IA sur cet ordinateur',
  options_first_port: 'Premier port',
  options_last_port: 'Dernier port',
  options_save: 'Enregistrer',
  options_saved: 'Enregistré.',
  options_error_invalid_origin:
    'Cette adresse ne peut pas être utilisée : elle doit commencer par https:// (http:// seulement sur cet ordinateur).',
  options_error_invalid_ports:
    'Les ports doivent être entre 1024 et 65535, 32 au plus, le premier avant le dernier.',
  options_error_permission_denied:
    "Sans votre autorisation pour cette adresse, l'extension ne peut pas l'utiliser.",
  consent_title_granted: 'Ce que votre assistant peut faire',
  consent_allow_reads:
    'Le laisser lire sans me demander à chaque fois (les réservations demandent toujours)',
  read_policy_title: 'Me demander avant de…',
  read_policy_help:
    "Coché : votre assistant IA doit d'abord vous demander. Les réservations et annulations demandent toujours.",
  tool_get_appointments: 'lire vos rendez-vous',
  tool_get_medical_records: 'lire votre dossier médical',
  tool_find_doctors: 'chercher des médecins',
  tool_get_available_slots: 'consulter les créneaux libres',
  problem_access_revoked:
    "Vous avez coupé l'accès de votre assistant. Autorisez-le de nouveau pour le reconnecter.",
  connect_install_first:
    "D'abord, ajoutez HospiAI à votre assistant : il le lancera ensuite tout seul.",
  connect_bundle:
    'Ouvrez le fichier $1 téléchargé : $2 montre ce que fait HospiAI et l’installe (ou déposez-le dans Réglages → Extensions). Rien d’autre à installer : il fonctionne avec le Node de $2.',
  connect_bundle_download: 'Télécharger HospiAI pour $1',
  connect_bundle_portal: 'Quand il demande l’adresse du portail, indiquez $1.',
  connect_package:
    '$1 lance HospiAI avec Node 20 ou plus récent. Dans un terminal, exécutez ces deux commandes : la première installe cette version de HospiAI, la seconde l’ajoute à la configuration de $1 (une copie de sauvegarde est gardée). Une fois HospiAI appairé, cette vue montre sa configuration exacte.',
  connect_copy_install: 'Copier les commandes',
  connect_one_click: 'Installer dans $1',
  pairing_code_title: 'Connecter votre assistant IA',
  pairing_code_intro:
    'Affichez un code à usage unique et dites-le à votre assistant IA. Il affiche alors une valeur de contrôle, et cette fenêtre aussi : vous les comparez avant que rien ne soit connecté. Aucun terminal nécessaire.',
  pairing_code_start: 'Afficher un code',
  pairing_code_label: 'Votre code',
  pairing_code_give:
    'Dites à votre assistant IA : « connecte HospiAI avec le code $1 ». Il affiche alors une valeur de contrôle, et cette fenêtre aussi : vous les comparez ici.',
  pairing_code_until: "Valable jusqu'à $1, une fois.",
  pairing_code_waiting: 'En attente de votre assistant IA…',
  pairing_code_expired: 'Ce code a expiré. Demandez-en un nouveau.',
  pairing_code_new: 'Nouveau code',
  pairing_code_cancel: 'Annuler',
  pairing_code_done: 'Appairé : votre assistant IA est connecté à ce navigateur.',
  checklist_title: 'Trois étapes pour connecter votre assistant',
  checklist_ready: 'Votre assistant peut accéder à HospiAI.',
  step_login: 'Connectez-vous à HospiAI',
  step_allow: 'Autorisez votre assistant',
  step_connect: 'Connectez votre assistant',
  step_status_done: '— fait',
  step_status_current: '— maintenant',
  step_status_todo: '— à faire',
  step_login_hint:
    "Ouvrez HospiAI dans ce navigateur et connectez-vous : l'extension a besoin de votre session pour donner son accès à votre assistant.",
  step_login_done: 'Connecté(e) en tant que $1.',
  step_allow_hint: 'Choisissez ce que votre assistant peut faire, puis autorisez-le.',
  step_allow_again:
    "Vous avez coupé l'accès de votre assistant. Autorisez-le de nouveau pour le reconnecter.",
  step_connect_hint:
    'Ajoutez HospiAI à votre assistant IA, puis donnez-lui le code à usage unique que cette fenêtre affiche.',
  step_connect_paused:
    'En pause : vos assistants ne peuvent pas accéder à HospiAI tant que vous ne reprenez pas.',
  step_connect_not_running:
    "Votre assistant n'est pas ouvert. Ouvrez-le : il se connecte tout seul.",
  next_login: 'Se connecter à HospiAI',
  next_connect: 'Connecter votre assistant',
  assistant_title: 'Votre assistant',
  assistant_connected: 'Votre assistant est connecté.',
  assistant_connected_no_access:
    'Votre assistant est connecté, mais ne peut pas encore accéder à HospiAI.',
  assistant_paused:
    "En pause : vos assistants n'ont aucun accès jusqu'à la reprise. Votre autorisation et la connexion sont conservées.",
  assistant_waiting: 'En attente de votre assistant…',
  assistant_none: "Aucun assistant connecté pour l'instant.",
  connect_another: 'Connecter un autre assistant',
  switches_title: 'Mettre en pause ou arrêter',
  action_pause: 'Mettre en pause',
  action_resume: 'Reprendre',
  pause_explain:
    "Déconnecte vos assistants pour l'instant. Votre autorisation et la connexion sont conservées : « Reprendre » les rétablit.",
  action_stop: 'Arrêter et révoquer',
  stop_explain: "Met fin pour de bon à l'accès de vos assistants.",
  stop_confirm_title: 'Arrêter et révoquer ? Cela va :',
  stop_confirm_revoke:
    "annuler l'accès de vos assistants chez HospiAI et le retirer de ce navigateur et de vos assistants ;",
  stop_confirm_consent: 'retirer votre autorisation ;',
  stop_confirm_forget: 'oublier la connexion avec vos assistants.',
  stop_confirm_after:
    "Pour utiliser de nouveau HospiAI avec un assistant, vous devrez l'autoriser et le connecter de nouveau.",
  stop_keep: 'Garder',
  stop_confirm_yes: 'Oui, arrêter et révoquer',
  details_title: 'Détails',
  details_pairing_title: 'Appairage avec les relais de vos assistants',
  details_paired: 'Ce navigateur est appairé avec le relais HospiAI que lancent vos assistants.',
  details_not_paired: 'Pas encore appairé.',
  port_untrusted:
    "Port $1 : un programme qui n'est pas votre relais (rien ne lui a été envoyé). Fermez-le, ou appairez de nouveau si vous avez réinstallé le relais.",
  port_not_paired: "Port $1 : un relais qui n'est pas appairé avec ce navigateur.",
  port_version:
    "Port $1 : un relais qui parle une autre version (mettez à jour l'extension et le relais).",
  port_auth_failed: 'Port $1 : un relais qui a refusé ce navigateur (appairez de nouveau).',
  audit_export_title: 'Garder une copie de la liste',
  audit_tool_get_appointments: 'a lu vos rendez-vous',
  audit_tool_get_medical_records: 'a lu votre dossier médical',
  audit_tool_find_doctors: 'a cherché un médecin',
  audit_tool_get_available_slots: 'a consulté des créneaux libres',
  audit_tool_book_appointment: 'a pris un rendez-vous',
  audit_tool_cancel_appointment: 'a annulé un rendez-vous',
  audit_tool_connection_status: 'a vérifié sa connexion',
  audit_tool_connect_extension: "s'est connecté à ce navigateur",
  audit_tool_other: 'a fait une autre demande',
  audit_outcome_ok: '— fait',
  audit_outcome_declined: '— pas fait : vous avez refusé ou pas répondu',
  audit_outcome_failed: "— n'a pas abouti",
  pair_help_again:
    'Pour appairer de nouveau depuis un terminal : lancez hospiai-mcp pair, puis tapez le code affiché (valable 2 minutes).',
  pair_code_wrong: 'Ce code ne correspond pas. Vérifiez-le et tapez-le de nouveau.',
  connect_step_install: '1. Ajoutez HospiAI à $1',
  connect_step_code: '2. Connecter $1 à ce navigateur',
  connect_paired_already:
    'Ce navigateur est déjà connecté à vos assistants : redémarrez $1, il se connecte tout seul.',
  options_advanced: 'Avancé',
  options_ports_help:
    "Votre assistant IA lance le relais HospiAI, qui attend ce navigateur sur l'un de ces ports de cet ordinateur. Ne les changez que si un autre programme les utilise déjà — et donnez la même plage à vos assistants (HOSPIAI_MCP_PORTS).",
  banner_allowed_title: 'Autorisé ✓',
  banner_next_connect:
    "Étape suivante : connectez votre assistant — ouvrez l'extension HospiAI (son icône dans la barre d'outils).",
  banner_close: 'Fermer',
  pairing_code_refused:
    'Votre assistant, ou un autre programme de cet ordinateur, a reçu un autre code. Si vous venez de dire le code à votre assistant, vérifiez-le et redites-le.',
  pairing_code_check_title: 'Votre assistant affiche-t-il cette valeur de contrôle ?',
  pairing_code_check_help:
    "Cherchez-la dans la réponse de HospiAI dans votre assistant (ouvrez le résultat de l'outil s'il est replié). Ne confirmez que si elle est exactement la même : un autre programme a pu apprendre votre code.",
  pairing_code_check_client:
    "L'assistant se présente comme « $1 » (ce sont ses mots, pas une preuve).",
  pairing_code_check_match: 'Elle correspond',
  pairing_code_check_differs: 'Elle ne correspond pas',
  pairing_code_conflict:
    "Deux programmes de cet ordinateur ont répondu à ce code : rien n'a été connecté, car l'un d'eux n'est pas votre assistant. Si vous avez donné le code à deux assistants, connectez-les l'un après l'autre. Demandez un nouveau code.",
  pairing_code_declined:
    "Rien n'a été connecté. Un autre programme a peut-être répondu à la place de votre assistant : fermez les programmes que vous ne connaissez pas, puis demandez un nouveau code.",
  pairing_code_confirm_failed:
    "Votre assistant n'a pas fini de se connecter (il a peut-être redémarré, ou attendu trop longtemps). Rien n'a été connecté. Demandez un nouveau code.",
  pairing_typed_intro:
    "Demandez n'importe quoi sur HospiAI à votre assistant : il affiche un code à usage unique dans sa propre fenêtre. Saisissez ce code ici.",
  pairing_typed_other: "Mon assistant n'affiche pas de code",
  pairing_chat_other: 'Mon assistant affiche un code',
  relays_calls_itself: 'Un assistant qui se présente comme « $1 »',
  pairing_verified_check:
    'Appairé le $1 : vous avez vérifié la valeur $2 avec celle de votre assistant.',
  pairing_verified_typed:
    'Appairé le $1 : vous avez saisi un code affiché par votre assistant ou un terminal.',
  pairing_verified_unknown: 'Appairé le $1.',
  port_wrong_portal:
    'Port $1 : votre relais, mais configuré pour un autre portail ($2) : il ne reçoit donc rien. Réglez HOSPIAI_URL dans la configuration de cet assistant sur votre portail.',
  problem_relay_wrong_portal:
    'Un de vos assistants est configuré pour un autre portail : il ne reçoit donc rien (voir Détails).',
  sign_in_title: 'Se connecter avec HospiAI',
  sign_in_asks: '$1 demande, via $2, l’accès à votre dossier HospiAI.',
  sign_in_unnamed: 'Un assistant',
  sign_in_from: 'Une demande de connexion de $1.',
  sign_in_verified: 'Vérifié par $2 : sa description est publiée par $1.',
  sign_in_unverified:
    'C’est le nom qu’il se donne ; il n’est pas vérifié. Il sera renvoyé vers $1.',
  sign_in_permission_what:
    'Pour voir cette demande, l’extension doit joindre $1. L’autoriser ne donne rien.',
  sign_in_permission_allow: 'Laisser l’extension joindre ce serveur',
  sign_in_scopes: 'Ce qu’il pourra faire (décochez ce que vous ne voulez pas) :',
  sign_in_what:
    'Autoriser crée un accès propre à cet assistant (30 jours), donné à cette connexion seulement. Vous pouvez le révoquer ici ou sur la page Tokens API du portail.',
  sign_in_allow: 'Autoriser',
  sign_in_deny: 'Refuser',
  sign_in_problem_request_gone:
    'Cette demande de connexion n’est plus valable (utilisée, expirée ou inconnue). Recommencez depuis votre assistant.',
  sign_in_problem_server_unreachable:
    'Le serveur qui demande est injoignable. Réessayez depuis votre assistant.',
  sign_in_problem_login_needed:
    'Connectez-vous au portail HospiAI dans ce navigateur, puis appuyez de nouveau sur Autoriser.',
  sign_in_problem_provision_failed:
    'Le portail n’a pas créé l’accès. Vérifiez que vous êtes connecté, puis réessayez.',
  sign_in_problem_delivery_refused:
    'Le serveur a refusé cet accès ; rien n’a été donné (l’accès a été révoqué). Recommencez depuis votre assistant.',
  sign_in_token_name: 'HospiAI — $1 via $2',
  sign_in_tokens_title: 'Assistants connectés avec HospiAI',
  sign_in_revoke: 'Révoquer',
  sign_in_tokens_help: 'Révoquer met fin tout de suite à l’accès de cet assistant.',
  sign_in_server_warning:
    'L’accès va au serveur $1, qui le gardera pour cet assistant. N’autorisez qu’un serveur que votre hôpital vous a donné.',
};
