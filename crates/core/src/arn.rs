//! ARNs, account IDs and principals: the one place that takes them apart.
//!
//! Every other module reads an ARN through [`Arn`], an account ID through
//! [`AccountId`] and a principal through [`Principal`], each parsed once.
//! A parse error is an [`ArnError`] that says what is wrong with the text;
//! the caller, which knows where the text came from, locates it (JSON path,
//! line and column).
//!
//! Sources: IAM User Guide, "IAM identifiers" (ARN formats of users, roles,
//! sessions and root) and "AWS JSON policy elements: Principal".

use std::fmt;

/// Which part of an ARN, account ID or principal is wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArnErrorKind {
    /// Not `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`.
    NotAnArn,
    /// The account is not 12 digits.
    Account,
    /// An ARN, but not of a principal (or not the expected kind).
    NotAPrincipal,
}

/// What is wrong with an ARN, account ID or principal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArnError {
    pub kind: ArnErrorKind,
    message: String,
}

impl ArnError {
    fn new(kind: ArnErrorKind, message: String) -> Self {
        ArnError { kind, message }
    }

    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for ArnError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ArnError {}

impl From<ArnError> for String {
    fn from(e: ArnError) -> String {
        e.message
    }
}

/// Splits text on its first five colons: prefix, partition, service,
/// region, account, resource (which may itself hold `:` and `/`). `None`
/// when there are fewer than five. It checks nothing else, so that policy
/// patterns with wildcards in any part split the same way as ARNs.
pub fn split(arn: &str) -> Option<[&str; 6]> {
    // Byte search for the first five colons (`:` is ASCII, so every cut is
    // on a character boundary).
    let mut cuts = [0usize; 5];
    let mut found = 0;
    for (i, b) in arn.bytes().enumerate() {
        if b == b':' {
            if let Some(c) = cuts.get_mut(found) {
                *c = i;
            }
            found += 1;
            if found == 5 {
                break;
            }
        }
    }
    if found < 5 {
        return None;
    }
    let [a, b, c, d, e] = cuts;
    Some([arn.get(..a)?, arn.get(a + 1..b)?, arn.get(b + 1..c)?, arn.get(c + 1..d)?, arn.get(d + 1..e)?, arn.get(e + 1..)?])
}

/// A 12-digit AWS account ID.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AccountId<'a>(&'a str);

impl<'a> AccountId<'a> {
    pub fn parse(s: &'a str) -> Result<Self, ArnError> {
        if Self::is_valid(s) {
            Ok(AccountId(s))
        } else {
            Err(ArnError::new(ArnErrorKind::Account, format!("`{s}` is not a 12-digit account ID")))
        }
    }

    /// Twelve ASCII digits.
    pub fn is_valid(s: &str) -> bool {
        s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
    }

    pub fn as_str(self) -> &'a str {
        self.0
    }

    /// `arn:PARTITION:iam::ACCOUNT:root`.
    pub fn root_arn(self, partition: &str) -> String {
        format!("arn:{partition}:iam::{}:root", self.0)
    }
}

impl fmt::Display for AccountId<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

/// An ARN: `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`. Region and
/// account may be empty (an S3 bucket has neither; IAM has no region).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Arn<'a> {
    pub partition: &'a str,
    pub service: &'a str,
    pub region: &'a str,
    pub account: &'a str,
    pub resource: &'a str,
}

impl<'a> Arn<'a> {
    pub fn parse(s: &'a str) -> Result<Self, ArnError> {
        let Some([prefix, partition, service, region, account, resource]) = split(s) else {
            return Err(ArnError::new(ArnErrorKind::NotAnArn, format!("`{s}` is not an ARN such as `arn:aws:s3:::bucket/key`")));
        };
        if prefix != "arn" {
            return Err(ArnError::new(ArnErrorKind::NotAnArn, format!("`{s}` is not an ARN: it must start with `arn:`")));
        }
        Ok(Arn { partition, service, region, account, resource })
    }

