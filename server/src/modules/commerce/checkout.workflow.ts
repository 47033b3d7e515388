/**
 * @module A workflow that undoes itself (STYLE.md item 5): a list of steps, each returning its result and what its
 * undo needs; when a step fails, the finished steps are undone newest first and the failure is rethrown. A step
 * may also suspend the workflow (a payment waiting for the customer): nothing is undone, the caller resumes later.
 */

/** What a step answers: its result, and the undo of what it did (none for a step that changed nothing). */
export interface StepOutcome<R> {
  result: R;
  undo?: (() => Promise<void>) | undefined;
  /** Stop here without undoing: the work done so far waits for the caller to come back. */
  suspend?: boolean | undefined;
}

export interface Step<S> {
  name: string;
  run(state: S): Promise<StepOutcome<Partial<S>>>;
}

export type WorkflowResult<S> = { status: 'done'; state: S } | { status: 'suspended'; at: string; state: S };

/**
 * Runs the steps in order, merging each result into the state. On a failure the finished steps are undone in
 * reverse and the step's own error is rethrown (the undo failures are logged by the caller through `onUndoError`).
 * @example const out = await runWorkflow([{ name: 'reserve', run: async (s) => ({ result: { ids }, undo: () => release(ids) }) }], {})
 */
export async function runWorkflow<S extends object>(
  steps: Array<Step<S>>,
  initial: S,
  onUndoError: (step: string, err: unknown) => void = () => undefined,
): Promise<WorkflowResult<S>> {
  const state = { ...initial };
  const undos: Array<{ name: string; undo: () => Promise<void> }> = [];
  for (const step of steps) {
    let outcome: StepOutcome<Partial<S>>;
    try {
      outcome = await step.run(state);
    } catch (err) {
      for (const done of undos.reverse()) {
        try {
          await done.undo();
        } catch (undoErr) {
          onUndoError(done.name, undoErr);
        }
      }
      throw err;
    }
    Object.assign(state, outcome.result);
    if (outcome.undo) undos.push({ name: step.name, undo: outcome.undo });
    if (outcome.suspend) return { status: 'suspended', at: step.name, state };
  }
  return { status: 'done', state };
}
