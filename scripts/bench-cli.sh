#!/usr/bin/env bash
# End-to-end benchmark of the command-line tool: generates scenarios over
# two accounts — one AssumeRole in ten, the rest S3 reads, writes and
# deletes that are allowed, implicitly denied and explicitly denied — and
# times the whole `trustwalk simulate --format json` process (release
# build, output discarded). Target: 10,000 steps in under 0.3 s.
#
# The 10,000-step figure is one process simulating one 10,000-step
# document (about 1.4 MB: the CLI reads documents up to 256 MiB, the
# playground up to 512 KB); documents of 1,000 to 5,000 steps show how the
# time grows, and `validate` shows the share of loading.
#
# Then the growth: 5,000 / 50,000 / 500,000 steps (0.7 / 7 / 73 MB of
# document), `--format json` and text, each run once under `/usr/bin/time -v`
# for its wall time, CPU time and peak memory (maximum resident set size).
# Results are written as the steps run, so 10× the steps should take about
# 10× the time, and memory is that of the loaded document, not of the
# results (which run to 4 kB a step). In JSON the steps are run and
# written by one thread per core (see crates/cli/src/result.rs), so the CPU
# time exceeds the wall time.
#
# Then, side by side in one run, another simulator: `runSimulation`, the
# public API of the npm package @cloud-copilot/iam-simulate (AGPL: it is
# installed into target/bench-cli/peer, which git ignores, and run as a black
# box by scripts/peer-simulate.mjs; nothing of it is copied or shipped). Both
# get the same requests, generated from one scenario: user U assumes role R
# once, then its session and U itself call s3:GetObject and s3:ListBucket on
# bucket `bkt`, whose policy has an Allow and two Deny statements. Each
# process is timed whole (loading, every request, the results with their
# explanations written to /dev/null), at 1,000 / 10,000 / 100,000 steps.
#
#   scripts/bench-cli.sh            # RUNS=10 by default
#   GROWTH="5000 50000" scripts/bench-cli.sh     # other sizes for the growth table
#   BEFORE=/path/to/old/trustwalk scripts/bench-cli.sh   # the growth table for another build too
#   COMPARE="1000 10000" scripts/bench-cli.sh    # sizes for the comparison (COMPARE="" skips it)
#   PEER_DIR=/tmp/peer scripts/bench-cli.sh      # where the peer is (or is to be) installed
#
# Uses hyperfine when installed (apt-get install -y hyperfine), otherwise a
# bash loop over `date +%s%N`.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
RUNS="${RUNS:-10}"
OUT_DIR="$ROOT/target/bench-cli"
mkdir -p "$OUT_DIR"

cargo build --release --bin trustwalk >&2
BIN="$ROOT/target/release/trustwalk"