    /// The account, when the ARN names a valid one.
    pub fn account_id(&self) -> Option<AccountId<'a>> {
        AccountId::is_valid(self.account).then_some(AccountId(self.account))
    }

    /// The region, when the ARN names one.
    pub fn region(&self) -> Option<&'a str> {
        Some(self.region).filter(|r| !r.is_empty())
    }

    /// Whether this is an AWS KMS key: `arn:aws:kms:REGION:ACCOUNT:key/ID`.
    pub fn is_kms_key(&self) -> bool {
        self.service == "kms" && self.resource.starts_with("key/")
    }

    /// For an S3 ARN without account (`arn:aws:s3:::bucket/key`): the
    /// bucket name.
    pub fn s3_bucket(&self) -> Option<&'a str> {
        if self.service != "s3" || !self.account.is_empty() {
            return None;
        }
        self.resource.split('/').next()
    }
}

/// The ARNs of the scenario's entities, built in one place (partition
/// `aws`): the loader, the engine and the playground all name users, roles,
/// sessions, roots and buckets with these.
pub mod build {
    /// `arn:aws:iam::ACCOUNT:user/PATH/NAME`; `path` is `/` or `/…/`.
    pub fn user(account: &str, path: &str, name: &str) -> String {
        format!("arn:aws:iam::{account}:user{path}{name}")
    }

    /// `arn:aws:iam::ACCOUNT:group/PATH/NAME`.
    pub fn group(account: &str, path: &str, name: &str) -> String {
        format!("arn:aws:iam::{account}:group{path}{name}")
    }

    /// `arn:aws:iam::ACCOUNT:role/PATH/NAME`.
    pub fn role(account: &str, path: &str, name: &str) -> String {
        format!("arn:aws:iam::{account}:role{path}{name}")
    }

    /// `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION` (no path).
    pub fn session(account: &str, role: &str, session: &str) -> String {
        format!("arn:aws:sts::{account}:assumed-role/{role}/{session}")
    }

    /// `arn:aws:iam::ACCOUNT:policy/PATH/NAME`: a customer managed policy.
    pub fn policy(account: &str, path: &str, name: &str) -> String {
        format!("arn:aws:iam::{account}:policy{path}{name}")
    }

    /// `arn:aws:iam::ACCOUNT:root`.
    pub fn root(account: &str) -> String {
        format!("arn:aws:iam::{account}:root")
    }

    /// `arn:aws:s3:::BUCKET`, or `arn:aws:s3:::BUCKET/KEY` with a key.
    pub fn s3(bucket: &str, key: Option<&str>) -> String {
        match key {
            Some(k) => format!("arn:aws:s3:::{bucket}/{k}"),
            None => format!("arn:aws:s3:::{bucket}"),
        }
    }
}

/// What kind of IAM or STS entity a principal ARN names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entity<'a> {
    /// `arn:aws:iam::ACCOUNT:root`.
    Root,
    /// `arn:aws:iam::ACCOUNT:user/PATH/NAME`; `path` is `/` or `/…/`.
    User { path: &'a str, name: &'a str },
    /// `arn:aws:iam::ACCOUNT:role/PATH/NAME`.
    Role { path: &'a str, name: &'a str },
    /// `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`.
    RoleSession { role: &'a str, session: &'a str },
    /// `arn:aws:sts::ACCOUNT:federated-user/NAME` (also accepted under `iam`
    /// in policies).
    FederatedUser { name: &'a str },
}

/// A principal ARN: an account root, user, role, role session or
/// federated user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PrincipalArn<'a> {
    pub arn: Arn<'a>,
    pub account: AccountId<'a>,
    pub entity: Entity<'a>,
}

