/**
 * The popup's model: the state the background pushes, the action in flight, and the last
 * notice — as signals, with the labels components render computed here. Components read this
 * model and call its actions; only popup-connection.ts talks to the browser.
 */
import { computed, type Signal, signal } from '@preact/signals';
import type { PairOutcome } from '../bridge/relay-pool';
import type { ReadPolicies } from '../consent/read-policy';
import type { MessageKey } from '../i18n/t';
import type { ActionResult } from '../messaging/protocol-map';
import type { PopupState } from '../state/popup-state';

export interface PopupActions {
  pair(code: string): Promise<PairOutcome>;
  consent(scopes: string[], allowReads: boolean): Promise<ActionResult>;
  setReadPolicy(reads: ReadPolicies): Promise<ActionResult>;
  withdrawConsent(): Promise<ActionResult>;
  revoke(): Promise<ActionResult & { portal?: 'revoked' | 'pending' }>;
  disconnect(): Promise<ActionResult>;
  connect(): Promise<ActionResult>;
  openPortal(): Promise<ActionResult>;
  forgetPairing(): Promise<ActionResult>;
  /** Pairing with no terminal: a code for the patient to give their AI assistant. */
  startPairingCode(): Promise<ActionResult>;
  cancelPairingCode(): Promise<ActionResult>;
  confirm(id: string, decision: 'approve' | 'decline'): Promise<ActionResult>;
}

export interface Notice {
  kind: 'info' | 'error';
  key: MessageKey;
  /** Substitution for the message (a port number). */
  detail?: string;
}

export type ActionName = keyof PopupActions;

/** The popup's pages: the status (main), or how to connect an AI assistant. */
export type PopupView = 'main' | 'connect';

export interface PopupModel {
  state: Signal<PopupState | null>;
  busy: Signal<ActionName | null>;
  notice: Signal<Notice | null>;
  view: Signal<PopupView>;
  connectedRelays: Signal<PopupState['relays']>;
  actions: PopupActions;
  /** Runs an action, marking it busy, and turns its outcome into a notice. */
  run<K extends ActionName>(name: K, ...args: Parameters<PopupActions[K]>): Promise<void>;
  receive(state: PopupState): void;
}

const PAIR_NOTICES: Record<Exclude<PairOutcome, { ok: true }>['reason'], MessageKey> = {
  invalid_code: 'pair_invalid_code',
  no_relay: 'pair_no_relay',
  code_mismatch: 'pair_code_mismatch',
  no_pending_code: 'pair_no_pending_code',
  pairing_locked: 'pair_locked',
  version_mismatch: 'problem_relay_version',
};

export function createPopupModel(actions: PopupActions): PopupModel {
  const state = signal<PopupState | null>(null);
  const busy = signal<ActionName | null>(null);
  const notice = signal<Notice | null>(null);
  const view = signal<PopupView>('main');
  const connectedRelays = computed(
    () => state.value?.relays.filter((relay) => relay.state === 'connected') ?? [],
  );

  async function run<K extends ActionName>(name: K, ...args: Parameters<PopupActions[K]>) {
    busy.value = name;
    notice.value = null;
    try {
      const action = actions[name] as (...a: Parameters<PopupActions[K]>) => Promise<unknown>;
      notice.value = noticeFor(name, await action(...args));
    } catch {
      notice.value = { kind: 'error', key: 'error_background_unreachable' };
    } finally {
      busy.value = null;
    }
  }

  return {
    state,
    busy,
    notice,
    view,
    connectedRelays,
    actions,
    run,
    receive: (next) => {
      state.value = next;
    },
  };
}

function noticeFor(name: ActionName, result: unknown): Notice | null {
  if (name === 'pair') {
    const outcome = result as PairOutcome;
    if (outcome.ok) return { kind: 'info', key: 'pair_done', detail: String(outcome.port) };
    return { kind: 'error', key: PAIR_NOTICES[outcome.reason], detail: String(outcome.port ?? '') };
  }
  const outcome = result as ActionResult & { portal?: 'revoked' | 'pending' };
  if (!outcome.ok) return { kind: 'error', key: 'error_action_failed' };
  if (name === 'revoke') {
    return outcome.portal === 'pending'
      ? { kind: 'info', key: 'revoke_pending' }
      : { kind: 'info', key: 'revoke_done' };
  }
  return null;
}
