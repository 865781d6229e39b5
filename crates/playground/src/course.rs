//! The guided course: the examples in teaching order, each with "try this"
//! tasks that the playground checks against the steps' outcomes as the
//! learner edits, and the learner's progress as it is kept in the browser.
//!
//! A task's goal names steps by their `id` (stable when steps are moved)
//! and the outcome each must have; the tasks of a lesson are done in order,
//! so a "put it back" task counts only after the "break it" before it.

use serde::{Deserialize, Serialize};
use trustwalk_core::scenario::{Outcome, ScenarioResult};

/// What a goal asks of one step's outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Goal {
    Is(Outcome),
    IsNot(Outcome),
}

impl Goal {
    fn met(self, outcome: Outcome) -> bool {
        match self {
            Goal::Is(o) => outcome == o,
            Goal::IsNot(o) => outcome != o,
        }
    }
}

#[derive(Debug)]
pub struct Task {
    /// Unique within its lesson.
    pub id: &'static str,
    pub title: &'static str,
    /// What to change, in the words of the playground (`code` in backticks).
    pub instruction: &'static str,
    /// Where to look, shown on demand.
    pub hint: &'static str,
    /// Step `id` → what its outcome must be.
    pub goal: &'static [(&'static str, Goal)],
}

#[derive(Debug)]
pub struct Lesson {
    pub id: &'static str,
    /// The name of its example in [`crate::EXAMPLES`].
    pub example: &'static str,
    pub title: &'static str,
    pub intro: &'static str,
    pub tasks: &'static [Task],
}

impl Lesson {
    /// The example's text.
    pub fn example_text(&self) -> Option<&'static str> {
        crate::EXAMPLES.iter().find(|(n, _)| *n == self.example).map(|(_, t)| *t)
    }

    /// Whether `result` is of this lesson's example (or a scenario with
    /// its steps): the tasks name the example's steps, so another scenario
    /// cannot meet them.
    pub fn works_on(&self, result: &ScenarioResult) -> bool {
        self.tasks.iter().flat_map(|t| t.goal.iter()).all(|(id, _)| result.steps.iter().any(|s| s.id == *id))
    }
}

use Goal::{Is, IsNot};
use Outcome::{Allowed, ImplicitDeny, Invalid, Skipped};