impl<'a> PrincipalArn<'a> {
    pub fn parse(s: &'a str) -> Result<Self, ArnError> {
        let not_a_principal = || {
            ArnError::new(
                ArnErrorKind::NotAPrincipal,
                format!("`{s}` is not a principal: expected an account, user, role, assumed-role session or federated-user ARN"),
            )
        };
        let arn = Arn::parse(s).map_err(|_| ArnError::new(ArnErrorKind::NotAnArn, format!("`{s}` is not a valid principal ARN")))?;
        let account = AccountId::parse(arn.account)
            .map_err(|_| ArnError::new(ArnErrorKind::Account, format!("`{s}`: the account part `{}` is not a 12-digit account ID", arn.account)))?;
        let entity = match arn.service {
            "iam" if arn.resource == "root" => Entity::Root,
            "iam" => {
                if let Some((path, name)) = path_and_name(arn.resource, "user/") {
                    Entity::User { path, name }
                } else if let Some((path, name)) = path_and_name(arn.resource, "role/") {
                    Entity::Role { path, name }
                } else if let Some((_, name)) = path_and_name(arn.resource, "federated-user/") {
                    Entity::FederatedUser { name }
                } else {
                    return Err(not_a_principal());
                }
            }
            "sts" => {
                let mut parts = arn.resource.split('/');
                match (parts.next(), parts.next(), parts.next(), parts.next()) {
                    (Some("assumed-role"), Some(role), Some(session), None) if !role.is_empty() && !session.is_empty() => {
                        Entity::RoleSession { role, session }
                    }
                    _ => match path_and_name(arn.resource, "federated-user/") {
                        Some((_, name)) => Entity::FederatedUser { name },
                        None => return Err(not_a_principal()),
                    },
                }
            }
            _ => return Err(not_a_principal()),
        };
        Ok(PrincipalArn { arn, account, entity })
    }

    /// For a role session, its role's ARN (a session ARN carries no path,
    /// so the role is given the path `/`).
    pub fn session_role_arn(&self) -> Option<String> {
        match self.entity {
            Entity::RoleSession { role, .. } => Some(format!("arn:{}:iam::{}:role/{role}", self.arn.partition, self.account)),
            _ => None,
        }
    }

    /// For a role ARN: `(partition, account, name)`, the parts that name a
    /// role whatever its path.
    pub fn role_identity(&self) -> Option<(&'a str, AccountId<'a>, &'a str)> {
        match self.entity {
            Entity::Role { name, .. } => Some((self.arn.partition, self.account, name)),
            _ => None,
        }
    }
}

/// Who owns a managed policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyOwner<'a> {
    /// AWS: `arn:aws:iam::aws:policy/…`, an AWS managed policy.
    Aws,
    /// An account: a customer managed policy.
    Account(AccountId<'a>),
}

/// A managed policy's ARN: `arn:aws:iam::aws:policy/PATH/NAME` (AWS
/// managed) or `arn:aws:iam::ACCOUNT:policy/PATH/NAME` (customer managed).
/// IAM User Guide, "IAM identifiers" (IAM ARNs) and "Managed policies and
/// inline policies".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PolicyArn<'a> {
    pub arn: Arn<'a>,
    pub owner: PolicyOwner<'a>,
    /// `/` or `/…/`.
    pub path: &'a str,
    pub name: &'a str,
}

impl<'a> PolicyArn<'a> {
    pub fn parse(s: &'a str) -> Result<Self, ArnError> {
        let not_a_policy = || {
            ArnError::new(
                ArnErrorKind::NotAnArn,
                format!(
                    "`{s}` is not a managed policy ARN such as `arn:aws:iam::aws:policy/ReadOnlyAccess` or `arn:aws:iam::111122223333:policy/NAME`"
                ),
            )
        };
        let arn = Arn::parse(s).map_err(|_| not_a_policy())?;
        if arn.service != "iam" || !arn.region.is_empty() {
            return Err(not_a_policy());
        }
        let (path, name) = path_and_name(arn.resource, "policy/").ok_or_else(not_a_policy)?;
        let owner = if arn.account == "aws" {
            PolicyOwner::Aws
        } else {
            PolicyOwner::Account(AccountId::parse(arn.account).map_err(|_| {
                ArnError::new(ArnErrorKind::Account, format!("`{s}`: the account part `{}` is not a 12-digit account ID or `aws`", arn.account))
            })?)
        };
        Ok(PolicyArn { arn, owner, path, name })
    }

