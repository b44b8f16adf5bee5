import { t } from '../../i18n/t';
import type { PopupModel } from '../popup-model';

interface NoticeBarProps {
  model: PopupModel;
}

/** The outcome of the last action, announced to screen readers. */
export function NoticeBar({ model }: NoticeBarProps) {
  const notice = model.notice.value;
  if (!notice) return null;
  return (
    <p
      class={`notice notice-${notice.kind}`}
      role={notice.kind === 'error' ? 'alert' : 'status'}
      data-notice={notice.key}
    >
      {t(notice.key, notice.detail ? [notice.detail] : undefined)}
    </p>
  );
}