/// The course, in order.
pub const COURSE: &[Lesson] = &[
    Lesson {
        id: "cross-account",
        example: "staging-reads-production",
        title: "Cross-account access: the trust policy and the role",
        intro: "A staging user assumes `StageRole` in production, then reads the bucket with the role's session. The role's trust policy must trust the caller's account, and the role's own policy must allow what the session does.",
        tasks: &[
            Task {
                id: "break-trust",
                title: "Break the trust",
                instruction: "In `StageRole`'s trust policy, change the trusted account `111111111111` in `Principal` to any other account. Step 1 turns red, and step 2 is skipped: its session never exists.",
                hint: "The trust policy is in the production account's card, under the role `StageRole`.",
                goal: &[("assume-stage-role", Is(ImplicitDeny)), ("read-sunset", Is(Skipped))],
            },
            Task {
                id: "fix-trust",
                title: "Fix it",
                instruction: "Put the staging account back: steps 1 and 2 are allowed again.",
                hint: "Ctrl+Z outside the editor undoes the last change of the document; inside the editor, it undoes your typing.",
                goal: &[("assume-stage-role", Is(Allowed)), ("read-sunset", Is(Allowed))],
            },
            Task {
                id: "allow-write",
                title: "Let the role write",
                instruction: "Step 3 writes to the bucket and is denied: the role's policy `ReadTestBucket` allows reading only. Add `s3:PutObject` to its `Action` so that step 3 is allowed (role and bucket are in the same account: the role's Allow is enough).",
                hint: "Completion offers actions as you type inside the `Action` list.",
                goal: &[("write-denied", Is(Allowed))],
            },
        ],
    },
    Lesson {
        id: "explicit-deny",
        example: "explicit-deny-wins",
        title: "An explicit Deny beats every Allow",
        intro: "The role may do everything on the data lake (`s3:*`), yet the bucket policy's Deny statements win over that Allow wherever they match.",
        tasks: &[
            Task {
                id: "allow-delete",
                title: "Lift the delete ban",
                instruction: "Step 3's delete is denied by the bucket policy's `NoDeletes` statement. Remove that statement, or narrow its `Action`, so that step 3 is allowed.",
                hint: "Click the deciding statement in the explanation to find it in the bucket policy.",
                goal: &[("delete-is-denied", Is(Allowed))],
            },
            Task {
                id: "from-the-office",
                title: "Read from the office",
                instruction: "Step 4 comes from a café's address and `OnlyFromTheCorporateNetwork` denies it. Give step 4 a source IP inside `198.51.100.0/24` (its request's Source IP field) so that it is allowed.",
                hint: "Select step 4; its request form is right under the steps.",
                goal: &[("read-from-a-cafe", Is(Allowed))],
            },
        ],
    },
    Lesson {
        id: "boundary",
        example: "permissions-boundary-blocks",
        title: "A permissions boundary caps what the role's policies grant",
        intro: "`AppRole`'s policy allows all of S3 and DynamoDB, but its permissions boundary allows only reading the assets bucket: a request must be allowed by both.",
        tasks: &[Task {
            id: "widen-boundary",
            title: "Widen the boundary",
            instruction: "Step 3's write is allowed by the role's policy but not by its boundary `ReadAssetsOnly`. Add `s3:PutObject` to the boundary's `Action` so that step 3 is allowed.",
            hint: "The boundary is under the role, after its policies.",
            goal: &[("write-asset-blocked", Is(Allowed))],
        }],
    },
    Lesson {
        id: "external-id",
        example: "vendor-external-id",
        title: "External IDs against the confused deputy",
        intro: "The customer's role trusts the vendor's account only with the external ID it handed out, so that no other customer of the vendor can make it assume this role.",
        tasks: &[Task {
            id: "send-external-id",
            title: "Send the external ID",
            instruction: "Step 1 calls without an external ID. Give it the one the trust policy expects, `cust-7f3a9c21`, in its External ID field: step 1 is allowed.",
            hint: "The explanation of step 1 says which key is missing and where the request sets it.",
            goal: &[("assume-without-external-id", Is(Allowed))],
        }],
    },
    Lesson {
        id: "mfa",
        example: "security-auditor-mfa",
        title: "Roles that require MFA",
        intro: "The auditor role's trust policy asks for MFA, and for a code entered less than an hour before (`aws:MultiFactorAuthAge`).",
        tasks: &[
            Task {
                id: "sign-with-mfa",
                title: "Sign with MFA",
                instruction: "Step 1 assumes the role without MFA. Tick Signed with MFA in its request: step 1 is allowed.",
                hint: "Select step 1 and look at its request form.",
                goal: &[("assume-without-mfa", Is(Allowed))],
            },
            Task {
                id: "fresh-code",
                title: "A fresh code",
                instruction: "Step 2's code was entered two hours before (`ageSeconds` 7200). Make its `ageSeconds` less than 3600 in the scenario so that step 2 is allowed.",
                hint: "Export or Paste shows the whole scenario document; `mfa.ageSeconds` is in step 2.",
                goal: &[("assume-with-stale-mfa", Is(Allowed))],
            },
        ],
    },
    Lesson {
        id: "chaining",
        example: "role-chaining",
        title: "Role chaining lasts an hour at most",
        intro: "A session of `RoleA` assumes `RoleB`. AWS limits a chained session to one hour, whatever the role's maximum.",
        tasks: &[Task {
            id: "one-hour",
            title: "Ask for an hour",
            instruction: "Step 3 asks for two hours while chaining from `RoleA`'s session, which AWS refuses. Set its Duration to 3600 seconds or less: step 3 is allowed, and step 5 can then use its session.",
            hint: "Duration (seconds) is in step 3's request form.",
            goal: &[("chained-for-two-hours", Is(Allowed)), ("never-established-session", IsNot(Skipped))],
        }],
    },
    Lesson {
        id: "services",
        example: "ec2-instance-profile-reads-production",
        title: "AWS services as callers",
        intro: "EC2 assumes `AppServerRole` for an instance through the instance profile `AppServer`; the instance's session then reads a production bucket. Only the trust policy can grant a service.",
        tasks: &[
            Task {
                id: "no-profile",
                title: "Take the profile away",
                instruction: "Remove the role's `instanceProfile` from the scenario: EC2 can no longer give the role to an instance, so step 1 becomes invalid.",
                hint: "Export or Paste shows the whole scenario; `instanceProfile` is a field of the role.",
                goal: &[("ec2-assumes-role", Is(Invalid))],
            },
            Task {
                id: "trust-lambda",
                title: "Trust Lambda too",
                instruction: "Put the instance profile back, and let Lambda assume the role as well: add `lambda.amazonaws.com` to the trust policy's `Service`. Steps 1 and 3 are allowed.",
                hint: "`Service` takes a list: `[\"ec2.amazonaws.com\", \"lambda.amazonaws.com\"]`.",
                goal: &[("ec2-assumes-role", Is(Allowed)), ("lambda-may-not-assume", Is(Allowed))],
            },
        ],
    },
];

