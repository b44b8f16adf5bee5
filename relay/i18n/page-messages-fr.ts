/**
 * The remote mode's pages in French: tsc fails when a key of the English catalogue is missing
 * here, one is here that English lacks, or a sentence takes other values than its English one.
 */
import type { PageMessages } from './page-messages-en';

export const fr: PageMessages = {
  consent_title: 'Connecter un assistant à votre dossier HospiAI',
  consent_asks: 'demande l’accès à votre dossier HospiAI.',
  consent_verified: (host: string) => `Vérifié : sa description est publiée par ${host}.`,
  consent_unverified: (host: string) =>
    `C’est le nom qu’il se donne ; il n’est pas vérifié. Vous serez renvoyé vers ${host}.`,
  consent_unnamed: 'Un assistant',
  consent_permissions: 'Ce qu’il pourra faire (décochez ce que vous ne voulez pas) :',
  consent_scope_read_data: 'Lire vos rendez-vous, dossiers médicaux, médecins et créneaux libres',
  consent_scope_book_appointments: 'Prendre et annuler des rendez-vous — vous confirmez chacun',
  consent_scope_write_data: 'Écrire des données dans votre dossier',
  consent_extension_title: 'Avec l’extension de navigateur HospiAI',
  consent_extension_link: 'Utiliser l’extension HospiAI',
  consent_extension_help:
    'Ouvre le portail HospiAI : l’extension vous y demande, dans sa propre fenêtre, quelles permissions donner. Rien à copier.',
  consent_or_paste: 'Ou collez un jeton',
  consent_token_label: 'Votre accès HospiAI',
  consent_token_help: (portal: string) =>
    `Sur le portail HospiAI, ouvrez Tokens API (${portal}/dashboard/tokens), générez un jeton avec les permissions cochées ici, et collez-le ci-dessous. Collez-le ici seulement — jamais dans une conversation. Il reste le vôtre : mettre fin à cette connexion ne le supprime pas ; supprimez-le sur cette page quand vous n’en voulez plus.`,
  consent_allow: 'Autoriser',
  consent_deny: 'Refuser',
  consent_after:
    'Vous pouvez mettre fin à cet accès à tout moment : supprimez le jeton sur la page Tokens API, ou retirez la connexion dans votre assistant.',

  problem_no_token: 'Collez votre accès HospiAI (un jeton de la page Tokens API) pour autoriser.',
  problem_bad_token: (why: string) => `Cet accès HospiAI n’a pas été accepté : ${why}.`,
  problem_token_unchecked: 'il n’a pas pu être vérifié',
  problem_nothing_ticked: 'Cochez au moins une permission, ou choisissez Refuser.',
  problem_missing_scopes: (scopes: string) =>
    `Ce jeton ne porte pas ce que vous avez coché (${scopes}) : générez-en un avec ces permissions, ou décochez-les.`,
  problem_expired: 'Cette demande a expiré : relancez la connexion depuis votre assistant.',
  problem_other_browser:
    'Ouvrez cette connexion dans le navigateur où elle a commencé (celui qui a affiché la page d’accord HospiAI). Rien n’a été donné ici.',

  error_title: 'Cette connexion ne peut pas continuer',
  error_no_client_id: 'client_id manque',
  error_unregistered_redirect: 'redirect_uri n’est pas une adresse que ce client a enregistrée',
  error_foreign_answer: 'cette réponse ne vient pas de cette page',
  error_form_too_large: 'le formulaire est trop grand',

  confirm_title: 'Confirmer sur HospiAI',
  confirm_confirm: 'Confirmer',
  confirm_decline: 'Ne pas le faire',
  confirm_done:
    'C’est fait. Votre assistant ne le sait pas encore : demandez-lui de vérifier (la liste de vos rendez-vous le montre).',
  confirm_handed_back:
    'Confirmé. De retour dans votre assistant, il le fait maintenant et vous le dit.',
  confirm_declined: 'Rien n’a été fait.',
  confirm_failed: (why: string) => `Rien n’a été fait : le portail a refusé (${why}).`,
  confirm_gone:
    'Cette confirmation n’est plus valable (utilisée, expirée ou inconnue). Redemandez à votre assistant.',
  confirm_other_browser:
    'Ouvrez ce lien dans le navigateur où vous vous êtes connecté à HospiAI depuis votre assistant. Rien n’est fait d’ici.',
  confirm_ended:
    'La connexion de votre assistant a pris fin : rien n’a été fait. Reconnectez-vous depuis votre assistant.',
  confirm_field_doctor: 'Médecin',
  confirm_field_date: 'Date',
  confirm_field_time: 'Heure',
  confirm_field_reason: 'Motif',
  confirm_field_hospital: 'Hôpital',
  confirm_field_address: 'Adresse',
  // La carte de confirmation (relay/card/card-view.ts).
  card_headline_book_appointment: 'Prendre ce rendez-vous ?',
  card_headline_cancel_appointment: 'Annuler ce rendez-vous ?',
  card_patient: 'Dossier de',
  card_when: 'Quand',
  card_doctor: 'Médecin',
  card_where: 'Où',
  card_reason: 'Motif',
  card_reason_source: 'tel que votre assistant l’a écrit',
  card_note_book_appointment:
    'Votre assistant ne peut pas le réserver lui-même. La page de HospiAI s’ouvre dans le navigateur où vous vous êtes connecté : rien n’est réservé tant que vous n’y avez pas appuyé sur Confirmer.',
  card_note_cancel_appointment:
    'Votre assistant ne peut pas l’annuler lui-même. La page de HospiAI s’ouvre dans le navigateur où vous vous êtes connecté : rien n’est annulé tant que vous n’y avez pas appuyé sur Confirmer.',
  card_button: 'Confirmer sur HospiAI',
  card_not_opened: 'La page n’a pas pu être ouverte d’ici. Ouvrez ce lien dans votre navigateur :',
  card_booked: 'Rendez-vous pris : ',
  card_cancelled: 'Rendez-vous annulé : ',
  card_waiting: 'En attente de HospiAI…',
  card_nothing_done: 'Rien n’a été fait.',
};
