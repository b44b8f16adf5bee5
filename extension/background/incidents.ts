/**
 * Problems the background ran into while acting for the patient (a failed provisioning, a
 * renewal that needs a portal tab…), kept until the next success clears them.
 */
import type { Problem } from '../state/popup-state';
import type { TokenResult } from '../token/token-manager';

export class Incidents {
  private problems: Problem[] = [];

  list(): Problem[] {
    return [...this.problems];
  }

  has(code: Problem['code']): boolean {
    return this.problems.some((problem) => problem.code === code);
  }

  drop(code: Problem['code']): void {
    this.problems = this.problems.filter((problem) => problem.code !== code);
  }

  /**
   * Records what a token operation's result means for the patient; returns true when a renewal
   * newly needs a portal tab (the patient should be told outside the popup too).
   */
  noteResult(result: TokenResult, failureCode: Problem['code']): boolean {
    this.drop('provision_failed');
    this.drop('capture_rejected');
    if (result.ok) {
      this.drop('renewal_needs_portal');
      return false;
    }
    if (result.failure === 'no_portal_tab') {
      if (this.has('renewal_needs_portal')) return false;
      this.problems.push({ code: 'renewal_needs_portal' });
      return true;
    }
    // Logged out, no consent, paused: the popup already says so from the state itself.
    if (!['logged_out', 'no_consent', 'paused'].includes(result.failure)) {
      this.problems.push({ code: failureCode });
    }
    return false;
  }
}