/// Whether `result` meets `task`'s goal: every step it names is there
/// with the outcome asked for.
pub fn task_met(task: &Task, result: &ScenarioResult) -> bool {
    task.goal.iter().all(|(id, goal)| result.steps.iter().find(|s| s.id == *id).is_some_and(|s| goal.met(s.decision)))
}

/// The tasks done, as `lesson/task` ids, kept in the browser.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    pub done: Vec<String>,
}

/// The storage key of [`Progress`].
pub const PROGRESS_KEY: &str = "trustwalk.course";

fn key(lesson: &Lesson, task: &Task) -> String {
    format!("{}/{}", lesson.id, task.id)
}

impl Progress {
    /// Progress as stored; anything unreadable is no progress (the course
    /// keeps nothing else, and never writes over other saved work).
    pub fn from_storage(text: Option<&str>) -> Progress {
        text.and_then(|t| serde_json::from_str(t).ok()).unwrap_or_default()
    }

    pub fn to_storage(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    pub fn is_done(&self, lesson: &Lesson, task: &Task) -> bool {
        let k = key(lesson, task);
        self.done.contains(&k)
    }

    /// The lesson's first task not done yet.
    pub fn current(&self, lesson: &Lesson) -> Option<usize> {
        lesson.tasks.iter().position(|t| !self.is_done(lesson, t))
    }

    /// Marks the current task of lesson `n` done if `result` meets it, and
    /// says so: the sentence the playground shows.
    pub fn check(&mut self, n: usize, result: &ScenarioResult) -> Option<String> {
        let lesson = COURSE.get(n)?;
        let task = lesson.tasks.get(self.current(lesson)?)?;
        if !task_met(task, result) {
            return None;
        }
        self.done.push(key(lesson, task));
        let next = match self.current(lesson) {
            Some(_) => "on to the next task",
            None if n + 1 < COURSE.len() => "lesson done: on to the next one when you are ready",
            None => "that was the last lesson: the course is done",
        };
        Some(format!("✓ Done: {} — {next}.", task.title))
    }

    /// The lesson to open the course at: the first with a task left.
    pub fn lesson_to_open(&self) -> usize {
        COURSE.iter().position(|l| self.current(l).is_some()).unwrap_or(0)
    }

    /// How many of the course's tasks are done.
    pub fn count(&self) -> usize {
        COURSE.iter().flat_map(|l| l.tasks.iter().map(move |t| (l, t))).filter(|(l, t)| self.is_done(l, t)).count()
    }

    /// Forgets the lesson's tasks (to do it again).
    pub fn reset(&mut self, lesson: &Lesson) {
        let prefix = format!("{}/", lesson.id);
        self.done.retain(|d| !d.starts_with(&prefix));
    }
}

/// Every task of the course.
pub fn task_count() -> usize {
    COURSE.iter().map(|l| l.tasks.len()).sum()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]
    use super::*;
    use crate::Workspace;

    const NOW: i64 = 1_768_478_400;

    fn result(text: &str) -> ScenarioResult {
        let w = Workspace::from_text(text).unwrap();
        let ev = w.evaluate(NOW);
        assert!(!ev.has_errors(), "{:?}", ev.diagnostics);
        ev.result.unwrap()
    }

