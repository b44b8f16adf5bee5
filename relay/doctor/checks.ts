/**
 * What each link of `hospiai-mcp doctor` reports (run-doctor.ts walks them in order). A link
 * returns its findings, each with a fix when something is wrong; none changes anything.
 */
export type Status = 'ok' | 'warn' | 'broken' | 'skip';

export interface Finding {
  /** The link's English name (doctor-text.ts CHECK_NAMES): the JSON report's stable id. */
  check: string;
  status: Status;
  detail: string;
  /** What to do, when status is warn or broken. */
  fix?: string;
}
