// Benchmark of the JavaScript API in Node: simulate() on scenario objects of
// 10,000 / 20,000 / 40,000 / 100,000 steps (the document of
// scripts/bench-cli.sh: two accounts, one AssumeRole in ten, the rest S3
// reads, writes and deletes that are allowed, implicitly or explicitly
// denied). Prints the time of each call and its growth against the
// smallest size: linear cost means 2× / 4× / 10×.
//
//   scripts/build-js.sh && node scripts/bench-js.mjs
//   node scripts/bench-js.mjs 10000 20000         # other sizes
//   TRUSTWALK_PKG=/tmp/pkg-before node scripts/bench-js.mjs   # another build
//
// Each run is a fresh Node process, RUNS times per size (default 3, the
// median is shown). CPU time is shown beside wall time: on a shared machine
// it varies less.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = process.env.TRUSTWALK_PKG ?? path.join(root, 'pkg/trustwalk');
const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
const RUNS = Number(process.env.RUNS ?? 3);
const wasm = readFileSync(path.join(pkg, 'trustwalk_bg.wasm'));

function scenario(steps) {
  const statement = (o) => ({ Effect: 'Allow', ...o });
  const doc = {
    format: 'trustwalk/scenario@1',
    title: 'Benchmark: many steps over two accounts',
    context: { 'aws:CurrentTime': '2026-01-15T12:00:00Z', 'aws:SourceIp': '203.0.113.7' },
    accounts: [
      {
        id: '111111111111', name: 'staging',
        users: [{ name: 'U', policies: [{ name: 'AllowAssume', document: { Version: '2012-10-17', Statement: [
          statement({ Sid: 'AllowAssumeStageRole', Action: 'sts:AssumeRole', Resource: 'arn:aws:iam::222222222222:role/R' }),
          statement({ Sid: 'ReadProduction', Action: 's3:GetObject', Resource: 'arn:aws:s3:::bkt/*' }),
        ] } }] }],
      },
      {
        id: '222222222222', name: 'production',
        roles: [{
          name: 'R',
          trustPolicy: { Version: '2012-10-17', Statement: [statement({
            Sid: 'TrustStaging', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 'sts:AssumeRole',
            Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } },
          })] },
          policies: [{ name: 'ReadWrite', document: { Version: '2012-10-17', Statement: [statement({
            Sid: 'ReadWrite', Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:ListBucket'],
            Resource: ['arn:aws:s3:::bkt', 'arn:aws:s3:::bkt/*'],
          })] } }],
        }],
        buckets: [{ name: 'bkt', policy: { Version: '2012-10-17', Statement: [
          statement({ Sid: 'StagingReads', Principal: { AWS: '111111111111' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::bkt/*' }),
          { Sid: 'NoDeletes', Effect: 'Deny', Principal: '*', Action: 's3:DeleteObject', Resource: 'arn:aws:s3:::bkt/*' },
          { Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: ['arn:aws:s3:::bkt', 'arn:aws:s3:::bkt/*'],
            Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
        ] } }],
      },
    ],
    steps: [],
  };
  let session = '';
  for (let i = 0; i < steps; i++) {
    const k = i % 10;
    if (k === 0) {
      session = `s${i}`;
      doc.steps.push({ principal: 'arn:aws:iam::111111111111:user/U', action: 'sts:AssumeRole', roleArn: 'arn:aws:iam::222222222222:role/R', sessionName: session, expect: 'allowed' });
      continue;
    }
    let p = `arn:aws:sts::222222222222:assumed-role/R/${session}`;
    let a; let e;
    if (k <= 4) { a = 's3:GetObject'; e = 'allowed'; }
    else if (k <= 6) { a = 's3:PutObject'; e = 'allowed'; }
    else if (k === 7) { a = 's3:DeleteObject'; e = 'explicitDeny'; }
    else if (k === 8) { a = 's3:GetObject'; e = 'allowed'; p = 'arn:aws:iam::111111111111:user/U'; }
    else { a = 's3:PutObject'; e = 'implicitDeny'; p = 'arn:aws:iam::111111111111:user/U'; }
    doc.steps.push({ principal: p, action: a, resource: `arn:aws:s3:::bkt/${i}`, expect: e });
  }
  return doc;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// One measurement, in this process: `node bench-js.mjs --one N`.
if (process.argv[2] === '--one') {
  const n = Number(process.argv[3]);
  const doc = scenario(n);
  const api = await import(path.join(pkg, 'trustwalk.js'));
  const exports = api.initSync({ module: wasm });
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const out = api.simulate(doc, { now: 1768478400 });
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  if (!out.ok) throw new Error(JSON.stringify(out.errors.slice(0, 3)));
  if (out.result.steps.length !== n) throw new Error(`expected ${n} steps`);
  const memory = exports.memory.buffer.byteLength / 2 ** 20;
  console.log(JSON.stringify({ wall, cpu: (cpu.user + cpu.system) / 1e6, memory }));
  process.exit(0);
}

// Each measurement in a fresh Node process: a WebAssembly memory never
// shrinks, and the JavaScript heap of one run would slow the next.
const { execFileSync } = await import('node:child_process');
const self = fileURLToPath(import.meta.url);
let base;
console.log(`package: ${pkg}; median of ${RUNS} runs, each in a fresh process`);
console.log('  steps   simulate() wall   CPU (user+sys)   growth of CPU   steps growth   WebAssembly memory');
for (const n of sizes.length ? sizes : [10000, 20000, 40000, 100000]) {
  const runs = [];
  for (let r = 0; r < RUNS; r++) {
    const out = execFileSync(process.execPath, ['--max-old-space-size=8192', self, '--one', String(n)], { env: process.env, encoding: 'utf8' });
    runs.push(JSON.parse(out.trim().split('\n').pop()));
  }
  const wall = median(runs.map((r) => r.wall));
  const cpu = median(runs.map((r) => r.cpu));
  base ??= { n, cpu };
  console.log(`${String(n).padStart(7)}   ${wall.toFixed(2).padStart(9)} s   ${cpu.toFixed(2).padStart(10)} s   ${(cpu / base.cpu).toFixed(1).padStart(11)}×   ${(n / base.n).toFixed(0).padStart(8)}×   ${median(runs.map((r) => r.memory)).toFixed(0).padStart(9)} MiB`);
}
