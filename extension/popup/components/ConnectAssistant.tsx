import { useSignal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import { t } from '../../i18n/t';
import {
  ASSISTANTS,
  type AssistantGuide,
  assistantGuide,
  type ClientId,
  detectOs,
  OS_IDS,
  type OsId,
  type PlatformHints,
} from '../../setup/assistant-setup';
import { MCP_BUNDLE_FILE, MCP_BUNDLE_PATH } from '../../setup/mcp-bundle';
import { type PairingRoute, pairingRouteOf } from '../../setup/pairing-route';
import type { PopupModel } from '../popup-model';
import { CopyBlock } from './CopyBlock';
import { PairForm } from './PairForm';
import { PairingCode } from './PairingCode';

interface ConnectAssistantProps {
  model: PopupModel;
}

/** How to make an AI client start the relay: one command, or the configuration to paste. */
export function ConnectAssistant({ model }: ConnectAssistantProps) {
  const clientId = useSignal<ClientId>(ASSISTANTS[0]?.id ?? 'claude-desktop');
  const os = useSignal<OsId>(detectOs(navigator as PlatformHints));
  const back = useRef<HTMLButtonElement>(null);
  // The view replaced the page under the keyboard's focus: start from its first control.
  useEffect(() => back.current?.focus(), []);
  // A paired relay says how it is started; without one the view shows how to install it.
  const relay =
    model.state.value?.relays.find((view) => view.state === 'connected' && view.relaySource)
      ?.relaySource ?? null;
  const guide = assistantGuide(clientId.value, {
    os: os.value,
    portalOrigin: model.state.value?.portalOrigin,
    relay,
    release: browser.runtime.getManifest().version,
  });
  return (
    <section class="section connect" data-section="connect" aria-labelledby="connect-title">
      <button
        type="button"
        class="link view-link"
        ref={back}
        onClick={() => (model.view.value = 'main')}
      >
        {t('connect_back')}
      </button>
      <h2 id="connect-title">{t('connect_title')}</h2>
      <p class="muted">{t('connect_intro')}</p>
      <div class="connect-choices">
        <label>
          {t('connect_client_label')}
          <select
            id="connect-client"
            value={clientId.value}
            onChange={(e) => (clientId.value = e.currentTarget.value as ClientId)}
          >
            {ASSISTANTS.map((assistant) => (
              <option key={assistant.id} value={assistant.id}>
                {assistant.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('connect_os_label')}
          <select
            id="connect-os"
            value={os.value}
            onChange={(e) => (os.value = e.currentTarget.value as OsId)}
          >
            {OS_IDS.map((choice) => (
              <option key={choice} value={choice}>
                {t(`os_${choice}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <h3>{t('connect_step_install', [guide.name])}</h3>
      <GuideSteps key={`${guide.clientId}-${guide.os}`} guide={guide} />
      <h3>{t('connect_step_code', [guide.name])}</h3>
      {model.state.value?.paired && !needsCode(model) ? (
        <p data-paired-already>{t('connect_paired_already', [guide.name])}</p>
      ) : (
        <PairingSteps key={guide.clientId} model={model} route={pairingRouteOf(guide.clientId)} />
      )}
    </section>
  );
}

/**
 * The client's way first: type the code its form shows, or show a code to tell it (a code on
 * screen or a check to make keeps the chat's way open); the other way is one link away.
 */
function PairingSteps({ model, route }: { model: PopupModel; route: PairingRoute }) {
  const chosen = useSignal<PairingRoute>(model.state.value?.pendingPairing ? 'chat' : route);
  const way = chosen.value;
  const other = way === 'form' ? 'chat' : 'form';
  return (
    <div data-pairing-route={way}>
      {way === 'form' ? (
        <PairForm model={model} help="pairing_typed_intro" />
      ) : (
        <PairingCode model={model} primary />
      )}
      <p>
        <button
          type="button"
          class="link"
          data-pairing-switch={other}
          onClick={() => (chosen.value = other)}
        >
          {t(way === 'form' ? 'pairing_typed_other' : 'pairing_chat_other')}
        </button>
      </p>
    </div>
  );
}

/** A code is needed until paired, and again for an assistant whose relay does not know this browser. */
function needsCode(model: PopupModel): boolean {
  const state = model.state.value;
  return (
    state?.pendingPairing != null ||
    (state?.relays.some((relay) => relay.state === 'not_paired') ?? false)
  );
}

function GuideSteps({ guide }: { guide: AssistantGuide }) {
  return (
    <>
      {guide.usesBundle ? (
        <BundleDownload guide={guide} />
      ) : (
        !guide.relay && <InstallFirst guide={guide} />
      )}
      {guide.installLink && (
        <p>
          <a class="button" data-install-link={guide.clientId} href={guide.installLink}>
            {t('connect_one_click', [guide.name])}
          </a>
        </p>
      )}
      {guide.setupCommand && (
        <>
          <h3>{t('connect_simplest')}</h3>
          <CopyBlock name="command" text={guide.setupCommand} label={t('connect_copy_setup')} />
        </>
      )}
      {guide.snippet && (
        <>
          <h3>{t('connect_by_hand', [guide.configPath])}</h3>
          <CopyBlock name="config" text={guide.snippet} label={t('connect_copy_config')} />
        </>
      )}
      {guide.addCommand && (
        <>
          <p>{t('connect_add_command', [guide.name])}</p>
          <CopyBlock
            name="add-command"
            text={guide.addCommand}
            label={t('connect_copy_add', [guide.name])}
          />
        </>
      )}
      {!(guide.usesBundle && !guide.relay) && <p>{t('connect_then', [guide.name])}</p>}
      <p>
        <a href={guide.docs} target="_blank" rel="noreferrer">
          {t('connect_docs', [guide.name])}
        </a>
      </p>
    </>
  );
}

/**
 * Claude Desktop installs the relay from its bundle: the one this extension was built with,
 * shipped inside it, one download away; opening the file installs it.
 */
function BundleDownload({ guide }: { guide: AssistantGuide }) {
  return (
    <div data-bundle>
      <p>
        <a
          class="button"
          data-download-bundle
          href={browser.runtime.getURL(MCP_BUNDLE_PATH as '/')}
          download={MCP_BUNDLE_FILE}
        >
          {t('connect_bundle_download', [guide.name])}
        </a>
      </p>
      <p>{t('connect_bundle', [MCP_BUNDLE_FILE, guide.name])}</p>
      {guide.bundlePortal && (
        <p data-bundle-portal>{t('connect_bundle_portal', [guide.bundlePortal])}</p>
      )}
    </div>
  );
}

/** No relay has said how it is started: this release's exact commands, never a guessed one. */
function InstallFirst({ guide }: { guide: AssistantGuide }) {
  return (
    <div data-install-first>
      <h3>{t('connect_install_first')}</h3>
      <p>{t('connect_package', [guide.name])}</p>
      {guide.installCommands && (
        <CopyBlock
          name="install"
          text={guide.installCommands.join('\n')}
          label={t('connect_copy_install')}
        />
      )}
    </div>
  );
}
