// Runs the steps of a Trustwalk scenario document through another simulator,
// `runSimulation` of the npm package @cloud-copilot/iam-simulate, for the
// side-by-side comparison of scripts/bench-cli.sh. That package is AGPL: it
// is installed by that script into target/bench-cli/peer (gitignored) and
// used only as a black box through its public API; nothing of it is part
// of Trustwalk.
//
//   node scripts/peer-simulate.mjs PEER_DIR SCENARIO.json > results.jsonl
//
// Each step becomes one request, with the policies Trustwalk would use: the
// caller's identity policies (a user's, or for a role session its role's),
// and as resource policy the role's trust policy (sts:AssumeRole) or the
// bucket's policy (S3); the context is the document's and the step's, plus
// the aws:SecureTransport "true" Trustwalk assumes. Only what the benchmark
// scenarios use is translated: users and roles with inline policies,
// buckets, AssumeRole and S3 steps (no groups, boundaries, SCPs, RCPs,
// session policies or tags). Each result, with its statement explanations,
// is written as one JSON line (as the CLI writes its result document); the
// decisions are checked against the steps' `expect`: any not met are
// counted on standard error, and the exit status is 1.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [peerDir, file] = process.argv.slice(2);
if (!peerDir || !file) {
  console.error('usage: node scripts/peer-simulate.mjs PEER_DIR SCENARIO.json');
  process.exit(2);
}
const entry = path.join(peerDir, 'node_modules/@cloud-copilot/iam-simulate/dist/esm/index.js');
const { runSimulation } = await import(pathToFileURL(entry).href);

const doc = JSON.parse(readFileSync(file, 'utf8'));
const policies = (list) => (list ?? []).map((p) => ({ name: p.name, policy: p.document }));
const users = new Map();
const roles = new Map();
const buckets = new Map();
for (const account of doc.accounts) {
  for (const u of account.users ?? []) {
    users.set(`arn:aws:iam::${account.id}:user/${u.name}`, { account: account.id, policies: policies(u.policies) });
  }
  for (const r of account.roles ?? []) {
    roles.set(`arn:aws:iam::${account.id}:role/${r.name}`, {
      account: account.id, trust: r.trustPolicy, policies: policies(r.policies),
    });
  }
  for (const b of account.buckets ?? []) {
    buckets.set(b.name, { account: account.id, policy: b.policy });
  }
}

// A role session `arn:aws:sts::A:assumed-role/R/name` acts with role R's policies.
function caller(arn) {
  const session = /^arn:aws:sts::(\d{12}):assumed-role\/([^/]+)\//.exec(arn);
  const who = session ? roles.get(`arn:aws:iam::${session[1]}:role/${session[2]}`) : users.get(arn);
  if (!who) throw new Error(`unknown principal ${arn}`);
  return who;
}

function simulation(step) {
  const who = caller(step.principal);
  const context = { 'aws:SecureTransport': 'true', ...doc.context, ...step.context };
  let resource;
  let resourcePolicy;
  if (step.action === 'sts:AssumeRole') {
    const role = roles.get(step.roleArn);
    resource = { resource: step.roleArn, accountId: role.account };
    resourcePolicy = role.trust;
    context['sts:RoleSessionName'] = step.sessionName;
  } else {
    const bucket = buckets.get(step.resource.replace(/^arn:aws:s3:::/, '').split('/')[0]);
    resource = { resource: step.resource, accountId: bucket.account };
    resourcePolicy = bucket.policy;
  }
  return {
    request: { principal: step.principal, action: step.action, resource, contextVariables: context },
    identityPolicies: who.policies,
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy,
  };
}

const decisions = { Allowed: 'allowed', ExplicitlyDenied: 'explicitDeny', ImplicitlyDenied: 'implicitDeny' };
let met = 0;
let failed = 0;
let chunk = '';
for (const step of doc.steps) {
  const result = await runSimulation(simulation(step), {});
  const decision = decisions[result.overallResult] ?? result.resultType;
  if (step.expect) {
    if (decision === step.expect) met++;
    else failed++;
  }
  chunk += JSON.stringify(result) + '\n';
  if (chunk.length > 1 << 16) {
    process.stdout.write(chunk);
    chunk = '';
  }
}
process.stdout.write(chunk);
if (failed > 0) {
  console.error(`peer: ${doc.steps.length} steps, ${met} expectations met, ${failed} not met`);
  process.exitCode = 1;
}
