/**
 * What the background does for the relays: when one proved itself, it gets the patient's read
 * policy and the token; then each frame it sends is handled here, by type.
 */
import type { RelaySessionFrame } from '../../relay/protocol/protocol';
import { recordAuditEntries } from '../audit/audit-log';
import type { BackgroundCore, RelayEvents } from './background-core';
import type { PatientConfirmations } from './patient-confirmations';

/** A relay's renew request is honoured at most this often (a broken portal must not loop). */
const RENEW_REQUEST_MIN_INTERVAL_MS = 30_000;

type FrameHandlers = {
  [K in RelaySessionFrame['type']]?: (
    port: number,
    frame: Extract<RelaySessionFrame, { type: K }>,
  ) => Promise<void>;
};

export function relayHandlers(
  core: BackgroundCore,
  confirmations: PatientConfirmations,
): RelayEvents {
  let lastRenewRequest = 0;

  const frames: FrameHandlers = {
    renew_request: async (port, frame) => {
      const current = await core.tokens.current();
      if (current && frame.tokenId !== null && frame.tokenId !== current.tokenId) {
        // The relay holds an older token than ours: just give it the current one.
        await core.deliverToken(current, port);
        return;
      }
      if (Date.now() - lastRenewRequest < RENEW_REQUEST_MIN_INTERVAL_MS) return;
      lastRenewRequest = Date.now();
      core.noteResult(await core.tokens.renew());
    },
    audit: async (_port, frame) => {
      await recordAuditEntries(frame.entries);
      core.popups.changed();
    },
    confirmation_request: (port, frame) => confirmations.ask(port, frame),
    read_approval_request: (port, frame) => confirmations.ask(port, frame),
    write_outcome: (port, frame) => confirmations.written(port, frame),
  };

  return {
    onReady: (port) =>
      void (async () => {
        // The policy first: a relay must know which reads to ask about before it can run any.
        await core.sendReadPolicy(undefined, port);
        if (!(await core.deliverToken(await core.tokens.current(), port))) await core.renewDue();
      })(),
    onFrame: (port, frame) => {
      const handle = frames[frame.type] as
        | ((port: number, frame: RelaySessionFrame) => Promise<void>)
        | undefined;
      void handle?.(port, frame);
    },
  };
}
