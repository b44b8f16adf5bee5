/**
 * What the popup shows, as one snapshot the background pushes to it. Built by a pure function
 * from the background's parts, so what the patient sees is unit-testable without a browser.
 */
import type { AuditEntry, TokenSource } from '../../relay/protocol/protocol';
import type { PendingPairingView } from '../bridge/pending-pairing';
import type { RelayView } from '../bridge/relay-pool';
import type { ApprovalView } from '../confirmations/pending-approvals';
import type { ConsentRecord } from '../consent/consent-store';
import type { ReadPolicies } from '../consent/read-policy';
import type { TokenRecord } from '../token/token-store';

/** Each code has a sentence (`problem_<code>` in _locales) and, in the popup, the action to take. */
export type ProblemCode =
  | 'not_paired'
  | 'login_needed'
  | 'consent_needed'
  | 'access_revoked'
  | 'no_relay'
  | 'relay_untrusted'
  | 'relay_not_paired'
  | 'relay_version'
  | 'relay_auth_failed'
  | 'renewal_needs_portal'
  | 'portal_revocation_pending'
  | 'provision_failed'
  | 'capture_rejected'
  | 'bridge_disabled';

export interface Problem {
  code: ProblemCode;
  port?: number;
}

export interface PortalLogin {
  state: 'logged_in' | 'logged_out' | 'unknown';
  patientId: string | null;
  patientName: string | null;
}

export interface PopupState {
  portalOrigin: string;
  login: Omit<PortalLogin, 'patientId'>;
  /** `paused`: consent stands but the patient revoked access and has not reconnected. */
  consent: { status: 'none' | 'granted' | 'withdrawn' | 'paused'; scopes: string[] };
  offeredScopes: string[];
  token: { source: TokenSource; scopes: string[]; expiresAt: string } | null;
  renewing: boolean;
  paired: boolean;
  bridgeEnabled: boolean;
  /** Relays that answered on their port (ports with nothing on them are left out). */
  relays: RelayView[];
  /** The latest tool calls of every relay, newest first (all kept: the popup exports them). */
  audit: AuditEntry[];
  problems: Problem[];
  approvals: ApprovalView[];
  readPolicy: ReadPolicies;
  /** The code the extension shows for pairing with no terminal, while there is one. */
  pendingPairing: PendingPairingView | null;
}

export interface PopupStateParts {
  portalOrigin: string;
  login: PortalLogin;
  consent: ConsentRecord | null;
  paused: boolean;
  offeredScopes: readonly string[];
  token: TokenRecord | null;
  renewing: boolean;
  paired: boolean;
  bridgeEnabled: boolean;
  relays: RelayView[];
  audit: AuditEntry[];
  /** Problems the background noticed while acting (failed provisioning, pending revocation…). */
  incidents: Problem[];
  approvals: ApprovalView[];
  readPolicy: ReadPolicies;
  pendingPairing?: PendingPairingView | null;
}

const RELAY_PROBLEMS: Partial<Record<RelayView['state'], ProblemCode>> = {
  untrusted: 'relay_untrusted',
  not_paired: 'relay_not_paired',
  version_mismatch: 'relay_version',
  auth_failed: 'relay_auth_failed',
};

export function buildPopupState(parts: PopupStateParts): PopupState {
  const relays = parts.relays.filter((relay) => relay.state !== 'absent');
  const problems: Problem[] = [];
  const consentGranted = parts.consent?.status === 'granted' && !parts.paused;

  if (parts.login.state === 'logged_out') problems.push({ code: 'login_needed' });
  if (parts.paused && parts.consent?.status === 'granted')
    problems.push({ code: 'access_revoked' });
  else if (!consentGranted) problems.push({ code: 'consent_needed' });
  if (!parts.paired) problems.push({ code: 'not_paired' });
  else if (!parts.bridgeEnabled) problems.push({ code: 'bridge_disabled' });
  else if (!relays.some((relay) => relay.state === 'connected'))
    problems.push({ code: 'no_relay' });
  for (const relay of relays) {
    const code = RELAY_PROBLEMS[relay.state];
    if (code) problems.push({ code, port: relay.port });
  }
  for (const incident of parts.incidents) {
    if (!problems.some((p) => p.code === incident.code && p.port === incident.port))
      problems.push(incident);
  }

  return {
    portalOrigin: parts.portalOrigin,
    login: { state: parts.login.state, patientName: parts.login.patientName },
    consent: {
      status:
        parts.consent?.status === 'granted' && parts.paused
          ? 'paused'
          : (parts.consent?.status ?? 'none'),
      scopes: parts.consent?.scopes ?? [],
    },
    offeredScopes: [...parts.offeredScopes],
    token: parts.token
      ? { source: parts.token.source, scopes: parts.token.scopes, expiresAt: parts.token.expiresAt }
      : null,
    renewing: parts.renewing,
    paired: parts.paired,
    bridgeEnabled: parts.bridgeEnabled,
    relays,
    audit: parts.audit,
    problems,
    approvals: parts.approvals,
    readPolicy: parts.readPolicy,
    pendingPairing: parts.pendingPairing ?? null,
  };
}
