import type { PairingInfo } from '../../bridge/pairing-store';
import { t } from '../../i18n/t';
import { formatDateTime } from '../format';
import type { PopupModel } from '../popup-model';

interface RelayListProps {
  model: PopupModel;
}

const PORT_PROBLEMS = {
  untrusted: 'port_untrusted',
  not_paired: 'port_not_paired',
  version_mismatch: 'port_version',
  auth_failed: 'port_auth_failed',
  wrong_portal: 'port_wrong_portal',
} as const;

/**
 * Each AI client's relay (in Details): what the client calls itself — its own word, shown as
 * such, beside what the patient verified when pairing — its port, whether it holds the token;
 * and each port where something answered that is not a working relay of this browser.
 */
export function RelayList({ model }: RelayListProps) {
  const relays = model.connectedRelays.value;
  const pairing = model.state.value?.pairing ?? null;
  const troubled = (model.state.value?.relays ?? []).flatMap((relay) =>
    relay.state in PORT_PROBLEMS
      ? [
          {
            port: relay.port,
            key: PORT_PROBLEMS[relay.state as keyof typeof PORT_PROBLEMS],
            portal: relay.relayPortal ?? '',
          },
        ]
      : [],
  );
  return (
    <div class="subsection" data-section="relays">
      <h3>{t('relays_title')}</h3>
      {relays.length === 0 ? (
        <p>{t('relays_none')}</p>
      ) : (
        <ul class="relays">
          {relays.map((relay) => (
            <li
              key={relay.port}
              data-relay-port={relay.port}
              data-client={relay.client?.name ?? ''}
            >
              <strong>
                {relay.client ? t('relays_calls_itself', [relay.client.name]) : t('relays_unnamed')}
              </strong>{' '}
              <span class="muted">{t('relays_port', [String(relay.port)])}</span>{' '}
              <span data-relay-token={relay.relayToken ?? 'none'}>
                {t(relay.relayToken === 'active' ? 'relays_has_token' : 'relays_no_token')}
              </span>
            </li>
          ))}
        </ul>
      )}
      {pairing && <PairingVerified pairing={pairing} />}
      {troubled.length > 0 && (
        <ul class="relays">
          {troubled.map(({ port, key, portal }) => (
            <li key={port} data-port-problem={port} class="bad">
              {t(key, [String(port), portal])}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** When this browser paired, and what the patient checked then: the one thing that is proof. */
function PairingVerified({ pairing }: { pairing: PairingInfo }) {
  const when = formatDateTime(pairing.pairedAt);
  const { verified } = pairing;
  return (
    <p class="muted" data-pairing-verified={verified?.by ?? 'unknown'}>
      {verified?.by === 'check_value'
        ? t('pairing_verified_check', [when, verified.checkValue])
        : verified?.by === 'typed_code'
          ? t('pairing_verified_typed', [when])
          : t('pairing_verified_unknown', [when])}
    </p>
  );
}