    /// Whether AWS owns the policy (`arn:aws:iam::aws:policy/…`).
    pub fn is_aws_managed(&self) -> bool {
        self.owner == PolicyOwner::Aws
    }
}

/// `user/a/b/NAME` with prefix `user/` → (`/a/b/`, `NAME`); `None` when the
/// prefix is not there or the name is empty.
fn path_and_name<'a>(resource: &'a str, prefix: &str) -> Option<(&'a str, &'a str)> {
    let rest = resource.strip_prefix(prefix)?;
    let cut = rest.rfind('/').map_or(0, |i| i + 1);
    let name = rest.get(cut..).filter(|n| !n.is_empty())?;
    // The path, with its slashes: `/` when there is none.
    let path = resource.get(prefix.len() - 1..prefix.len() + cut).unwrap_or("/");
    Some((path, name))
}

/// How a step names an AWS service as its caller: `service:ec2.amazonaws.com`.
pub const SERVICE_CALLER_PREFIX: &str = "service:";

/// Whether `name` is shaped as an AWS service principal: lowercase DNS
/// labels ending in `.amazonaws.com` (`.amazonaws.com.cn` in China), such as
/// `ec2.amazonaws.com` or `logging.s3.amazonaws.com` (IAM User Guide, "AWS
/// service principals").
pub fn is_service_principal(name: &str) -> bool {
    let Some(host) = name.strip_suffix(".amazonaws.com").or_else(|| name.strip_suffix(".amazonaws.com.cn")) else {
        return false;
    };
    !host.is_empty()
        && host.split('.').all(|label| {
            !label.is_empty() && !label.starts_with('-') && label.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        })
}

