// The JavaScript API in Node: simulate() and validatePolicy() on the built
// npm folder (scripts/build-js.sh → pkg/trustwalk). Run: node --test tests/js/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const pkg = path.join(root, 'pkg/trustwalk');
const api = await import(path.join(pkg, 'trustwalk.js'));
api.initSync({ module: readFileSync(path.join(pkg, 'trustwalk_bg.wasm')) });
const example = JSON.parse(readFileSync(path.join(root, 'examples/staging-reads-production.json'), 'utf8'));

test('simulate runs the example as an object and as text', () => {
  for (const input of [example, JSON.stringify(example)]) {
    const out = api.simulate(input, { now: 1700000000 });
    assert.equal(out.ok, true, JSON.stringify(out.errors));
    assert.equal(out.result.format, 'trustwalk/result@1');
    assert.deepEqual(out.result.steps.map((s) => s.decision), ['allowed', 'allowed', 'implicitDeny']);
    assert.equal(out.result.steps[0].session, 'arn:aws:sts::222222222222:assumed-role/StageRole/test');
    assert.equal(out.result.steps[0].decisive[1].policy, 'StageRole/trustPolicy');
    assert.deepEqual(out.warnings, []);
  }
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
  assert.match(dts, /export function simulate\(scenario: object \| string, options\?: SimulateOptions\): Answer<\{ result: ScenarioResult \}>;/);
  assert.match(dts, /export function validatePolicy\(text: string, policyType: PolicyType\): Answer<\{\}>;/);
  assert.match(dts, /export type Diagnostic = \{[^}]*\bcode: DiagCode,[^}]*\bhelp: string,/);
  assert.match(dts, /export type DiagCode = [^;]*"INVALID_EFFECT" \|/);
  const manifest = JSON.parse(readFileSync(path.join(pkg, 'package.json'), 'utf8'));
  assert.equal(manifest.types, 'trustwalk.d.ts');
});
