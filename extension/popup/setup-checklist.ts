/**
 * The popup's checklist — log in to HospiAI → allow your assistant → connect your assistant —
 * and the one next action, derived from the state the background pushes. Pure, so what the
 * patient is told to do next is unit-tested without a browser.
 */
import { assistantName } from '../../relay/protocol/assistant-name';
import type { PopupState, ProblemCode } from '../state/popup-state';

export type StepId = 'login' | 'allow' | 'connect';
export type StepStatus = 'done' | 'current' | 'todo';

export interface ChecklistStep {
  id: StepId;
  status: StepStatus;
  /** What stands in this step's way, when the state names it (shown as the step's hint). */
  problem: ProblemCode | null;
}

/** The one primary button of the popup, by what it does. */
export type NextAction = 'login' | 'allow' | 'capture' | 'connect' | 'resume' | null;

export interface SetupChecklist {
  steps: ChecklistStep[];
  current: StepId | null;
  next: NextAction;
  /** All three steps done and a token to hand over: "your assistant can reach HospiAI". */
  ready: boolean;
}

/** The problems each step explains (the others are listed apart). */
export const STEP_PROBLEMS: Record<StepId, readonly ProblemCode[]> = {
  login: ['login_needed'],
  allow: ['consent_needed', 'access_revoked'],
  connect: ['not_paired', 'bridge_disabled', 'no_relay'],
};

export function setupChecklist(state: PopupState): SetupChecklist {
  const done: Record<StepId, boolean> = {
    // A token in hand came from a session: logging in again matters only for its renewal.
    login: state.login.state === 'logged_in' || state.token !== null,
    allow: state.consent.status === 'granted',
    connect:
      state.paired &&
      state.bridgeEnabled &&
      state.relays.some((relay) => relay.state === 'connected'),
  };
  const order: StepId[] = ['login', 'allow', 'connect'];
  const current = order.find((id) => !done[id]) ?? null;
  const steps = order.map((id) => ({
    id,
    status: done[id] ? 'done' : id === current ? 'current' : 'todo',
    problem: state.problems.find((p) => STEP_PROBLEMS[id].includes(p.code))?.code ?? null,
  })) satisfies ChecklistStep[];
  return {
    steps,
    current,
    next: nextAction(state, current),
    ready: current === null && state.token !== null,
  };
}

function nextAction(state: PopupState, current: StepId | null): NextAction {
  // A token the patient just made by hand waits for their yes: that comes first.
  if (state.captureOffer) return 'capture';
  switch (current) {
    case 'login':
      return 'login';
    case 'allow':
      return 'allow';
    case 'connect':
      if (state.paired && !state.bridgeEnabled) return 'resume';
      // A code on screen waits for the assistant: nothing to press, the code is the action.
      if (state.pendingPairing?.status === 'waiting') return null;
      return 'connect';
    default:
      return null;
  }
}

/** The assistants in plain words: connected (by name), paused, waiting, or none yet. */
export type AssistantStatus =
  | { kind: 'connected'; names: string[]; withAccess: boolean }
  | { kind: 'paused' | 'waiting' | 'none' };

export function assistantStatus(state: PopupState): AssistantStatus {
  if (state.paired && !state.bridgeEnabled) return { kind: 'paused' };
  const connected = state.relays.filter((relay) => relay.state === 'connected');
  if (connected.length > 0) {
    return {
      kind: 'connected',
      names: connected
        .map((relay) => assistantName(relay.client) ?? '')
        .filter((name) => name !== ''),
      withAccess: connected.some((relay) => relay.relayToken === 'active'),
    };
  }
  const codeOnScreen = state.pendingPairing?.status;
  if (state.paired || codeOnScreen === 'waiting' || codeOnScreen === 'check')
    return { kind: 'waiting' };
  return { kind: 'none' };
}
