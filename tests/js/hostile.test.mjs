// The JavaScript API under hostile and careless input: every call answers
// `{ ok: false, errors }` with a message and the JSON path of the problem —
// nothing throws — and the module keeps working afterwards (a normal call
// after each hostile one gives the normal answer).
// Run: scripts/build-js.sh && node --test tests/js/
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
const NOW = { now: 1700000000 };

/** The module still gives the example's normal answer. */
function stillWorks() {
  const out = api.simulate(example, NOW);
  assert.equal(out.ok, true, JSON.stringify(out.errors));
  assert.deepEqual(out.result.steps.map((s) => s.decision), ['allowed', 'allowed', 'implicitDeny']);
  assert.deepEqual(api.validatePolicy('{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}}', 'identity'), { ok: true, warnings: [] });
}

/** `call()` answers (does not throw) `{ ok: false }` with an error matching
 * `message` at `path`; the module then still works. */
function refuses(call, message, path) {
  let out;
  assert.doesNotThrow(() => { out = call(); });
  assert.equal(out.ok, false, JSON.stringify(out));
  const hit = out.errors.find((e) => message.test(e.message) && (path === undefined || e.path === path));
  assert.ok(hit, `no error matching ${message} at ${path} in ${JSON.stringify(out.errors)}`);
  assert.equal(hit.severity, 'error');
  assert.match(hit.code, /^(UNSUPPORTED_VALUE|JSON_TOO_DEEP|TOO_LARGE|INVALID_ARGUMENT)$/, JSON.stringify(hit));
  assert.ok(hit.help.length > 0, JSON.stringify(hit));
  assert.equal('location' in hit, false, 'an object has no text: no location, not line 0');
  stillWorks();
  return out;
}

const withField = (key, value) => ({ ...structuredClone(example), [key]: value });

function nestedArrays(depth) {
  let v = [];
  for (let i = 1; i < depth; i++) v = [v];
  return v;
}

test('nesting deeper than 64 levels is refused like in a text, at its path', () => {
  // 3,000 arrays used to overflow the WebAssembly stack and break the module for good.
  const out = refuses(() => api.simulate(withField('x-deep', nestedArrays(3000)), NOW), /nested more than 64 levels deep/);
  assert.equal(out.errors[0].path, `x-deep${'[0]'.repeat(63)}`);
  // The limit is the same as for a document given as text: the document
  // itself is level 1, so an `x-` field may hold 63 levels.
  for (const [depth, ok] of [[63, true], [64, false]]) {
    const doc = withField('x-deep', nestedArrays(depth));
    assert.equal(api.simulate(doc, NOW).ok, ok, `object, depth ${depth}`);
    assert.equal(api.simulate(JSON.stringify(doc), NOW).ok, ok, `text, depth ${depth}`);
  }
  refuses(() => api.simulate(nestedArrays(100000), NOW), /nested more than 64 levels deep/);
});

test('a document that contains itself is refused where the cycle closes', () => {
  const doc = structuredClone(example);
  doc['x-self'] = doc;
  refuses(() => api.simulate(doc, NOW), /^this is the document itself \(a cycle\)/, 'x-self');
  const inner = structuredClone(example);
  inner.accounts[1].roles[0]['x-up'] = inner.accounts;
  refuses(() => api.simulate(inner, NOW), /^this is the same object as `accounts` \(a cycle\)/, 'accounts[1].roles[0].x-up');
  // The same object twice, without a cycle, is fine (it is read twice).
  const shared = structuredClone(example);
  shared.accounts[1].roles[0].policies[0].document = shared.accounts[0].users[0].policies[0].document;
  assert.equal(api.simulate(shared, NOW).ok, true);
});

test('a document whose shared parts would expand to gigabytes is refused by size', () => {
  let dag = ['0123456789'];
  for (let i = 0; i < 40; i++) dag = [dag, dag]; // 2^40 leaves as JSON text
  refuses(() => api.simulate(withField('x-dag', dag), NOW), /larger than 64 MiB as JSON text/);
  const sparse = [];
  sparse.length = 2 ** 32 - 1;
  refuses(() => api.simulate(withField('x-sparse', sparse), NOW), /larger than 64 MiB as JSON text/, 'x-sparse');
});

