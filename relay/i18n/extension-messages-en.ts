/**
 * The extension's words in English, the default locale: the keys every language must have.
 * A description, where one helps, tells translators (and the store) what the text is for.
 * (Over 250 lines: it is the catalogue, every sentence of the extension.)
 */
import type { ExtensionMessage } from './extension-messages';

export const en = {
  extension_name: { message: 'HospiAI for AI assistants', description: 'Extension name' },
  extension_description: {
    message:
      'Connect your HospiAI patient space to the AI assistants on this computer, with your consent.',
    description: 'Extension description',
  },
  popup_title: { message: 'HospiAI × AI assistant', description: 'Popup heading' },
  popup_loading: 'Loading…',
  consent_title: 'Connect your AI assistant to HospiAI?',
  consent_what:
    'With your permission, this extension lets the AI assistants you connect on this computer use your HospiAI space — only for what you tick below. It renews that access while you are logged in; the AI model never sees it.',
  consent_where:
    "The token stays in this browser's memory and in your local AI relay; it is never shown to the AI model.",
  consent_revoke:
    "You can change the permissions or revoke access at any time from the extension's button.",
  consent_scopes_legend: 'What your AI assistant may do',
  consent_allow: 'Allow',
  consent_not_now: 'Not now',
  consent_working: 'Connecting…',
  consent_failed: 'That did not work. Open the extension to see why.',
  consent_granted: 'You allowed your AI assistant to use HospiAI for:',
  consent_change: 'Change permissions',
  scope_read_data: 'Read my data (appointments, medical records)',
  scope_write_data:
    'Change my information in HospiAI (no tool uses it yet; any change would ask me first)',
  scope_book_appointments: 'Book or cancel appointments — you confirm each one',
  capture_title: 'Use this token for your AI assistant?',
  capture_what:
    'The extension can hand the token you just created to the AI assistants you paired on this computer, instead of you copying it.',
  capture_where:
    "It stays in this browser's memory and in your local AI relay; you can revoke it at any time.",
  capture_use: 'Use this token',
  capture_ignore: 'No, thanks',
  capture_done: 'Done: your AI assistant now uses this token.',
  capture_rejected:
    'This token cannot be used: it does not belong to the logged-in patient or has expired.',
  banner_decide_in_extension:
    'You decide in the HospiAI extension itself (its icon in the toolbar), where no web page can reach.',
  banner_open_extension: 'Open the extension',
  capture_offer_scopes: 'Permissions of this token: $1',
  token_name: {
    message: 'AI assistant ($1)',
    description: 'Name of the auto-created token; $1 is the browser',
  },
  token_title: 'Access token',
  token_active_auto: 'Active, renewed automatically; current token expires at $1.',
  token_active_capture: 'Active (created by you on HospiAI); expires at $1.',
  token_renewing: 'Renewing…',
  token_none: 'No token: your AI assistant cannot reach HospiAI.',
  revoke_done:
    "Stopped: HospiAI refuses your assistants' access, and this browser has forgotten them.",
  revoke_pending: 'Stopped here. HospiAI will cancel the access the next time you log in.',
  portal_title: 'HospiAI account',
  portal_logged_in: 'Logged in as $1.',
  portal_logged_out: 'Not logged into HospiAI.',
  portal_unknown: 'Open HospiAI to check your login.',
  action_open_portal: 'Open HospiAI',
  relays_title: 'AI relays on this computer',
  relays_none: 'No AI assistant connected.',
  relays_unnamed: 'AI assistant (starting)',
  relays_port: 'port $1',
  relays_has_token: '· connected to HospiAI',
  relays_no_token: '· waiting for a token',
  connect_title: 'Connect an AI assistant',
  connect_back: '← Back',
  connect_intro:
    "Add HospiAI to the assistant you use, then connect it to this browser with a one-time code. Nothing secret goes into your assistant's settings: it gets your access from this extension.",
  connect_client_label: 'AI assistant',
  connect_os_label: 'System',
  os_macos: 'macOS',
  os_windows: 'Windows',
  os_linux: 'Linux',
  connect_simplest: 'Simplest: run this in a terminal',
  connect_by_hand: 'Or add this to $1',
  connect_add_command: '$1 can also add it with its own command:',
  connect_copy_setup: 'Copy the command',
  connect_copy_config: 'Copy the configuration',
  connect_copy_add: "Copy $1's command",
  connect_copied: 'Copied.',
  connect_copy_failed: 'Could not copy: select the text and press Ctrl+C (⌘C on a Mac).',
  connect_then: 'Then restart $1 so that it starts HospiAI.',
  connect_docs: "$1's documentation on MCP servers",
  pair_title: 'Have a code from your assistant or a terminal?',
  pair_help:
    "Type the code your assistant's window shows (or that hospiai-mcp pair printed in a terminal).",
  pair_label: 'Pairing code',
  pair_submit: 'Pair',
  pair_working: 'Pairing…',
  pair_done: 'Paired: your assistant is connected to this browser.',
  pair_invalid_code: 'This is not a pairing code: it has 8 letters and digits, like K7QM-3XPA.',
  pair_no_relay:
    'No AI assistant with HospiAI is running, or none shows this code. Open your assistant (it starts HospiAI), then type the code again.',
  pair_code_mismatch: 'This code does not match. Check it and type it again. Tries left: $1.',
  pair_relay_timeout: 'HospiAI in your AI assistant did not answer in time. Type the code again.',
  pair_no_pending_code:
    'This code has expired or was already used. Ask your assistant again for a new one (or run hospiai-mcp pair again).',
  pair_locked:
    'Too many wrong codes: this code no longer works. Ask your assistant again for a new one (or run hospiai-mcp pair again).',
  audit_title: 'What your assistant did',
  audit_none: 'Nothing yet.',
  audit_earlier: '$1 earlier requests',
  audit_export_json: 'Save as JSON',
  audit_export_csv: 'Save as a spreadsheet (CSV)',
  confirm_title: 'Waiting for your confirmation',
  date_locale: {
    message: 'en',
    description: 'The language dates are written in (Intl), matching this catalogue',
  },
  confirm_read_question: {
    message: '$1 wants to $2.',
    description: '$1: the assistant; $2: read_<tool>',
  },
  read_get_appointments: 'read your appointments',
  read_get_medical_records: 'read your medical records',
  read_find_doctors: 'search for doctors',
  read_get_available_slots: 'look up free appointment times',
  confirm_write_book_appointment: {
    message: '$1 asks to book this appointment:',
    description: '$1: the assistant',
  },
  confirm_write_cancel_appointment: {
    message: '$1 asks to cancel this appointment:',
    description: '$1: the assistant',
  },
  confirm_assistant_unnamed: 'Your AI assistant',
  confirm_patient: 'Patient',
  confirm_when: 'When',
  confirm_doctor: 'Doctor',
  confirm_where: 'Where',
  confirm_reason: 'Reason',
  confirm_reason_source: 'as your assistant wrote it',
  confirm_allow_once: 'Allow once',
  confirm_allow_conversation: 'Allow this for this conversation',
  confirm_allow_hour: 'Allow this for one hour',
  confirm_allow_help:
    '“For this conversation” or “for one hour”: your assistant does this again without asking until then — anything else it reads still asks you. Bookings and cancellations always ask.',
  receipts_title: 'Done for you',
  receipt_done_book_appointment: 'Booked ✓',
  receipt_done_cancel_appointment: 'Cancelled ✓',
  receipt_failed_book_appointment: 'Not booked',
  receipt_failed_cancel_appointment: 'Not cancelled',
  receipt_problem_slot_unavailable:
    'This time was taken meanwhile: nothing was booked. Ask your assistant for another time.',
  receipt_problem_other:
    'HospiAI could not do it, so nothing changed. Your assistant was told why.',
  receipt_dismiss: 'Hide',
  confirm_approve: 'Confirm',
  confirm_decline: 'Refuse',
  confirm_notification_title: 'Your AI assistant asks for your confirmation',
  renewal_notification_title: 'HospiAI: keep your AI assistant connected',
  problems_label: 'What needs your attention',
  problem_not_paired: 'Your assistant is not connected to this browser yet.',
  problem_login_needed: 'Log in to HospiAI to reconnect your assistant.',
  problem_consent_needed: 'Your assistant has no access yet: choose what it may do and allow it.',
  problem_no_relay: 'Your assistant is not open: open it, and it connects by itself.',
  problem_relay_untrusted:
    'Something on this computer answered like your assistant but is not: nothing was sent to it. See Details.',
  problem_relay_not_paired:
    'One of your assistants is not connected to this browser yet: choose “Connect another assistant” and give it a code.',
  problem_relay_version:
    'One of your assistants uses an older or newer HospiAI: update the extension and HospiAI in that assistant.',
  problem_relay_auth_failed:
    'One of your assistants no longer recognises this browser: connect it again with a new code.',
  problem_renewal_needs_portal:
    "Open HospiAI so your assistant's access can be renewed before it expires.",
  problem_portal_revocation_pending:
    "Your assistants' access still has to be cancelled at HospiAI: log in to HospiAI to finish.",
  problem_provision_failed:
    'HospiAI could not give your assistant its access. Try again in a moment.',
  problem_capture_rejected:
    'That access was not used: it does not belong to the logged-in patient or has expired.',
  problem_bridge_disabled: 'Paused: your assistants get no access until you resume.',
  error_background_unreachable: 'The extension is restarting: try again in a moment.',
  error_action_failed: 'That did not work: see what needs your attention above.',
  error_pause_unconfirmed:
    'Paused here, but an assistant did not confirm it in time. If it still reads your data, close that assistant.',
  options_title: 'HospiAI for AI assistants – settings',
  options_portal_label: 'HospiAI address',
  options_portal_help:
    'Usually $1 — change it only if your hospital gave you another address. The browser asks for your permission for another address when you save.',
  options_ports_legend: 'Ports of the AI relays on this computer',
  options_first_port: 'First port',
  options_last_port: 'Last port',
  options_save: 'Save',
  options_saved: 'Saved.',
  options_error_invalid_origin:
    'This address cannot be used: it must start with https:// (http:// only on this computer).',
  options_error_invalid_ports:
    'Ports must be between 1024 and 65535, at most 32 of them, first before last.',
  options_error_permission_denied:
    'Without your permission for this address, the extension cannot work with it.',
  consent_title_granted: 'What your assistant may do',
  consent_allow_reads: 'Let it read without asking me each time (bookings always ask)',
  read_policy_title: 'Ask me before…',
  read_policy_help:
    'Ticked: your AI assistant must ask you first. Bookings and cancellations always ask.',
  tool_get_appointments: 'reading your appointments',
  tool_get_medical_records: 'reading your medical records',
  tool_find_doctors: 'searching doctors',
  tool_get_available_slots: 'looking up free slots',
  problem_access_revoked: "You stopped your assistant's access. Allow it again to reconnect it.",
  connect_install_first:
    'First, add HospiAI to your assistant: your assistant then starts it by itself.',
  connect_bundle:
    "Open the downloaded $1: $2 shows what HospiAI does and installs it (or drop it into Settings → Extensions). Nothing else to install: it runs with $2's own Node.",
  connect_bundle_download: 'Download HospiAI for $1',
  connect_bundle_portal: 'When it asks for the portal address, enter $1.',
  connect_package:
    "$1 starts HospiAI with Node 20 or later. In a terminal, run these two commands: the first installs this release of HospiAI, the second adds it to $1's configuration (it keeps a backup). Once HospiAI is paired, this view shows its exact configuration.",
  connect_copy_install: 'Copy the commands',
  connect_one_click: 'Install in $1',
  pairing_code_title: 'Connect your AI assistant',
  pairing_code_intro:
    'Show a one-time code and tell it to your AI assistant. It then shows a check value, and so does this window: you compare them before anything is connected. No terminal needed.',
  pairing_code_start: 'Show a code',
  pairing_code_label: 'Your code',
  pairing_code_give:
    'Tell your AI assistant: “connect HospiAI with code $1”. It then shows a check value, and this window shows one too: you compare them here.',
  pairing_code_until: 'Valid until $1, once.',
  pairing_code_waiting: 'Waiting for your AI assistant…',
  pairing_code_expired: 'This code has expired. Ask for a new one.',
  pairing_code_new: 'New code',
  pairing_code_cancel: 'Cancel',
  pairing_code_done: 'Paired: your AI assistant is connected to this browser.',
  checklist_title: 'Three steps to connect your assistant',
  checklist_ready: 'Your assistant can reach HospiAI.',
  step_login: 'Log in to HospiAI',
  step_allow: 'Allow your assistant',
  step_connect: 'Connect your assistant',
  step_status_done: '— done',
  step_status_current: '— now',
  step_status_todo: '— to do',
  step_login_hint:
    'Open HospiAI in this browser and log in: the extension needs your session to give your assistant its access.',
  step_login_done: 'Logged in as $1.',
  step_allow_hint: 'Choose what your assistant may do, then allow it.',
  step_allow_again: "You stopped your assistant's access. Allow it again to reconnect it.",
  step_connect_hint:
    'Add HospiAI to your AI assistant, then give it the one-time code this window shows.',
  step_connect_paused: 'Paused: your assistants cannot reach HospiAI until you resume.',
  step_connect_not_running: 'Your assistant is not open. Open it: it connects by itself.',
  next_login: 'Log in to HospiAI',
  next_connect: 'Connect your assistant',
  assistant_title: 'Your assistant',
  assistant_connected: 'Your assistant is connected.',
  assistant_connected_no_access: 'Your assistant is connected, but cannot reach HospiAI yet.',
  assistant_paused:
    'Paused: your assistants get no access until you resume. Your permission and the connection are kept.',
  assistant_waiting: 'Waiting for your assistant…',
  assistant_none: 'No assistant connected yet.',
  connect_another: 'Connect another assistant',
  switches_title: 'Pause or stop',
  action_pause: 'Pause',
  action_resume: 'Resume',
  pause_explain:
    'Disconnects your assistants for now. Your permission and the connection are kept: Resume brings them back.',
  action_stop: 'Stop and revoke',
  stop_explain: "Ends your assistants' access for good.",
  stop_confirm_title: 'Stop and revoke? This will:',
  stop_confirm_revoke:
    "cancel your assistants' access at HospiAI and remove it from this browser and your assistants;",
  stop_confirm_consent: 'withdraw your permission;',
  stop_confirm_forget: 'forget the connection with your assistants.',
  stop_confirm_after:
    'To use HospiAI with an assistant again, you will allow and connect it again.',
  stop_keep: 'Keep it',
  stop_confirm_yes: 'Yes, stop and revoke',
  details_title: 'Details',
  details_pairing_title: "Pairing with your assistants' relays",
  details_paired: 'This browser is paired with the HospiAI relay your assistants start.',
  details_not_paired: 'Not paired yet.',
  port_untrusted:
    'Port $1: a program that is not your relay (nothing was sent to it). Close it, or pair again if you reinstalled the relay.',
  port_not_paired: 'Port $1: a relay that is not paired with this browser.',
  port_version:
    'Port $1: a relay that speaks another version (update the extension and the relay).',
  port_auth_failed: 'Port $1: a relay that refused this browser (pair again).',
  audit_export_title: 'Keep a copy of the list',
  audit_tool_get_appointments: 'read your appointments',
  audit_tool_get_medical_records: 'read your medical records',
  audit_tool_find_doctors: 'searched for a doctor',
  audit_tool_get_available_slots: 'looked up free slots',
  audit_tool_book_appointment: 'booked an appointment',
  audit_tool_cancel_appointment: 'cancelled an appointment',
  audit_tool_connection_status: 'checked its connection',
  audit_tool_connect_extension: 'connected to this browser',
  audit_tool_other: 'made another request',
  audit_outcome_ok: '— done',
  audit_outcome_declined: '— not done: you declined or did not answer',
  audit_outcome_failed: '— did not work',
  pair_help_again:
    'To pair again from a terminal: run hospiai-mcp pair, then type the code it prints (valid 2 minutes).',
  pair_code_wrong: 'This code does not match. Check it and type it again.',
  connect_step_install: '1. Add HospiAI to $1',
  connect_step_code: '2. Connect $1 to this browser',
  connect_paired_already:
    'This browser is already connected to your assistants: restart $1 and it connects by itself.',
  options_advanced: 'Advanced',
  options_ports_help:
    "Your AI assistant starts HospiAI's relay, which waits for this browser on one of these ports of this computer. Change them only if another program already uses them — and give your assistants the same range (HOSPIAI_MCP_PORTS).",
  banner_allowed_title: 'Allowed ✓',
  banner_next_connect:
    'Next: connect your assistant — open the HospiAI extension (its icon in the toolbar).',
  banner_close: 'Close',
  pairing_code_refused:
    'Your assistant, or another program on this computer, was given another code. If you just told your assistant the code, check it and tell it again.',
  pairing_code_check_title: 'Does your assistant show this check value?',
  pairing_code_check_help:
    "Look for it in HospiAI's answer in your assistant (open the tool's result if it is folded). Confirm only if it is exactly the same: another program may have learnt your code.",
  pairing_code_check_client: 'The assistant calls itself “$1” (its own word, not a proof).',
  pairing_code_check_match: 'It matches',
  pairing_code_check_differs: 'It shows something else',
  pairing_code_conflict:
    'Two programs on this computer answered this code, so nothing was connected: one of them is not your assistant. If you gave the code to two assistants, connect them one at a time. Ask for a new code.',
  pairing_code_declined:
    "Nothing was connected. Another program may have answered in your assistant's place: close programs you do not know, then ask for a new code.",
  pairing_code_confirm_failed:
    'Your assistant did not finish connecting (it may have restarted, or waited too long). Nothing was connected. Ask for a new code.',
  pairing_typed_intro:
    'Ask your assistant anything about HospiAI: it shows a one-time code in its own window. Type that code here.',
  pairing_typed_other: 'My assistant shows no code',
  pairing_chat_other: 'My assistant shows a code',
  relays_calls_itself: 'An assistant that calls itself “$1”',
  pairing_verified_check: "Paired on $1: you checked the value $2 against your assistant's.",
  pairing_verified_typed: 'Paired on $1: you typed a code your assistant or a terminal showed.',
  pairing_verified_unknown: 'Paired on $1.',
  port_wrong_portal:
    "Port $1: your relay, but set up for another portal ($2), so it gets nothing. Set HOSPIAI_URL in that assistant's configuration to your portal.",
  problem_relay_wrong_portal:
    'One of your assistants is set up for another portal, so it gets nothing: see Details.',
  sign_in_title: 'Sign in with HospiAI',
  sign_in_asks: {
    message: '$1 asks, through $2, to reach your HospiAI record.',
    description: "$1: the assistant's name (as the server knows it); $2: the HospiAI server's host",
  },
  sign_in_unnamed: 'An assistant',
  sign_in_from: { message: 'A sign-in request from $1.', description: "$1: the server's host" },
  sign_in_verified: 'Verified by $2: its description is published by $1.',
  sign_in_unverified:
    'This is the name it gives itself; it is not verified. It will be sent back to $1.',
  sign_in_permission_what:
    'To see this request, the extension needs to reach $1. Nothing is given by allowing it.',
  sign_in_permission_allow: 'Let the extension reach this server',
  sign_in_scopes: 'What it may do (untick what you do not want):',
  sign_in_what:
    "Allow creates an access of its own for this assistant (30 days), given to this sign-in only. You can revoke it here or on the portal's Tokens API page.",
  sign_in_allow: 'Allow',
  sign_in_deny: 'Deny',
  sign_in_problem_request_gone:
    'This sign-in request is no longer valid (used, expired or unknown). Start again from your assistant.',
  sign_in_problem_server_unreachable:
    'The server that asks could not be reached. Try again from your assistant.',
  sign_in_problem_login_needed:
    'Log in to the HospiAI portal in this browser, then press Allow again.',
  sign_in_problem_provision_failed:
    'The portal did not create the access. Check that you are logged in, then try again.',
  sign_in_problem_delivery_refused:
    'The server refused this access; nothing was given (the access was revoked). Start again from your assistant.',
  sign_in_token_name: {
    message: 'HospiAI — $1 via $2',
    description: "Name of the dedicated token; $1 the assistant, $2 the server's host",
  },
  sign_in_tokens_title: 'Assistants signed in with HospiAI',
  sign_in_revoke: 'Revoke',
  sign_in_tokens_help: "Revoking ends that assistant's access at once.",
  sign_in_server_warning:
    'The access goes to the server $1, which will hold it for this assistant. Allow only a server your hospital gave you.',
} satisfies Record<string, ExtensionMessage>;

export type ExtensionMessageKey = keyof typeof en;
