// The JavaScript API in Node: simulate() and validatePolicy() on the built
// npm folder (scripts/build-js.sh → pkg/trustwalk). Run: node --test tests/js/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const pkg = path.join(root, 'pkg/trustwalk');
const api = await import(path.join(pkg, 'trustwalk.js'));
api.initSync({ module: readFileSync(path.join(pkg, 'trustwalk_bg.wasm')) });
const example = JSON.parse(readFileSync(path.join(root, 'examples/staging-reads-production.json'), 'utf8'));

test('simulate runs the example as an object and as text', () => {
  for (const input of [example, JSON.stringify(example)]) {
    const out = api.simulate(input, { now: 1700000000, lint: false });
    assert.equal(out.ok, true, JSON.stringify(out.errors));
    assert.equal(out.result.format, 'trustwalk/result@1');
    assert.deepEqual(out.result.steps.map((s) => s.decision), ['allowed', 'allowed', 'implicitDeny']);
    assert.equal(out.result.steps[0].session, 'arn:aws:sts::222222222222:assumed-role/StageRole/test');
    assert.equal(out.result.steps[0].decisive[1].policy, 'StageRole/trustPolicy');
    assert.deepEqual(out.warnings, []);
  }
});

test('every example meets its expectations through simulate, the service-caller ones too', () => {
  const dir = path.join(root, 'examples');
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  assert.ok(files.includes('ec2-instance-profile-reads-production.json'), files.join(' '));
  for (const file of files) {
    const out = api.simulate(readFileSync(path.join(dir, file), 'utf8'), { now: 1700000000, lint: false });
    assert.equal(out.ok, true, `${file}: ${JSON.stringify(out.errors)}`);
    const unmet = out.result.steps.filter((s) => s.expectationMet === false).map((s) => `${s.id}: ${s.decision}`);
    assert.deepEqual(unmet, [], file);
  }
  const ec2 = api.simulate(readFileSync(path.join(dir, 'ec2-instance-profile-reads-production.json'), 'utf8'), { lint: false });
  assert.equal(ec2.result.steps[0].session, 'arn:aws:sts::111111111111:assumed-role/AppServerRole/i-0abc1234def567890');
  assert.equal(ec2.result.steps[0].context['aws:PrincipalServiceName'], 'ec2.amazonaws.com');
  assert.equal(ec2.result.steps[1].context['ec2:SourceInstanceARN'], 'arn:aws:ec2:us-east-1:111111111111:instance/i-0abc1234def567890');
});

test('simulate reports errors with paths and positions instead of throwing', () => {
  const bad = structuredClone(example);
  bad.accounts[1].roles[0].typo = true;
  const out = api.simulate(bad);
  assert.equal(out.ok, false);
  assert.equal(out.errors[0].path, 'accounts[1].roles[0].typo');
  assert.equal(out.errors[0].code, 'UNKNOWN_FIELD');
  assert.equal(out.errors[0].severity, 'error');
  assert.match(out.errors[0].help, /custom field's name starts with `x-`/);

  const text = api.simulate('{"format": "trustwalk/scenario@1",\n  "accounts": [}');
  assert.equal(text.ok, false);
  assert.equal(text.errors[0].code, 'JSON_SYNTAX_ERROR');
  assert.equal(text.errors[0].location.line, 2);

  for (const junk of [undefined, null, 42, true]) {
    const r = api.simulate(junk);
    assert.equal(r.ok, false);
    assert.equal(r.errors[0].code, 'INVALID_ARGUMENT');
    assert.ok(r.errors[0].message.length > 0 && r.errors[0].help.length > 0);
  }
});

test('validatePolicy checks a policy for its type', () => {
  const good = '{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}}';
  assert.deepEqual(api.validatePolicy(good, 'identity'), { ok: true, warnings: [] });
  const trust = api.validatePolicy(good, 'trust');
  assert.equal(trust.ok, false);
  assert.ok(trust.errors.some((e) => e.code === 'MISSING_PRINCIPAL' && e.path === 'Statement'), JSON.stringify(trust.errors));
  const dup = api.validatePolicy('{"Version": "2012-10-17",\n "Statement": [], "Statement": []}', 'identity');
  assert.equal(dup.ok, false);
  assert.ok(dup.errors.some((e) => e.code === 'DUPLICATE_KEYS' && e.path === 'Statement' && e.location.line === 2), JSON.stringify(dup.errors));
  const noVersion = api.validatePolicy('{"Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}}', 'identity');
  assert.equal(noVersion.ok, true);
  assert.deepEqual(noVersion.warnings.map((w) => [w.severity, w.code, w.path]), [['warning', 'MISSING_VERSION', '']]);
  assert.equal(noVersion.warnings[0].help, 'add `"Version": "2012-10-17"`');
  assert.equal(api.validatePolicy(good, 'nonsense').ok, false);
  assert.equal(api.validatePolicy(12, 'identity').ok, false);
});

test('the package ships TypeScript declarations', () => {
  const dts = readFileSync(path.join(pkg, 'trustwalk.d.ts'), 'utf8');
  assert.match(dts, /export function simulate\(scenario: object \| string, options\?: SimulateOptions\): Answer<\{ result: ScenarioResult \}, Diagnostic \| Finding>;/);
  assert.match(dts, /export function lintPolicy\(text: string, policyType: PolicyType, options\?: SimulateOptions\): Answer<\{ findings: Finding\[\] \}>;/);
  assert.match(dts, /export type FindingSeverity = "error" \| "securityWarning" \| "warning" \| "suggestion";/);
  assert.match(dts, /export function validatePolicy\(text: string, policyType: PolicyType\): Answer<\{\}>;/);
  assert.match(dts, /export type Diagnostic = \{[^}]*\bcode: DiagCode,[^}]*\bhelp: string,/);
  assert.match(dts, /export type DiagCode = [^;]*"INVALID_EFFECT" \|/);
  const manifest = JSON.parse(readFileSync(path.join(pkg, 'package.json'), 'utf8'));
  assert.equal(manifest.types, 'trustwalk.d.ts');
});