test('getters and Proxy traps that throw are reported, not propagated', () => {
  const getter = structuredClone(example);
  Object.defineProperty(getter.accounts[0], 'name', { enumerable: true, get() { throw new TypeError('boom'); } });
  refuses(() => api.simulate(getter, NOW), /^reading this field threw an exception: TypeError: boom$/, 'accounts[0].name');

  const keys = withField('x-proxy', new Proxy({}, { ownKeys() { throw new Error('no keys'); } }));
  refuses(() => api.simulate(keys, NOW), /the fields of this object cannot be listed: Error: no keys/, 'x-proxy');

  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  refuses(() => api.simulate(withField('x-revoked', proxy), NOW), /cannot be read: TypeError/, 'x-revoked');
  refuses(() => api.simulate(proxy, NOW), /cannot be read: TypeError/, '');

  // A thrown non-Error, and an Error whose message getter throws too.
  const odd = structuredClone(example);
  Object.defineProperty(odd, 'title', { enumerable: true, get() { throw 42; } });
  refuses(() => api.simulate(odd, NOW), /threw an exception: 42$/, 'title');
  const nasty = structuredClone(example);
  const err = new Error('x');
  Object.defineProperty(err, 'message', { get() { throw new Error('again'); } });
  Object.defineProperty(nasty, 'title', { enumerable: true, get() { throw err; } });
  refuses(() => api.simulate(nasty, NOW), /threw an exception/, 'title');
});

test('values JSON cannot hold are errors at their path, not null', () => {
  const cases = [
    [undefined, /^undefined is not a JSON value: remove the field or give null$/],
    [NaN, /^NaN is not a JSON number/],
    [Infinity, /^Infinity is not a JSON number/],
    [-Infinity, /^-Infinity is not a JSON number/],
    [10n, /^a BigInt is not a JSON value/],
    [Symbol('s'), /^a Symbol is not a JSON value/],
    [() => 1, /^a function is not a JSON value/],
    [new Date(0), /^a Date object is not a JSON value/],
    [new Map([['a', 1]]), /^a Map object is not a JSON value/],
    [new Uint8Array(2), /^a Uint8Array object is not a JSON value/],
    [new String('s'), /^a String object is not a JSON value/],
  ];
  for (const [value, message] of cases) {
    const doc = structuredClone(example);
    doc.steps[1].context = { 'aws:UserAgent': value };
    refuses(() => api.simulate(doc, NOW), message, 'steps[1].context["aws:UserAgent"]');
  }
  // A field explicitly undefined in a required place, and a hole in an array.
  const title = structuredClone(example);
  title.title = undefined;
  refuses(() => api.simulate(title, NOW), /^undefined is not a JSON value/, 'title');
  const hole = structuredClone(example);
  hole.steps = [, ...hole.steps]; // eslint-disable-line no-sparse-arrays
  refuses(() => api.simulate(hole, NOW), /^undefined \(or an empty array slot\) is not a JSON value: give null$/, 'steps[0]');
});

