/**
 * The order vitest hands files to its workers: the longest first, so that the run is not left
 * waiting on one slow file at its end. The real-browser files take longest (Firefox's most of
 * all: its launch alone takes seconds), then the integration files; the unit files, a second
 * or less each, fill the gaps. Within a project vitest's own order stands (longest known first,
 * else largest file first).
 */
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const PROJECT_RANK: Record<string, number> = { e2e: 0, integration: 1, unit: 2 };

const rank = (spec: TestSpecification) =>
  (PROJECT_RANK[spec.project.name] ?? 3) * 2 + (/firefox/.test(spec.moduleId) ? 0 : 1);

export default class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const byVitest = await super.sort(files);
    const position = new Map(byVitest.map((spec, index) => [spec, index]));
    return [...byVitest].sort(
      (a, b) => rank(a) - rank(b) || (position.get(a) ?? 0) - (position.get(b) ?? 0),
    );
  }
}