    /// The edits a learner could make for each task, in order, as text
    /// replacements in the example (cumulative within a lesson).
    fn edits(lesson: &str, task: &str) -> Vec<(&'static str, &'static str)> {
        match (lesson, task) {
            ("cross-account", "break-trust") => vec![("arn:aws:iam::111111111111:root", "arn:aws:iam::333333333333:root")],
            ("cross-account", "fix-trust") => vec![("arn:aws:iam::333333333333:root", "arn:aws:iam::111111111111:root")],
            ("cross-account", "allow-write") => {
                vec![(r#""Action": ["s3:GetObject", "s3:ListBucket"]"#, r#""Action": ["s3:GetObject", "s3:ListBucket", "s3:PutObject"]"#)]
            }
            ("explicit-deny", "allow-delete") => vec![(r#""Action": "s3:DeleteObject""#, r#""Action": "s3:DeleteBucket""#)],
            ("explicit-deny", "from-the-office") => vec![(r#""aws:SourceIp": "203.0.113.50""#, r#""aws:SourceIp": "198.51.100.20""#)],
            ("boundary", "widen-boundary") => {
                vec![(r#""Action": ["s3:GetObject", "s3:ListBucket"]"#, r#""Action": ["s3:GetObject", "s3:ListBucket", "s3:PutObject"]"#)]
            }
            ("external-id", "send-external-id") => vec![(
                r#""sessionName": "vendor-sync",
      "expect": "implicitDeny""#,
                r#""sessionName": "vendor-sync", "externalId": "cust-7f3a9c21",
      "expect": "implicitDeny""#,
            )],
            ("mfa", "sign-with-mfa") => vec![(r#""sessionName": "audit-no-mfa","#, r#""sessionName": "audit-no-mfa", "mfa": {},"#)],
            ("mfa", "fresh-code") => vec![(r#""ageSeconds": 7200"#, r#""ageSeconds": 60"#)],
            ("chaining", "one-hour") => vec![(r#""durationSeconds": 7200"#, r#""durationSeconds": 3600"#)],
            ("services", "no-profile") => vec![(r#""instanceProfile": "AppServer","#, "")],
            ("services", "trust-lambda") => vec![
                (r#""name": "AppServerRole","#, r#""name": "AppServerRole", "instanceProfile": "AppServer","#),
                (
                    r#""Principal": { "Service": "ec2.amazonaws.com" }"#,
                    r#""Principal": { "Service": ["ec2.amazonaws.com", "lambda.amazonaws.com"] }"#,
                ),
            ],
            other => panic!("no edits for {other:?}"),
        }
    }

    #[test]
    fn every_task_is_unmet_before_its_edit_and_met_after_it() {
        for (n, lesson) in COURSE.iter().enumerate() {
            let mut text = lesson.example_text().unwrap_or_else(|| panic!("{}: no example {}", lesson.id, lesson.example)).to_string();
            let mut progress = Progress::default();
            for task in lesson.tasks {
                assert_eq!(lesson.tasks.get(progress.current(lesson).unwrap()).map(|t| t.id), Some(task.id));
                assert!(!task_met(task, &result(&text)), "{}/{} is met before its edit", lesson.id, task.id);
                assert!(progress.check(n, &result(&text)).is_none());
                for (from, to) in edits(lesson.id, task.id) {
                    assert!(text.contains(from), "{}/{}: `{from}` is not in the text", lesson.id, task.id);
                    text = text.replacen(from, to, 1);
                }
                let r = result(&text);
                assert!(task_met(task, &r), "{}/{}: {:?}", lesson.id, task.id, r.steps.iter().map(|s| (&s.id, s.decision)).collect::<Vec<_>>());
                let said = progress.check(n, &r).unwrap();
                assert!(said.starts_with(&format!("✓ Done: {} — ", task.title)), "{said}");
                let last_task = progress.current(lesson).is_none();
                let end = match (last_task, n + 1 == COURSE.len()) {
                    (false, _) => "on to the next task.",
                    (true, false) => "lesson done: on to the next one when you are ready.",
                    (true, true) => "that was the last lesson: the course is done.",
                };
                assert!(said.ends_with(end), "{said}");
                assert!(lesson.works_on(&r));
            }
            assert_eq!(progress.current(lesson), None);
        }
    }

    #[test]
    fn ids_are_unique_and_every_goal_names_a_step_of_its_example() {
        let mut lessons: Vec<&str> = COURSE.iter().map(|l| l.id).collect();
        lessons.dedup();
        assert_eq!(lessons.len(), COURSE.len());
        for lesson in COURSE {
            let r = result(lesson.example_text().unwrap());
            for task in lesson.tasks {
                assert_eq!(lesson.tasks.iter().filter(|t| t.id == task.id).count(), 1);
                for (id, _) in task.goal {
                    assert!(r.steps.iter().any(|s| s.id == *id), "{}/{}: no step {id}", lesson.id, task.id);
                }
            }
        }
        assert_eq!(task_count(), 12);
    }

    #[test]
    fn a_later_task_does_not_count_before_the_one_before_it() {
        // "Fix it" is met by the untouched example, but the lesson's first
        // task comes first.
        let lesson = &COURSE[0];
        let untouched = result(lesson.example_text().unwrap());
        assert!(task_met(&lesson.tasks[1], &untouched));
        let mut p = Progress::default();
        assert!(p.check(0, &untouched).is_none());
        assert_eq!(p.current(lesson), Some(0));
        assert_eq!(p.lesson_to_open(), 0);
        // Another lesson's example is not this lesson's.
        assert!(!COURSE[1].works_on(&untouched));
    }

    #[test]
    fn progress_survives_storage_and_unreadable_progress_is_none() {
        let mut p = Progress::default();
        p.done.push("cross-account/break-trust".into());
        let back = Progress::from_storage(Some(&p.to_storage()));
        assert_eq!(back, p);
        assert_eq!(back.count(), 1);
        assert_eq!(Progress::from_storage(Some("{not json")), Progress::default());
        assert_eq!(Progress::from_storage(None), Progress::default());
        let mut r = back.clone();
        r.reset(&COURSE[0]);
        assert_eq!(r.count(), 0);
    }
}
