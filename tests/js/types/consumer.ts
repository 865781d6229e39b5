// A TypeScript user of the JS API: compiled with `tsc --noEmit` against the
// built package's declarations (pkg/trustwalk/trustwalk.d.ts) by
// tests/js/types.test.mjs. Every `@ts-expect-error` line must stay an error:
// the declarations are precise, not `any`.
import {
  simulate,
  validatePolicy,
  type DiagCode,
  type Diagnostic,
  type Finding,
  type FindingSeverity,
  type Outcome,
  type PolicyType,
  type ScenarioResult,
  type SimulateOptions,
  type StatementRef,
  type StepResult,
} from '../../../pkg/trustwalk/trustwalk.js';

const options: SimulateOptions = { now: 1700000000 };
const answer = simulate('{"format": "trustwalk/scenario@1"}', options);
if (answer.ok) {
  const result: ScenarioResult = answer.result;
  const format: 'trustwalk/result@1' = result.format;
  for (const step of result.steps) {
    const decision: Outcome = step.decision;
    const met: boolean | undefined = step.expectationMet;
    const decisive: StatementRef[] = step.decisive;
    const first: StatementRef | undefined = decisive[0];
    const where: PolicyType | undefined = first?.policyType;
    const line: number | undefined = first?.span.line;
    const sid: string | undefined = first?.sid;
    const missing: PolicyType[] | undefined = step.missingAllow;
    const failed: string[] | undefined = step.nearMiss?.failed;
    const context: Record<string, string | string[]> = step.context;
    const checks = step.extraChecks?.map((c) => c.action + c.decision);
    void [format, decision, met, where, line, sid, missing, failed, context, checks, step.summary, step.crossAccount];
    // @ts-expect-error `allow` is not an outcome
    const wrong: Outcome = 'allow';
    // @ts-expect-error steps have no `decisions` field
    void step.decisions;
    void wrong;
  }
  // Load warnings and the policy checks' findings; both have a code and a help.
  answer.warnings.forEach((w: Diagnostic | Finding) => [w.code, w.help]);
  const findings = answer.warnings.filter((w): w is Finding => 'doc' in w);
  findings.forEach((f) => {
    const severity: FindingSeverity = f.severity;
    // @ts-expect-error a finding's line is a number
    const line: string = f.line;
    void [severity, line];
  });
} else {
  for (const e of answer.errors) {
    const code: DiagCode = e.code;
    const help: string = e.help;
    const column: number | undefined = e.location?.column;
    const inner: number | undefined = e.textLocation?.line;
    const severity: 'error' | 'warning' = e.severity;
    void [code, help, column, inner, severity, e.path, e.embeddedIn, e.message];
  }
  // @ts-expect-error a failed answer has no result
  void answer.result;
}

const invalid: DiagCode = 'INVALID_EFFECT';
// @ts-expect-error not a diagnostic code
const unknown: DiagCode = 'NO_SUCH_CODE';
void [invalid, unknown];

const checked = validatePolicy('{}', 'trust');
if (!checked.ok) {
  void checked.errors.map((e) => e.message);
}
// @ts-expect-error not a policy type
validatePolicy('{}', 'bucket');
// @ts-expect-error `now` is a number of seconds
simulate({}, { now: '2026-01-01' });
// @ts-expect-error the only option is `now`
simulate({}, { clock: 0 });

export const step: StepResult | undefined = undefined;
