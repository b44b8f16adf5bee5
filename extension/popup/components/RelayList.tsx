import { t } from '../../i18n/t';
import type { PopupModel } from '../popup-model';
import { Section } from './Section';

interface RelayListProps {
  model: PopupModel;
}

/** Each AI client connected through a relay, by the name it gave, and whether it holds the token. */
export function RelayList({ model }: RelayListProps) {
  const relays = model.connectedRelays.value;
  return (
    <Section id="relays" title={t('relays_title')}>
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
      <button
        type="button"
        class="link view-link"
        data-open="connect"
        onClick={() => (model.view.value = 'connect')}
      >
        {t('connect_title')}
      </button>
    </Section>
  );
}
