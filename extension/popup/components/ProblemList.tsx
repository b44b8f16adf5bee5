import { t } from '../../i18n/t';
import type { Problem } from '../../state/popup-state';
import type { PopupModel } from '../popup-model';

interface ProblemListProps {
  model: PopupModel;
}

/** Problems the patient can act on: what is wrong and, where one click fixes it, the button. */
export function ProblemList({ model }: ProblemListProps) {
  const problems = model.state.value?.problems ?? [];
  if (problems.length === 0) return null;
  return (
    <ul class="problems" aria-label={t('problems_label')}>
      {problems.map((problem) => (
        <li key={`${problem.code}-${problem.port ?? ''}`} data-problem={problem.code}>
          {t(`problem_${problem.code}`, problem.port ? [String(problem.port)] : undefined)}
          <ProblemAction problem={problem} model={model} />
        </li>
      ))}
    </ul>
  );
}

function ProblemAction({ problem, model }: { problem: Problem; model: PopupModel }) {
  const opensPortal = ['login_needed', 'renewal_needs_portal', 'portal_revocation_pending'];
  if (!opensPortal.includes(problem.code)) return null;
  return (
    <button type="button" class="link" onClick={() => model.run('openPortal')}>
      {t('action_open_portal')}
    </button>
  );
}
