// First: zod builds no code from strings here (see zod-jitless.ts).
import '../background/zod-jitless';
import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { ExtensionController } from '../background/controller';
import { forgetTab } from '../background/page-decisions';
import { routeBackgroundMessage } from '../messaging/background-router';

export default defineBackground(() => {
  const controller = new ExtensionController({ createSocket: (url) => new WebSocket(url) });
  const started = controller.start();
  // Listeners are registered synchronously so that events that wake the worker reach them.
  browser.runtime.onMessage.addListener((message, sender, sendResponse) => {
    void started
      .then(() => controller.trustAnchors())
      .then((trust) => {
        const route = routeBackgroundMessage(message, sender, trust, controller.handlers);
        if (route.handled) route.answer.then(sendResponse, () => sendResponse(undefined));
        else sendResponse(undefined);
      });
    return true;
  });
  browser.runtime.onConnect.addListener((port) => {
    void started.then(() => controller.onPopupConnected(port));
  });
  browser.tabs.onRemoved.addListener((tabId) => void forgetTab(tabId));
  browser.alarms.onAlarm.addListener((alarm) => {
    void started.then(() => controller.onAlarm(alarm.name));
  });
  browser.notifications?.onClicked.addListener((id) => {
    void started.then(() => controller.onNotificationClicked(id));
  });
  browser.notifications?.onButtonClicked?.addListener((id, index) => {
    void started.then(() => controller.onNotificationButton(id, index));
  });
});