test('lone surrogates are reported, not turned into U+FFFD', () => {
  refuses(() => api.simulate(withField('title', 'ab\uD800c'), NOW), /lone surrogate \(\\uD800\) at UTF-16 position 2/, 'title');
  const key = structuredClone(example);
  key.accounts[0]['x-\uDC00'] = 1;
  refuses(() => api.simulate(key, NOW), /^this field's name is not valid: the string holds a lone surrogate \(\\uDC00\)/);
  // A real U+FFFD and a surrogate pair are text like any other.
  const fine = withField('title', 'ok \uFFFD \uD83D\uDE00');
  const out = api.simulate(fine, NOW);
  assert.equal(out.ok, true, JSON.stringify(out.errors));
  // In a document or policy given as text.
  const text = JSON.stringify(example).replace('"Staging', '"\uDBFF Staging');
  const t = api.simulate(text, NOW);
  assert.equal(t.ok, false);
  assert.match(t.errors[0].message, /^the scenario text: the string holds a lone surrogate \(\\uDBFF\)/);
  stillWorks();
  const p = api.validatePolicy('{"Version": "2012-10-17", "Statement": [], "x": "\uDFFF"}', 'identity');
  assert.equal(p.ok, false);
  assert.match(p.errors[0].message, /^the policy text: the string holds a lone surrogate \(\\uDFFF\)/);
  stillWorks();
});

test('options.now must be a time in seconds between 1970 and 9999', () => {
  const range = /`options.now` must be a time between 0 \(1970-01-01T00:00:00Z\) and 253402300799 \(9999-12-31T23:59:59Z\) in seconds, not /;
  for (const [now, shown] of [[NaN, 'NaN'], [Infinity, 'Infinity'], [-Infinity, 'Infinity'], [-1, '-1'], [253402300800, '253402300800'], [1e300, '1e300']]) {
    const out = refuses(() => api.simulate(example, { now }), range, '');
    assert.ok(out.errors[0].message.endsWith(`not ${shown}`), out.errors[0].message);
  }
  for (const [now, what] of [['1700000000', 'a string'], [1700000000n, 'a BigInt'], [null, 'not a number'], [{}, 'not a number']]) {
    const out = refuses(() => api.simulate(example, { now }), /^`options.now` must be a number of seconds since 1970-01-01T00:00:00Z/, '');
    assert.ok(out.errors[0].message.endsWith(`not ${what}`), out.errors[0].message);
  }
  refuses(() => api.simulate(example, { Now: 1 }), /^unknown option `Now`: the options are `now`, `catalogue`, `lint` and `managedPolicies`$/, '');
  refuses(() => api.simulate(example, 5), /^the options of simulate\(\) must be an object/, '');
  refuses(() => api.simulate(example, [1]), /^the options of simulate\(\) must be an object/, '');
  refuses(() => api.simulate(example, { get now() { throw new Error('clock'); } }), /^reading `options.now` threw an exception: Error: clock$/, '');
  // Both the document's and the options' errors are listed.
  const both = api.simulate(withField('typo', 1), { now: NaN });
  assert.deepEqual(both.errors.map((e) => e.path), ['typo', '']);

  // Accepted: the bounds, a fraction (rounded down), and no `now` at all.
  for (const options of [{ now: 0 }, { now: 253402300799 }, { now: 1700000000.9 }, {}, undefined, null, { now: undefined }]) {
    assert.equal(api.simulate(example, options).ok, true, JSON.stringify(options));
  }
  // Without a pinned aws:CurrentTime, `now` is the request's time.
  const doc = structuredClone(example);
  delete doc.context;
  doc.steps[1].context = { 'aws:UserAgent': 'probe' };
  const at = (now) => api.simulate(doc, { now }).result.steps[1].context;
  assert.equal(at(1700000000.9)['aws:CurrentTime'], '2023-11-14T22:13:20Z');
  assert.equal(at(253402300799)['aws:CurrentTime'], '9999-12-31T23:59:59Z');
});

test('validatePolicy answers for anything it is given', () => {
  for (const text of [12, null, undefined, {}, [], Symbol('p'), 10n, () => '{}', new String('{}')]) {
    const out = api.validatePolicy(text, 'identity');
    assert.equal(out.ok, false);
    assert.match(out.errors[0].message, /^validatePolicy\(\) takes the policy text as a string$/);
  }
  for (const type of [undefined, 3, {}, 'Identity']) {
    assert.equal(api.validatePolicy('{}', type).ok, false);
  }
  const big = api.validatePolicy('"' + 'a'.repeat(2 * 1024 * 1024) + '"', 'identity');
  assert.equal(big.ok, false);
  assert.match(big.errors[0].message, /^the policy text is longer than 1024 KiB/);
  stillWorks();
});

test('simulate answers for anything it is given', () => {
  for (const input of [undefined, null, 42, true, Symbol('s'), 10n, () => ({}), [], new Date(0), 'not json', '']) {
    let out;
    assert.doesNotThrow(() => { out = api.simulate(input, NOW); });
    assert.equal(out.ok, false, String(input?.toString?.()));
    assert.ok(out.errors.length > 0 && out.errors[0].message.length > 0);
  }
  const big = api.simulate(' '.repeat(2 * 1024 * 1024), NOW);
  assert.match(big.errors[0].message, /^the scenario text is longer than 1024 KiB/);
  stillWorks();
});

test('errors in a document given as an object have no location; in a text they do', () => {
  const bad = withField('typo', true);
  const obj = api.simulate(bad, NOW);
  assert.equal(obj.errors[0].path, 'typo');
  assert.equal('location' in obj.errors[0], false);
  const text = api.simulate(JSON.stringify(bad, null, 2), NOW);
  assert.equal(text.errors[0].path, 'typo');
  assert.ok(text.errors[0].location.line > 1);
  // A policy given as a string inside an object: its own position stays.
  const embedded = structuredClone(example);
  embedded.accounts[0].users[0].policies[0].document = '{"Version": "2012-10-17",\n "Statement": [{"Effect": "Alow"}]}';
  const e = api.simulate(embedded, NOW);
  assert.equal(e.ok, false);
  const d = e.errors.find((x) => x.embeddedIn);
  assert.ok(d, JSON.stringify(e.errors));
  assert.equal('location' in d, false);
  assert.equal(d.textLocation.line, 2);
});

test('numbers of an object document read as in its JSON text', () => {
  const doc = structuredClone(example);
  doc.steps[1].context = Object.fromEntries([0, -0, 1.5, 1e21, 1e-7, -12, 2 ** 53].map((n, i) => [`ec2:n${i}`, n]));
  const out = api.simulate(doc, NOW);
  assert.equal(out.ok, true, JSON.stringify(out.errors));
  const same = api.simulate(JSON.stringify(doc), NOW);
  const context = (r) => r.result.steps[1].context;
  assert.deepEqual(context(out), context(same));
  assert.equal(context(out)['ec2:n2'], '1.5');
});
