import { t } from '../../i18n/t';
import type { Problem } from '../../state/popup-state';
import type { PopupModel } from '../popup-model';
import { STEP_PROBLEMS } from '../setup-checklist';

interface ProblemListProps {
  model: PopupModel;
}

/** The checklist explains these at their step; the list holds the rest. */
const IN_CHECKLIST = new Set(Object.values(STEP_PROBLEMS).flat());

/** Problems the patient can act on, in plain words; which port, if any, is said in Details. */
export function ProblemList({ model }: ProblemListProps) {
  const problems = (model.state.value?.problems ?? []).filter((p) => !IN_CHECKLIST.has(p.code));
  if (problems.length === 0) return null;
  return (
    <ul class="problems" aria-label={t('problems_label')}>
      {problems.map((problem) => (
        <li key={`${problem.code}-${problem.port ?? ''}`} data-problem={problem.code}>
          {t(`problem_${problem.code}`)}
          <ProblemAction problem={problem} model={model} />
        </li>
      ))}
    </ul>
  );
}

function ProblemAction({ problem, model }: { problem: Problem; model: PopupModel }) {
  const opensPortal = ['renewal_needs_portal', 'portal_revocation_pending'];
  if (!opensPortal.includes(problem.code)) return null;
  return (
    <button type="button" class="link" onClick={() => model.run('openPortal')}>
      {t('action_open_portal')}
    </button>
  );
}
