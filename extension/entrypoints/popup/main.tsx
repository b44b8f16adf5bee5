import { render } from 'preact';
import { t } from '../../i18n/t';
import { App } from '../../popup/components/App';
import { backgroundActions, connectPopupState } from '../../popup/popup-connection';
import { createPopupModel } from '../../popup/popup-model';

const model = createPopupModel(backgroundActions);
connectPopupState(model);
document.documentElement.lang = navigator.language;
document.title = t('extension_name');
render(<App model={model} />, document.getElementById('app') as HTMLElement);
