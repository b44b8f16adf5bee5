import { useSignal } from '@preact/signals';
import { scopeLabel, t } from '../../i18n/t';
import type { PopupModel } from '../popup-model';
import { Section } from './Section';

interface SignInRequestProps {
  model: PopupModel;
}

/**
 * A remote HospiAI server asks, for an assistant, to sign in with the patient's HospiAI access:
 * what the SERVER says of the request (the assistant, whether it is verified, the server, the
 * scopes), decided here where the portal page can neither script nor draw. Allow creates a
 * dedicated token for that request only.
 */
export function SignInRequest({ model }: SignInRequestProps) {
  const request = model.state.value?.signInRequest;
  const unticked = useSignal<string[]>([]);
  if (!request) return null;
  const { client } = request;
  const ticked = request.ticked.filter((scope) => !unticked.value.includes(scope));
  const toggle = (scope: string, on: boolean) => {
    unticked.value = on
      ? unticked.value.filter((s) => s !== scope)
      : [...unticked.value.filter((s) => s !== scope), scope];
  };
  const busy = model.busy.value !== null || request.status === 'sending';
  return (
    <Section id="sign-in" title={t('sign_in_title')}>
      {client ? (
        <>
          <p class="headline" data-sign-in-client>
            {t('sign_in_asks', [client.name ?? t('sign_in_unnamed'), request.serverHost])}
          </p>
          <p class="muted" data-sign-in-provenance>
            {client.verifiedHost
              ? t('sign_in_verified', [client.verifiedHost, request.serverHost])
              : t('sign_in_unverified', [client.redirectHost])}
          </p>
          <p data-sign-in-server-warning>{t('sign_in_server_warning', [request.serverHost])}</p>
        </>
      ) : (
        <p data-sign-in-server>{t('sign_in_from', [request.serverHost])}</p>
      )}
      {request.status === 'needs_permission' && (
        <>
          <p>{t('sign_in_permission_what', [request.serverHost])}</p>
          <div class="actions">
            <button type="button" onClick={() => model.run('denySignIn')}>
              {t('sign_in_deny')}
            </button>
            <button
              type="button"
              class="primary"
              onClick={() => model.run('signInPermission', { server: request.server })}
            >
              {t('sign_in_permission_allow')}
            </button>
          </div>
        </>
      )}
      {request.status === 'loading' && <p role="status">{t('popup_loading')}</p>}
      {request.problem && (
        <p class="error" role="alert" data-sign-in-problem={request.problem}>
          {t(`sign_in_problem_${request.problem}`)}
        </p>
      )}
      {(request.status === 'ready' || request.status === 'sending') && (
        <>
          <fieldset class="scopes">
            <legend>{t('sign_in_scopes')}</legend>
            {request.scopes.map((scope) => (
              <label key={scope}>
                <input
                  type="checkbox"
                  data-sign-in-scope={scope}
                  checked={ticked.includes(scope)}
                  onChange={(event) => toggle(scope, event.currentTarget.checked)}
                />{' '}
                {scopeLabel(scope)}
              </label>
            ))}
          </fieldset>
          <p class="muted">{t('sign_in_what')}</p>
          <div class="actions">
            <button type="button" data-sign-in="deny" onClick={() => model.run('denySignIn')}>
              {t('sign_in_deny')}
            </button>
            <button
              type="button"
              class="primary"
              data-sign-in="allow"
              disabled={busy || ticked.length === 0}
              onClick={() =>
                model.run('allowSignIn', {
                  scopes: ticked,
                  server: request.server,
                  request: request.request,
                })
              }
            >
              {t('sign_in_allow')}
            </button>
          </div>
        </>
      )}
      {request.status === 'failed' && (
        <div class="actions">
          <button type="button" onClick={() => model.run('denySignIn')}>
            {t('banner_close')}
          </button>
        </div>
      )}
    </Section>
  );
}

/** The dedicated tokens given to remote servers' sign-ins: one click revokes one at the portal. */
export function SignInTokens({ model }: SignInRequestProps) {
  const tokens = model.state.value?.signInTokens ?? [];
  if (tokens.length === 0) return null;
  return (
    <Section id="sign-in-tokens" title={t('sign_in_tokens_title')}>
      <ul class="sign-in-tokens">
        {tokens.map((token) => (
          <li key={token.tokenId} data-sign-in-token={token.tokenId}>
            <span>{token.name}</span>{' '}
            <button
              type="button"
              disabled={model.busy.value !== null}
              onClick={() => model.run('revokeSignIn', { tokenId: token.tokenId })}
            >
              {t('sign_in_revoke')}
            </button>
          </li>
        ))}
      </ul>
      <p class="muted">{t('sign_in_tokens_help')}</p>
    </Section>
  );
}
