/**
 * What the background does for the relays: when one proved itself (and serves our portal), it
 * gets the patient's read policy and the token — or, while the patient has paused HospiAI, only
 * word that it is paused, whenever it connects; then each frame it sends is handled here.
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
    onReady: (port) => void core.greetRelay(port),
    onFrame: (port, frame) => {
      const handle = frames[frame.type] as
        | ((port: number, frame: RelaySessionFrame) => Promise<void>)
        | undefined;
      void handle?.(port, frame);
    },
  };
}