const catalogueText = readFileSync(path.join(pkg, 'catalogue.json'), 'utf8');

test('lintPolicy finds what Access Analyzer would, and with the catalogue unknown actions', () => {
  const risky = '{"Version": "2012-10-17", "Statement": [\n {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"},\n {"Effect": "Allow", "Action": "s3:GetObjects", "Resource": "arn:aws:s3:::bkt/*"}]}';
  const plain = api.lintPolicy(risky, 'identity');
  assert.equal(plain.ok, true, JSON.stringify(plain.errors));
  const passRole = plain.findings.find((f) => f.code === 'PASS_ROLE_WITH_STAR_IN_RESOURCE');
  assert.ok(passRole, JSON.stringify(plain.findings));
  assert.equal(passRole.severity, 'securityWarning');
  assert.equal(passRole.line, 2);
  assert.ok(passRole.help.length > 0 && passRole.doc.startsWith('https://docs.aws.amazon.com/'));
  // The typo needs the catalogue: silent without it, found with it (text or bytes).
  const typo = (out) => out.findings.find((f) => f.path.startsWith('Statement[1].Action'));
  assert.equal(typo(plain), undefined);
  for (const catalogue of [catalogueText, new TextEncoder().encode(catalogueText), new TextEncoder().encode(catalogueText).buffer]) {
    const withCatalogue = api.lintPolicy(risky, 'identity', { catalogue });
    assert.equal(withCatalogue.ok, true, JSON.stringify(withCatalogue.errors));
    const f = typo(withCatalogue);
    assert.ok(f, JSON.stringify(withCatalogue.findings));
    assert.equal(f.severity, 'error');
    assert.match(f.message + f.help, /s3:GetObject\b/);
    assert.equal(f.line, 3);
  }
  // A policy that does not parse gives error findings, not a failure.
  const broken = api.lintPolicy('{"Version": "2012-10-17", "Statement": {"Effect": "allow"}}', 'identity');
  assert.equal(broken.ok, true);
  assert.ok(broken.findings.some((f) => f.severity === 'error' && f.code === 'INVALID_EFFECT'), JSON.stringify(broken.findings));
});

test('simulate adds the findings of every policy of the scenario to its warnings', () => {
  const out = api.simulate(example, { now: 1700000000, catalogue: catalogueText });
  assert.equal(out.ok, true, JSON.stringify(out.errors));
  assert.ok(out.warnings.length > 0);
  for (const w of out.warnings) {
    assert.ok(['error', 'securityWarning', 'warning', 'suggestion'].includes(w.severity), JSON.stringify(w));
    assert.ok(w.code && w.message && w.help && typeof w.path === 'string', JSON.stringify(w));
  }
  // The example's decisions are the same with or without the checks.
  assert.deepEqual(out.result.steps.map((s) => s.decision), ['allowed', 'allowed', 'implicitDeny']);
});

test('bad options are errors, not exceptions', () => {
  const policy = '{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}}';
  for (const options of [{ catalogue: 42 }, { catalogue: '{"not": "a catalogue"}' }, { lint: 'yes' }, { colour: true }, 'now']) {
    const out = api.lintPolicy(policy, 'identity', options);
    assert.equal(out.ok, false, JSON.stringify(options));
    assert.equal(out.errors[0].code, 'INVALID_ARGUMENT', JSON.stringify(out.errors));
  }
  assert.equal(api.lintPolicy(policy, 'identity', { catalogue: catalogueText }).ok, true);
});

test("a scenario attaching an AWS managed policy runs with the package's file of it", () => {
  const doc = JSON.parse(readFileSync(path.join(root, 'tests/scenarios/aws-managed-policy-on-a-role.json'), 'utf8'));
  const names = api.managedPolicyArns(doc);
  assert.equal(names.ok, true);
  assert.ok(names.arns.length > 0);
  const without = api.simulate(doc, { lint: false });
  assert.equal(without.ok, false);
  assert.ok(without.errors.every((e) => e.code === 'UNKNOWN_MANAGED_POLICY'), JSON.stringify(without.errors));
  const managedPolicies = Object.fromEntries(names.arns.map(({ arn, file }) => [arn, readFileSync(path.join(pkg, file), 'utf8')]));
  const out = api.simulate(doc, { lint: false, managedPolicies });
  assert.equal(out.ok, true, JSON.stringify(out.errors));
  assert.ok(out.result.steps.every((s) => s.expectationMet !== false), JSON.stringify(out.result.steps.map((s) => [s.id, s.decision, s.expect])));
  assert.ok(out.result.steps.some((s) => s.decisive.some((d) => d.policy.startsWith('arn:aws:iam::aws:policy/'))));
});
