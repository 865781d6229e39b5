#!/usr/bin/env node
// Writes a scenario document of the size the review features (access map,
// diff) are measured at: PRINCIPALS principals (half users in staging,
// 111111111111, half roles in production, 222222222222) and BUCKETS buckets
// in production, to standard output.
//
//   node scripts/gen-review-scenario.mjs 100 50 > target/review-100x50.json
//   node scripts/gen-review-scenario.mjs 100 50 --tighter > target/review-100x50-new.json
//
// What it holds, so that the map has every kind of cell:
// - each user may assume a few of the roles (its identity policy) and reads
//   a bucket of its team directly (`s3:Get*`, `s3:List*`);
// - each role trusts the staging account, every fourth only with an
//   ExternalId, every fifth only with MFA; every seventh role may assume the
//   next one (a chain); each reads and writes its team's buckets
//   (`s3:*Object`, `s3:ListBucket`) and denies `s3:DeleteBucket`;
// - each bucket policy lets staging read `reports/*`, and denies requests
//   that are not over TLS and deletes of `locked/*`.
// - a few steps: an AssumeRole and a GetObject per tenth user.
// `--tighter` (the "new" side of a diff) removes the staging read grant of
// every other bucket and adds `s3:PutObject` to the users' grant, which the
// bucket policies do not allow across accounts: at 100 × 50, 1,110 cells of
// removed access, no new access (`trustwalk diff` exits 0), some path changes.

const [p = '100', b = '50', ...flags] = process.argv.slice(2);
const PRINCIPALS = Number(p);
const BUCKETS = Number(b);
const tighter = flags.includes('--tighter');
if (!Number.isInteger(PRINCIPALS) || PRINCIPALS < 2 || !Number.isInteger(BUCKETS) || BUCKETS < 1) {
  console.error('usage: gen-review-scenario.mjs PRINCIPALS BUCKETS [--tighter]');
  process.exit(2);
}
const STAGING = '111111111111';
const PROD = '222222222222';
const USERS = Math.ceil(PRINCIPALS / 2);
const ROLES = PRINCIPALS - USERS;
const TEAMS = Math.max(1, Math.min(10, BUCKETS));
const bucket = (k) => `data-${String(k).padStart(3, '0')}`;
const role = (j) => `app-${String(j).padStart(3, '0')}`;
const teamBuckets = (team) => {
  const out = [];
  for (let k = team; k < BUCKETS; k += TEAMS) out.push(bucket(k));
  return out;
};
const s3Arns = (names, suffix = '') => names.flatMap((n) => [`arn:aws:s3:::${n}`, `arn:aws:s3:::${n}/*${suffix}`]);

const users = [];
for (let i = 0; i < USERS; i += 1) {
  const team = i % TEAMS;
  const roles = [i % ROLES, (i * 7 + 3) % ROLES].filter((x, k, a) => a.indexOf(x) === k);
  const readActions = tighter ? ['s3:Get*', 's3:List*', 's3:PutObject'] : ['s3:Get*', 's3:List*'];
  users.push({
    name: `dev-${String(i).padStart(3, '0')}`,
    policies: [{
      name: 'Work',
      document: {
        Version: '2012-10-17',
        Statement: [
          { Sid: 'AssumeTeamRoles', Effect: 'Allow', Action: 'sts:AssumeRole', Resource: roles.map((j) => `arn:aws:iam::${PROD}:role/${role(j)}`) },
          { Sid: 'ReadTeamBuckets', Effect: 'Allow', Action: readActions, Resource: s3Arns(teamBuckets(team).slice(0, 2)) },
        ],
      },
    }],
  });
}

const roles = [];
for (let j = 0; j < ROLES; j += 1) {
  const team = j % TEAMS;
  const trust = [{ Sid: 'TrustStaging', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${STAGING}:root` }, Action: 'sts:AssumeRole' }];
  if (j % 4 === 0) trust[0].Condition = { StringEquals: { 'sts:ExternalId': `team-${team}` } };
  else if (j % 5 === 0) trust[0].Condition = { Bool: { 'aws:MultiFactorAuthPresent': 'true' } };
  if (j % 7 === 6) {
    trust.push({ Sid: 'TrustPreviousRole', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${PROD}:role/${role(j - 1)}` }, Action: 'sts:AssumeRole' });
  }
  const statements = [
    { Sid: 'TeamData', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:ListBucket'], Resource: s3Arns(teamBuckets(team)) },
    { Sid: 'NeverDeleteBuckets', Effect: 'Deny', Action: 's3:DeleteBucket', Resource: '*' },
  ];
  if (j % 7 === 5 && j + 1 < ROLES) {
    statements.push({ Sid: 'ChainToNext', Effect: 'Allow', Action: 'sts:AssumeRole', Resource: `arn:aws:iam::${PROD}:role/${role(j + 1)}` });
  }
  roles.push({ name: role(j), trustPolicy: { Version: '2012-10-17', Statement: trust }, policies: [{ name: 'Team', document: { Version: '2012-10-17', Statement: statements } }] });
}

const buckets = [];
for (let k = 0; k < BUCKETS; k += 1) {
  const name = bucket(k);
  const statements = [];
  if (!(tighter && k % 2 === 1)) {
    statements.push({ Sid: 'StagingReadsReports', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${STAGING}:root` }, Action: ['s3:GetObject', 's3:ListBucket'], Resource: [`arn:aws:s3:::${name}`, `arn:aws:s3:::${name}/reports/*`] });
  }
  statements.push(
    { Sid: 'TlsOnly', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [`arn:aws:s3:::${name}`, `arn:aws:s3:::${name}/*`], Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
    { Sid: 'LockedStaysPut', Effect: 'Deny', Principal: '*', Action: ['s3:DeleteObject', 's3:PutObject'], Resource: `arn:aws:s3:::${name}/locked/*` },
  );
  buckets.push({ name, policy: { Version: '2012-10-17', Statement: statements } });
}

const steps = [];
for (let i = 0; i < USERS; i += 10) {
  const user = users[i].name;
  const j = i % ROLES;
  const assume = { id: `assume-${i}`, principal: `arn:aws:iam::${STAGING}:user/${user}`, action: 'sts:AssumeRole', roleArn: `arn:aws:iam::${PROD}:role/${role(j)}`, sessionName: user };
  if (j % 4 === 0) assume.externalId = `team-${j % TEAMS}`;
  if (j % 5 === 0 && j % 4 !== 0) assume.mfa = { ageSeconds: 30 };
  steps.push(assume);
  steps.push({ id: `read-${i}`, principal: `arn:aws:sts::${PROD}:assumed-role/${role(j)}/${user}`, action: 's3:GetObject', resource: `arn:aws:s3:::${teamBuckets(j % TEAMS)[0]}/reports/q1.csv` });
  steps.push({ id: `direct-${i}`, principal: `arn:aws:iam::${STAGING}:user/${user}`, action: 's3:GetObject', resource: `arn:aws:s3:::${bucket((i + 1) % BUCKETS)}/reports/q1.csv` });
}

const doc = {
  format: 'trustwalk/scenario@1',
  title: `Review benchmark: ${PRINCIPALS} principals, ${BUCKETS} buckets${tighter ? ' (changed)' : ''}`,
  context: { 'aws:CurrentTime': '2026-01-15T12:00:00Z', 'aws:SourceIp': '203.0.113.7' },
  accounts: [
    { id: STAGING, name: 'staging', users },
    { id: PROD, name: 'production', roles, buckets },
  ],
  steps,
};
process.stdout.write(`${JSON.stringify(doc, null, 1)}\n`);
