/**
 * A tool call that must first ask the client something (the 2026-07-28 protocol's
 * input-required result): thrown where the question arises, answered by the tool registration
 * with `result` in place of the tool's own result. The client answers and calls again; nothing
 * was done meanwhile.
 */
export class InputNeeded extends Error {
  constructor(readonly result: { resultType: 'input_required' } & Record<string, unknown>) {
    super('the client must answer before this call can go on');
    this.name = 'InputNeeded';
  }
}