# The scenario: staging (111111111111) user U assumes role R in production
# (222222222222) and uses the session on bucket `bkt`, whose policy allows
# reads and denies deletes; every tenth step is a new AssumeRole. Steps are
# written compactly (short names, default ids, one per line): about 140
# bytes each.
generate() {
  local steps="$1"
  cat <<'JSON'
{
  "format": "trustwalk/scenario@1",
  "title": "Benchmark: many steps over two accounts",
  "context": { "aws:CurrentTime": "2026-01-15T12:00:00Z", "aws:SourceIp": "203.0.113.7" },
  "accounts": [
    {
      "id": "111111111111", "name": "staging",
      "users": [{ "name": "U", "policies": [{ "name": "AllowAssume", "document": { "Version": "2012-10-17", "Statement": [
        { "Sid": "AllowAssumeStageRole", "Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "arn:aws:iam::222222222222:role/R" },
        { "Sid": "ReadProduction", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bkt/*" } ] } }] }]
    },
    {
      "id": "222222222222", "name": "production",
      "roles": [{ "name": "R",
        "trustPolicy": { "Version": "2012-10-17", "Statement": [{ "Sid": "TrustStaging", "Effect": "Allow", "Principal": { "AWS": "arn:aws:iam::111111111111:root" }, "Action": "sts:AssumeRole", "Condition": { "IpAddress": { "aws:SourceIp": "203.0.113.0/24" } } }] },
        "policies": [{ "name": "ReadWrite", "document": { "Version": "2012-10-17", "Statement": [
          { "Sid": "ReadWrite", "Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:ListBucket"], "Resource": ["arn:aws:s3:::bkt", "arn:aws:s3:::bkt/*"] } ] } }] }],
      "buckets": [{ "name": "bkt", "policy": { "Version": "2012-10-17", "Statement": [
        { "Sid": "StagingReads", "Effect": "Allow", "Principal": { "AWS": "111111111111" }, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bkt/*" },
        { "Sid": "NoDeletes", "Effect": "Deny", "Principal": "*", "Action": "s3:DeleteObject", "Resource": "arn:aws:s3:::bkt/*" },
        { "Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": ["arn:aws:s3:::bkt", "arn:aws:s3:::bkt/*"], "Condition": { "Bool": { "aws:SecureTransport": "false" } } } ] } }]
    }
  ],
  "steps": [
JSON
  awk -v n="$steps" 'BEGIN {
    session = "";
    for (i = 0; i < n; i++) {
      sep = (i + 1 < n) ? "," : "";
      k = i % 10;
      if (k == 0) {
        session = "s" i;
        printf "{\"principal\":\"arn:aws:iam::111111111111:user/U\",\"action\":\"sts:AssumeRole\",\"roleArn\":\"arn:aws:iam::222222222222:role/R\",\"sessionName\":\"%s\",\"expect\":\"allowed\"}%s\n", session, sep;
      } else {
        p = "arn:aws:sts::222222222222:assumed-role/R/" session;
        if (k <= 4)      { a = "s3:GetObject";    e = "allowed" }
        else if (k <= 6) { a = "s3:PutObject";    e = "allowed" }
        else if (k == 7) { a = "s3:DeleteObject"; e = "explicitDeny" }
        else if (k == 8) { a = "s3:GetObject";    e = "allowed"; p = "arn:aws:iam::111111111111:user/U" }
        else             { a = "s3:PutObject";    e = "implicitDeny"; p = "arn:aws:iam::111111111111:user/U" }
        printf "{\"principal\":\"%s\",\"action\":\"%s\",\"resource\":\"arn:aws:s3:::bkt/%d\",\"expect\":\"%s\"}%s\n", p, a, i, e, sep;
      }
    }
  }'
  printf '  ]\n}\n'
}

for n in 1000 2500 5000 10000; do
  generate "$n" > "$OUT_DIR/scenario-$n.json"
  echo "scenario-$n.json: $n steps, $(wc -c < "$OUT_DIR/scenario-$n.json") bytes" >&2
done
A="$OUT_DIR/scenario-10000.json"

# Sanity check: every expectation met, and how big the result documents are.
if ! "$BIN" simulate --format json "$A" > "$OUT_DIR/result.jsonl"; then
  echo "the benchmark scenarios did not meet their expectations (or failed to load)" >&2
  exit 1
fi
echo "result documents for 10,000 steps: $(wc -c < "$OUT_DIR/result.jsonl") bytes" >&2

commands=(
  "$BIN simulate --format json $A"
  "$BIN simulate --color never $A"
  "$BIN validate $A"
  "$BIN simulate --format json $OUT_DIR/scenario-1000.json"
  "$BIN simulate --format json $OUT_DIR/scenario-2500.json"
  "$BIN simulate --format json $OUT_DIR/scenario-5000.json"
)

if command -v hyperfine >/dev/null 2>&1; then
  hyperfine --warmup 2 --runs "$RUNS" --output=null --export-json "$OUT_DIR/hyperfine.json" "${commands[@]}"
else
  for cmd in "${commands[@]}"; do
    best=""
    total=0
    for _ in $(seq "$RUNS"); do
      t0=$(date +%s%N)
      # shellcheck disable=SC2086
      $cmd > /dev/null
      t1=$(date +%s%N)
      ms=$(( (t1 - t0) / 1000000 ))
      total=$(( total + ms ))
      if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
    done
    echo "${cmd#"$BIN "}: mean $(( total / RUNS )) ms, best $best ms over $RUNS runs"
  done
fi

# Side by side with @cloud-copilot/iam-simulate (see the top of this file).
generate_compare() {
  local steps="$1"
  cat <<'JSON'
{
  "format": "trustwalk/scenario@1",
  "title": "Benchmark: a role session and a user reading a bucket across accounts",
  "context": { "aws:CurrentTime": "2026-01-15T12:00:00Z", "aws:SourceIp": "203.0.113.7" },
  "accounts": [
    {
      "id": "111111111111", "name": "staging",
      "users": [{ "name": "U", "policies": [{ "name": "AllowAssume", "document": { "Version": "2012-10-17", "Statement": [
        { "Sid": "AllowAssumeStageRole", "Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "arn:aws:iam::222222222222:role/R" },
        { "Sid": "ReadProduction", "Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": ["arn:aws:s3:::bkt", "arn:aws:s3:::bkt/*"] } ] } }] }]
    },
    {
      "id": "222222222222", "name": "production",
      "roles": [{ "name": "R",
        "trustPolicy": { "Version": "2012-10-17", "Statement": [{ "Sid": "TrustStaging", "Effect": "Allow", "Principal": { "AWS": "arn:aws:iam::111111111111:root" }, "Action": "sts:AssumeRole", "Condition": { "IpAddress": { "aws:SourceIp": "203.0.113.0/24" } } }] },
        "policies": [{ "name": "Read", "document": { "Version": "2012-10-17", "Statement": [
          { "Sid": "Read", "Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": ["arn:aws:s3:::bkt", "arn:aws:s3:::bkt/*"] } ] } }] }],
      "buckets": [{ "name": "bkt", "policy": { "Version": "2012-10-17", "Statement": [
        { "Sid": "StagingReads", "Effect": "Allow", "Principal": { "AWS": "111111111111" }, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bkt/*" },
        { "Sid": "NoDeletes", "Effect": "Deny", "Principal": "*", "Action": "s3:DeleteObject", "Resource": "arn:aws:s3:::bkt/*" },
        { "Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": ["arn:aws:s3:::bkt", "arn:aws:s3:::bkt/*"], "Condition": { "Bool": { "aws:SecureTransport": "false" } } } ] } }]
    }
  ],
  "steps": [
JSON
  # Step 1: the AssumeRole; then, in turn, GetObject and ListBucket by the
  # session (allowed by the role's policy) and by U (GetObject allowed by
  # U's policy and the bucket policy; ListBucket implicitly denied: the
  # bucket policy grants the other account only GetObject).
  awk -v n="$steps" 'BEGIN {
    printf "{\"principal\":\"arn:aws:iam::111111111111:user/U\",\"action\":\"sts:AssumeRole\",\"roleArn\":\"arn:aws:iam::222222222222:role/R\",\"sessionName\":\"s0\",\"expect\":\"allowed\"}%s\n", (n > 1) ? "," : "";
    s = "arn:aws:sts::222222222222:assumed-role/R/s0"; u = "arn:aws:iam::111111111111:user/U";
    for (i = 1; i < n; i++) {
      sep = (i + 1 < n) ? "," : "";
      k = i % 4;
      if (k == 1)      printf "{\"principal\":\"%s\",\"action\":\"s3:GetObject\",\"resource\":\"arn:aws:s3:::bkt/k%d\",\"expect\":\"allowed\"}%s\n", s, i, sep;
      else if (k == 2) printf "{\"principal\":\"%s\",\"action\":\"s3:ListBucket\",\"resource\":\"arn:aws:s3:::bkt\",\"expect\":\"allowed\"}%s\n", s, sep;
      else if (k == 3) printf "{\"principal\":\"%s\",\"action\":\"s3:GetObject\",\"resource\":\"arn:aws:s3:::bkt/k%d\",\"expect\":\"allowed\"}%s\n", u, i, sep;
      else             printf "{\"principal\":\"%s\",\"action\":\"s3:ListBucket\",\"resource\":\"arn:aws:s3:::bkt\",\"expect\":\"implicitDeny\"}%s\n", u, sep;
    }
  }'
  printf '  ]\n}\n'
}

# Wall time of one command in milliseconds (its output discarded); the
# median of $2 runs.
wall_ms() {
  local cmd="$1" runs="$2" times=()
  for _ in $(seq "$runs"); do
    local t0 t1
    t0=$(date +%s%N)
    # shellcheck disable=SC2086
    if ! $cmd > /dev/null; then
      echo "failed: $cmd" >&2
      return 1
    fi
    t1=$(date +%s%N)
    times+=($(( (t1 - t0) / 1000000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'
}

COMPARE="${COMPARE-1000 10000 100000}"
PEER_DIR="${PEER_DIR:-$OUT_DIR/peer}"
PEER_VERSION="${PEER_VERSION:-0.1.173}"
PEER_MODULE="$PEER_DIR/node_modules/@cloud-copilot/iam-simulate/package.json"
if [ -n "$COMPARE" ] && [ ! -f "$PEER_MODULE" ] && command -v npm >/dev/null 2>&1; then
  echo "installing @cloud-copilot/iam-simulate@$PEER_VERSION into $PEER_DIR (for the comparison only)" >&2
  mkdir -p "$PEER_DIR"
  [ -f "$PEER_DIR/package.json" ] || echo '{ "private": true }' > "$PEER_DIR/package.json"
  npm install --prefix "$PEER_DIR" --no-audit --no-fund --silent "@cloud-copilot/iam-simulate@$PEER_VERSION" >&2 || true
fi
if [ -n "$COMPARE" ] && [ -f "$PEER_MODULE" ] && command -v node >/dev/null 2>&1; then
  echo
  echo "side by side with @cloud-copilot/iam-simulate $(sed -n 's/^  "version": "\(.*\)",$/\1/p' "$PEER_MODULE") runSimulation (wall time of the whole process, output to /dev/null; trustwalk: median of $RUNS runs, peer: one run):"
  printf '%8s  %12s  %12s  %14s  %12s  %12s  %9s  %9s\n' steps "json full" "json decisive" "full output" "validate" "peer" "ratio" "decisive"
  for n in $COMPARE; do
    file="$OUT_DIR/compare-$n.json"
    generate_compare "$n" > "$file"
    if ! "$BIN" simulate --format json "$file" > /dev/null; then
      echo "compare-$n.json: trustwalk did not meet the expectations" >&2
      exit 1
    fi
    full=$(wall_ms "$BIN simulate --format json $file" "$RUNS")
    decisive=$(wall_ms "$BIN simulate --format json --trace decisive $file" "$RUNS")
    validate=$(wall_ms "$BIN validate $file" "$RUNS")
    bytes=$("$BIN" simulate --format json "$file" | wc -c)
    peer=$(wall_ms "node $ROOT/scripts/peer-simulate.mjs $PEER_DIR $file" 1)
    printf '%8d  %9d ms  %9d ms  %11d MB  %9d ms  %9d ms  %8sx  %8sx\n' "$n" "$full" "$decisive" "$((bytes / 1000000))" "$validate" "$peer" \
      "$(awk -v p="$peer" -v c="$full" 'BEGIN { printf "%.0f", p / (c > 0 ? c : 1) }')" \
      "$(awk -v p="$peer" -v c="$decisive" 'BEGIN { printf "%.0f", p / (c > 0 ? c : 1) }')"
  done
elif [ -n "$COMPARE" ]; then
  echo "comparison skipped: @cloud-copilot/iam-simulate is not installed in $PEER_DIR and npm could not install it" >&2
fi

# `trustwalk import` of generated `get-account-authorization-details`
# exports: N roles (each with a trust policy, an inline policy, a customer
# managed policy attached and tags), N/5 users, N/10 managed policies with
# two versions each. Issue #15 asks for 1,000 roles in under 1 s.
IMPORT_ROLES="${IMPORT_ROLES:-1000 4000 16000}"
gen_export() {
  node -e '
    const n = Number(process.argv[1]);
    const acct = "333333333333";
    const doc = (a, r) => ({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: a, Resource: r }] });
    const out = { UserDetailList: [], GroupDetailList: [], RoleDetailList: [], Policies: [] };
    for (let i = 0; i < n / 10; i += 1) {
      out.Policies.push({ PolicyName: `P${i}`, PolicyId: `ANPA${i}`, Arn: `arn:aws:iam::${acct}:policy/P${i}`, Path: "/", DefaultVersionId: "v2",
        AttachmentCount: 10, IsAttachable: true, CreateDate: "2024-01-01T00:00:00Z",
        PolicyVersionList: [{ Document: doc(["s3:GetObject", "s3:ListBucket"], `arn:aws:s3:::b${i}/*`), VersionId: "v2", IsDefaultVersion: true },
                            { Document: doc("s3:*", "*"), VersionId: "v1", IsDefaultVersion: false }] });
    }
    for (let i = 0; i < n / 5; i += 1) {
      out.UserDetailList.push({ Path: "/", UserName: `u${i}`, UserId: `AIDA${String(i).padStart(17, "0")}`, Arn: `arn:aws:iam::${acct}:user/u${i}`,
        CreateDate: "2024-01-01T00:00:00Z", UserPolicyList: [{ PolicyName: "Assume", PolicyDocument: doc("sts:AssumeRole", `arn:aws:iam::${acct}:role/r${i}`) }],
        GroupList: [], AttachedManagedPolicies: [], Tags: [{ Key: "team", Value: `t${i % 7}` }] });
    }
    for (let i = 0; i < n; i += 1) {
      out.RoleDetailList.push({ Path: "/app/", RoleName: `r${i}`, RoleId: `AROA${String(i).padStart(17, "0")}`, Arn: `arn:aws:iam::${acct}:role/app/r${i}`,
        CreateDate: "2024-01-01T00:00:00Z",
        AssumeRolePolicyDocument: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${acct}:root` }, Action: "sts:AssumeRole" }] },
        InstanceProfileList: [], RolePolicyList: [{ PolicyName: "Inline", PolicyDocument: doc("sqs:SendMessage", `arn:aws:sqs:us-east-1:${acct}:q${i}`) }],
        AttachedManagedPolicies: [{ PolicyName: `P${i % (n / 10)}`, PolicyArn: `arn:aws:iam::${acct}:policy/P${i % (n / 10)}` }],
        Tags: [{ Key: "env", Value: "prod" }], RoleLastUsed: {} });
    }
    process.stdout.write(JSON.stringify(out, null, 2));
  ' "$1"
}
echo
echo "trustwalk import (best of $RUNS runs; the scenario is loaded to check it too):"
for n in $IMPORT_ROLES; do
  file="$OUT_DIR/export-$n-roles.json"
  [ -f "$file" ] || gen_export "$n" > "$file"
  best=""
  for _ in $(seq "$RUNS"); do
    t0=$(date +%s%N)
    "$BIN" import --quiet "$file" > "$OUT_DIR/imported-$n.json"
    t1=$(date +%s%N)
    ms=$(( (t1 - t0) / 1000000 ))
    if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
  done
  printf 'import  %6s roles  %9s bytes  best %6s ms\n' "$n" "$(wc -c < "$file")" "$best"
done

# Growth and peak memory (see the top of this file).
GROWTH="${GROWTH:-5000 50000 500000}"
if [ ! -x /usr/bin/time ]; then
  echo "growth table skipped: /usr/bin/time is not installed (apt-get install -y time)" >&2
  exit 0
fi
measure() {
  local label="$1" bin="$2" file="$3" fmt="$4"
  local report="$OUT_DIR/time-v.txt"
  if ! /usr/bin/time -v "$bin" simulate --format "$fmt" --color never "$file" > /dev/null 2> "$report"; then
    echo "$label: $file did not meet its expectations (or failed to load)" >&2
    tail -5 "$report" >&2
    return 1
  fi
  local wall user sys rss
  wall=$(sed -n 's/^\tElapsed (wall clock) time (h:mm:ss or m:ss): //p' "$report")
  user=$(sed -n 's/^\tUser time (seconds): //p' "$report")
  sys=$(sed -n 's/^\tSystem time (seconds): //p' "$report")
  rss=$(sed -n 's/^\tMaximum resident set size (kbytes): //p' "$report")
  printf '%-8s %8s steps  %-4s  wall %8s  cpu %6.2f s  peak RSS %7d MB\n' "$label" "$n" "$fmt" "$wall" "$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')" "$((rss / 1024))"
}
echo
echo "growth (one run each, /usr/bin/time -v):"
for n in $GROWTH; do
  file="$OUT_DIR/scenario-$n.json"
  [ -f "$file" ] || generate "$n" > "$file"
  for fmt in json text; do
    measure "this" "$BIN" "$file" "$fmt"
    if [ -n "${BEFORE:-}" ]; then
      measure "before" "$BEFORE" "$file" "$fmt"
    fi
  done
done
