import { t } from '../../i18n/t';
import type { PopupModel } from '../popup-model';

interface RelayListProps {
  model: PopupModel;
}

const PORT_PROBLEMS = {
  untrusted: 'port_untrusted',
  not_paired: 'port_not_paired',
  version_mismatch: 'port_version',
  auth_failed: 'port_auth_failed',
} as const;

/**
 * Each AI client's relay (in Details): the name the client gave, its port, whether it holds the
 * token; and each port where something answered that is not a working relay of this browser.
 */
export function RelayList({ model }: RelayListProps) {
  const relays = model.connectedRelays.value;
  const troubled = (model.state.value?.relays ?? []).flatMap((relay) =>
    relay.state in PORT_PROBLEMS
      ? [{ port: relay.port, key: PORT_PROBLEMS[relay.state as keyof typeof PORT_PROBLEMS] }]
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
              <strong>{relay.client?.name ?? t('relays_unnamed')}</strong>{' '}
              <span class="muted">{t('relays_port', [String(relay.port)])}</span>{' '}
              <span data-relay-token={relay.relayToken ?? 'none'}>
                {t(relay.relayToken === 'active' ? 'relays_has_token' : 'relays_no_token')}
              </span>
            </li>
          ))}
        </ul>
      )}
      {troubled.length > 0 && (
        <ul class="relays">
          {troubled.map(({ port, key }) => (
            <li key={port} data-port-problem={port} class="bad">
              {t(key, [String(port)])}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
