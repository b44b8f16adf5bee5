import { useEffect, useRef } from 'preact/hooks';
import { t } from '../../i18n/t';
import type { Notice, PopupModel } from '../popup-model';

interface NoticeBarProps {
  model: PopupModel;
}

/** The outcome of the last action, announced to screen readers (pairing errors: beside the form). */
export function NoticeBar({ model }: NoticeBarProps) {
  const notice = model.notice.value;
  if (!notice || notice.besidePairForm) return null;
  return <NoticeText notice={notice} />;
}

export function NoticeText({ notice }: { notice: Notice }) {
  const text = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (notice.focus) text.current?.focus();
  }, [notice]);
  return (
    <p
      ref={text}
      class={`notice notice-${notice.kind}`}
      role={notice.kind === 'error' ? 'alert' : 'status'}
      data-notice={notice.key}
      tabIndex={notice.focus ? -1 : undefined}
    >
      {t(notice.key, notice.detail ? [notice.detail] : undefined)}
    </p>
  );
}
