/**
 * The popup's model: the state the background pushes, the action in flight, and the last
 * notice — as signals, with the labels components render computed here. Components read this
 * model and call its actions; only popup-connection.ts talks to the browser.
 */
import { computed, type Signal, signal } from '@preact/signals';
import { redact } from '../../relay/protocol/redact';
import type { PairOutcome } from '../bridge/relay-views';
import type { MessageKey } from '../i18n/t';
import type { BackgroundRequestData } from '../messaging/message-schemas';
import type { BackgroundAnswers } from '../messaging/protocol-map';
import type { PopupState } from '../state/popup-state';

/** The popup's actions: the `popup:<name>` messages of the one message map, by name. */
export type ActionName = keyof BackgroundAnswers extends infer K
  ? K extends `popup:${infer Name}`
    ? Name
    : never
  : never;
export type ActionData<N extends ActionName> = BackgroundRequestData<`popup:${N}`>;
export type ActionAnswer<N extends ActionName> = BackgroundAnswers[`popup:${N}`];

/** Sends one action to the background (popup-connection.ts), or a fake one in tests. */
export type PopupActions = {
  [N in ActionName]: (data: ActionData<N>) => Promise<ActionAnswer<N>>;
};

/** An action's arguments: its data, which may be left out when it carries nothing. */
type ActionArgs<N extends ActionName> =
  Record<never, never> extends ActionData<N> ? [data?: ActionData<N>] : [data: ActionData<N>];

export interface Notice {
  kind: 'info' | 'error';
  key: MessageKey;
  /** Substitution for the message (tries left). */
  detail?: string;
  /** Shown beside the pairing form, where the patient typed, rather than at the top. */
  besidePairForm?: boolean;
  /**
   * Takes the keyboard focus: the control the patient used is about to go (the pairing form
   * folds away once paired), and the focus must not fall back to the page's start unannounced.
   */
  focus?: boolean;
}

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
  run<N extends ActionName>(name: N, ...args: ActionArgs<N>): Promise<void>;
  receive(state: PopupState): void;
}

const PAIR_NOTICES: Record<Exclude<PairOutcome, { ok: true }>['reason'], MessageKey> = {
  invalid_code: 'pair_invalid_code',
  no_relay: 'pair_no_relay',
  code_mismatch: 'pair_code_wrong',
  relay_timeout: 'pair_relay_timeout',
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

  async function run<N extends ActionName>(name: N, ...args: ActionArgs<N>) {
    busy.value = name;
    notice.value = null;
    try {
      const action = actions[name] as (data: object) => Promise<unknown>;
      notice.value = noticeFor(name, await action(args[0] ?? {}));
    } catch (error) {
      // The patient sees one notice whatever went wrong; the console says what did (a service
      // worker gone, or a handler that threw), for whoever debugs it — never a token.
      console.warn(redact(`HospiAI: popup action ${name} failed: ${errorText(error)}`));
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

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function noticeFor(name: ActionName, result: unknown): Notice | null {
  if (name === 'pair') return pairNotice(result as PairOutcome);
  const outcome = result as ActionAnswer<'stopAndRevoke'>;
  if (name === 'capture') {
    return outcome.ok
      ? { kind: 'info', key: 'capture_done' }
      : { kind: 'error', key: 'capture_rejected' };
  }
  if (name === 'pause' && !outcome.ok) return { kind: 'error', key: 'error_pause_unconfirmed' };
  if (!outcome.ok) return { kind: 'error', key: 'error_action_failed' };
  if (name === 'stopAndRevoke') {
    return outcome.portal === 'pending'
      ? { kind: 'info', key: 'revoke_pending' }
      : { kind: 'info', key: 'revoke_done' };
  }
  return null;
}

/** Paired: said at the top (the form folds away). Not paired: said beside the form, with tries. */
function pairNotice(outcome: PairOutcome): Notice {
  if (outcome.ok) return { kind: 'info', key: 'pair_done', focus: true };
  const { reason, triesLeft } = outcome;
  if (reason === 'code_mismatch' && triesLeft !== undefined) {
    return {
      kind: 'error',
      key: 'pair_code_mismatch',
      detail: String(triesLeft),
      besidePairForm: true,
    };
  }
  return { kind: 'error', key: PAIR_NOTICES[reason], besidePairForm: true };
}
