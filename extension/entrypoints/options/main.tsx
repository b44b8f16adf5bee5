import { render } from 'preact';
import { t } from '../../i18n/t';
import { OptionsForm } from '../../options/OptionsForm';
import { loadConfig, saveConfig } from '../../options/options-connection';

document.documentElement.lang = navigator.language;
document.title = t('options_title');
void loadConfig().then((config) => {
  render(
    <OptionsForm config={config} save={saveConfig} />,
    document.getElementById('app') as HTMLElement,
  );
});
