import { render } from 'preact';
import { OptionsForm } from '../../options/OptionsForm';
import { loadConfig, saveConfig } from '../../options/options-connection';

document.documentElement.lang = navigator.language;
void loadConfig().then((config) => {
  render(
    <OptionsForm config={config} save={saveConfig} />,
    document.getElementById('app') as HTMLElement,
  );
});