/// Any principal: who calls a request, or who a policy's `Principal`
/// element names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Principal<'a> {
    /// An unsigned request (a step's `"anonymous"`).
    Anonymous,
    /// `"*"` in a policy: everyone, anonymous callers included.
    Everyone,
    /// A bare account ID in a policy: the account and everyone it delegates to.
    Account(AccountId<'a>),
    /// A root, user, role, session or federated-user ARN.
    Arn(PrincipalArn<'a>),
    /// An IAM unique ID (`AIDA…`, `AROA…`) in a policy.
    UniqueId(&'a str),
    /// `{"Service": "ec2.amazonaws.com"}`.
    Service(&'a str),
    /// `{"Federated": "…"}`: a SAML or OIDC provider.
    Federated(&'a str),
    /// `{"CanonicalUser": "…"}`.
    CanonicalUser(&'a str),
}

impl<'a> Principal<'a> {
    /// The principal of a request: `anonymous`, `service:NAME` (an AWS
    /// service principal such as `service:ec2.amazonaws.com`) or a
    /// principal ARN.
    pub fn parse_caller(s: &'a str) -> Result<Self, ArnError> {
        if s == "anonymous" {
            return Ok(Principal::Anonymous);
        }
        if let Some(name) = s.strip_prefix(SERVICE_CALLER_PREFIX) {
            return match is_service_principal(name) {
                true => Ok(Principal::Service(name)),
                false => Err(ArnError::new(
                    ArnErrorKind::NotAPrincipal,
                    format!("`{name}` is not an AWS service principal: expected a name such as `ec2.amazonaws.com`"),
                )),
            };
        }
        PrincipalArn::parse(s).map(Principal::Arn)
    }

    /// One value of an `AWS` principal in a policy: `*`, an account ID, a
    /// principal ARN or a unique ID.
    pub fn parse_aws_value(s: &'a str) -> Result<Self, ArnError> {
        if s == "*" {
            return Ok(Principal::Everyone);
        }
        if AccountId::is_valid(s) {
            return Ok(Principal::Account(AccountId(s)));
        }
        if s.starts_with("arn:") {
            return PrincipalArn::parse(s).map(Principal::Arn);
        }
        if is_unique_id(s) {
            return Ok(Principal::UniqueId(s));
        }
        Err(ArnError::new(
            ArnErrorKind::NotAPrincipal,
            format!("`{s}` is not an AWS principal: expected `\"*\"`, a 12-digit account ID or an IAM or STS ARN"),
        ))
    }

    /// The account a principal belongs to or names.
    pub fn account(&self) -> Option<AccountId<'a>> {
        match self {
            Principal::Account(a) => Some(*a),
            Principal::Arn(p) => Some(p.account),
            _ => None,
        }
    }

    /// The account this `AWS` policy value names as a whole (`ACCOUNT` or
    /// `arn:…:iam::ACCOUNT:root`), which delegates to that account.
    pub fn whole_account(&self) -> Option<AccountId<'a>> {
        match self {
            Principal::Account(a) => Some(*a),
            Principal::Arn(PrincipalArn { account, entity: Entity::Root, arn }) if arn.service == "iam" => Some(*account),
            _ => None,
        }
    }
}

/// `AIDA…`, `AROA…` and the other IAM unique-ID prefixes.
pub fn is_unique_id(v: &str) -> bool {
    const PREFIXES: &[&str] = &["AIDA", "AROA", "AGPA", "ANPA", "ANVA", "ASIA", "AKIA", "AIPA"];
    v.len() >= 16 && PREFIXES.iter().any(|p| v.starts_with(p)) && v.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn a_step_names_a_service_caller_as_service_and_its_principal_name() {
        assert_eq!(Principal::parse_caller("service:ec2.amazonaws.com"), Ok(Principal::Service("ec2.amazonaws.com")));
        assert_eq!(Principal::parse_caller("service:logging.s3.amazonaws.com"), Ok(Principal::Service("logging.s3.amazonaws.com")));
        for bad in ["service:ec2", "service:EC2.amazonaws.com", "service:.amazonaws.com", "service:a..b.amazonaws.com", "service:"] {
            let e = Principal::parse_caller(bad).unwrap_err();
            assert_eq!(e.kind, ArnErrorKind::NotAPrincipal, "{bad}");
            assert!(e.message().contains("not an AWS service principal"), "{bad}: {}", e.message());
        }
        assert!(is_service_principal("ecs-tasks.amazonaws.com") && is_service_principal("ec2.amazonaws.com.cn"));
    }

    #[test]
    fn arns_split_into_five_parts_and_a_resource_that_keeps_its_colons() {
        let a = Arn::parse("arn:aws:sqs:us-east-1:111122223333:queue:with:colons").unwrap();
        assert_eq!((a.partition, a.service, a.region, a.account, a.resource), ("aws", "sqs", "us-east-1", "111122223333", "queue:with:colons"));
        assert_eq!(a.account_id().map(AccountId::as_str), Some("111122223333"));
        let b = Arn::parse("arn:aws:s3:::bucket/a/b").unwrap();
        assert_eq!((b.region(), b.account_id(), b.s3_bucket()), (None, None, Some("bucket")));
        assert!(Arn::parse("arn:aws:kms:eu-west-1:111122223333:key/1234").unwrap().is_kms_key());
        assert!(!Arn::parse("arn:aws:kms:eu-west-1:111122223333:alias/x").unwrap().is_kms_key());
        assert_eq!(Arn::parse("arn:aws:s3").unwrap_err().message(), "`arn:aws:s3` is not an ARN such as `arn:aws:s3:::bucket/key`");
        assert!(Arn::parse("urn:aws:s3:::b").unwrap_err().message().contains("must start with `arn:`"));
    }

    #[test]
    fn account_ids_are_twelve_ascii_digits() {
        assert!(AccountId::parse("111122223333").is_ok());
        for bad in ["11112222333", "1111222233334", "11112222333x", "١١١١٢٢٢٢٣٣٣٣", ""] {
            assert!(AccountId::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(AccountId::parse("111122223333").unwrap().root_arn("aws"), "arn:aws:iam::111122223333:root");
    }

    #[test]
    fn principal_arns_name_their_entity_path_and_account() {
        let p = |s| PrincipalArn::parse(s).map(|p| p.entity);
        assert_eq!(p("arn:aws:iam::111122223333:root"), Ok(Entity::Root));
        assert_eq!(p("arn:aws:iam::111122223333:user/Alice"), Ok(Entity::User { path: "/", name: "Alice" }));
        assert_eq!(p("arn:aws:iam::111122223333:user/dev/ops/Bob"), Ok(Entity::User { path: "/dev/ops/", name: "Bob" }));
        assert_eq!(p("arn:aws:iam::111122223333:role/svc/R"), Ok(Entity::Role { path: "/svc/", name: "R" }));
        assert_eq!(p("arn:aws:sts::111122223333:assumed-role/R/s"), Ok(Entity::RoleSession { role: "R", session: "s" }));
        assert_eq!(p("arn:aws:sts::111122223333:federated-user/F"), Ok(Entity::FederatedUser { name: "F" }));
        for bad in [
            "arn:aws:iam::111122223333:user/",
            "arn:aws:sts::111122223333:assumed-role/R",
            "arn:aws:sts::111122223333:assumed-role/R/s/x",
            "arn:aws:s3:::bucket",
            "arn:aws:iam::1111:user/A",
            "anonymous",
        ] {
            assert!(p(bad).is_err(), "{bad}");
        }
        assert!(PrincipalArn::parse("arn:aws:iam::1111:user/A").unwrap_err().message().contains("`1111` is not a 12-digit account ID"));
        let s = PrincipalArn::parse("arn:aws-cn:sts::111122223333:assumed-role/R/s").unwrap();
        assert_eq!(s.session_role_arn().as_deref(), Some("arn:aws-cn:iam::111122223333:role/R"));
    }

    #[test]
    fn managed_policy_arns_name_their_owner_path_and_name() {
        let aws = PolicyArn::parse("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole").unwrap();
        assert_eq!((aws.owner, aws.path, aws.name), (PolicyOwner::Aws, "/service-role/", "AWSLambdaBasicExecutionRole"));
        assert!(aws.is_aws_managed());
        let own = PolicyArn::parse("arn:aws:iam::111122223333:policy/ReadData").unwrap();
        assert_eq!((own.owner, own.path, own.name), (PolicyOwner::Account(AccountId("111122223333")), "/", "ReadData"));
        assert_eq!(build::policy("111122223333", "/team/", "P"), "arn:aws:iam::111122223333:policy/team/P");
        for bad in
            ["arn:aws:iam::aws:role/R", "arn:aws:iam::aws:policy/", "arn:aws:s3:::policy/x", "arn:aws:iam:us-east-1:aws:policy/P", "ReadOnlyAccess"]
        {
            assert_eq!(PolicyArn::parse(bad).unwrap_err().kind, ArnErrorKind::NotAnArn, "{bad}");
        }
        assert_eq!(PolicyArn::parse("arn:aws:iam::1111:policy/P").unwrap_err().kind, ArnErrorKind::Account);
    }

    #[test]
    fn policy_values_and_callers() {
        assert_eq!(Principal::parse_aws_value("*"), Ok(Principal::Everyone));
        assert_eq!(Principal::parse_aws_value("111122223333").unwrap().whole_account().unwrap().as_str(), "111122223333");
        assert_eq!(Principal::parse_aws_value("arn:aws:iam::111122223333:root").unwrap().whole_account().unwrap().as_str(), "111122223333");
        assert_eq!(Principal::parse_aws_value("arn:aws:iam::111122223333:user/A").unwrap().whole_account(), None);
        assert_eq!(Principal::parse_aws_value("AIDAJQABLZS4A3QDU576Q"), Ok(Principal::UniqueId("AIDAJQABLZS4A3QDU576Q")));
        assert!(Principal::parse_aws_value("alice").is_err());
        assert_eq!(Principal::parse_caller("anonymous"), Ok(Principal::Anonymous));
        assert!(Principal::parse_caller("*").is_err());
    }
}
