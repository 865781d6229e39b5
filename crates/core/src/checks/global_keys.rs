//! AWS's global condition keys (`aws:…`) with the type of their values,
//! whether a request may carry several values, and the keys AWS has
//! deprecated (IAM User Guide, "AWS global condition context keys").
//!
//! Service keys (`s3:prefix`, `sts:ExternalId`) are not listed here: they
//! belong to the catalogue of AWS's actions, which plugs in through
//! [`Vocabulary`](super::Vocabulary).

/// The type of a condition key's values, as the Service Authorization
/// Reference names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyType {
    String,
    Arn,
    Ip,
    Bool,
    Numeric,
    Date,
    /// `aws:EpochTime`: compared with date or numeric operators.
    DateOrNumeric,
}

impl KeyType {
    /// How the message names it: "`aws:SourceIp` holds IP addresses".
    pub fn holds(self) -> &'static str {
        match self {
            KeyType::String => "text",
            KeyType::Arn => "ARNs",
            KeyType::Ip => "IP addresses",
            KeyType::Bool => "booleans",
            KeyType::Numeric => "numbers",
            KeyType::Date => "dates",
            KeyType::DateOrNumeric => "times",
        }
    }

    /// Operators that fit, for the help: "`IpAddress` or `NotIpAddress`".
    pub fn operators(self) -> &'static str {
        match self {
            KeyType::String => "a `String…` operator",
            KeyType::Arn => "an `Arn…` or `String…` operator",
            KeyType::Ip => "`IpAddress` or `NotIpAddress`",
            KeyType::Bool => "`Bool`",
            KeyType::Numeric => "a `Numeric…` operator",
            KeyType::Date => "a `Date…` operator",
            KeyType::DateOrNumeric => "a `Date…` or `Numeric…` operator",
        }
    }
}

/// One global condition key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GlobalKey {
    /// As AWS writes it; a name ending in `/` is a prefix (`aws:ResourceTag/`).
    pub name: &'static str,
    pub key_type: KeyType,
    /// A request may carry several values (use `ForAnyValue`/`ForAllValues`).
    pub multivalued: bool,
    /// The key that replaced a deprecated one.
    pub replaced_by: Option<&'static str>,
}

const fn key(name: &'static str, key_type: KeyType) -> GlobalKey {
    GlobalKey { name, key_type, multivalued: false, replaced_by: None }
}

const fn multi(name: &'static str) -> GlobalKey {
    GlobalKey { name, key_type: KeyType::String, multivalued: true, replaced_by: None }
}

use KeyType::*;

/// Every global condition key, sorted by name without regard to case.
pub const GLOBAL_KEYS: &[GlobalKey] = &[
    GlobalKey { name: "aws:ARN", key_type: Arn, multivalued: false, replaced_by: Some("aws:PrincipalArn") },
    key("aws:AssumedRoot", Bool),
    multi("aws:CalledVia"),
    key("aws:CalledViaFirst", String),
    key("aws:CalledViaLast", String),
    key("aws:ChatbotSourceArn", Arn),
    key("aws:CurrentTime", Date),
    key("aws:Ec2InstanceSourcePrivateIPv4", Ip),
    key("aws:Ec2InstanceSourceVpc", String),
    key("aws:EpochTime", DateOrNumeric),
    key("aws:FederatedProvider", String),
    key("aws:MultiFactorAuthAge", Numeric),
    key("aws:MultiFactorAuthPresent", Bool),
    key("aws:PrincipalAccount", String),
    key("aws:PrincipalArn", Arn),
    key("aws:PrincipalIsAWSService", Bool),
    key("aws:PrincipalOrgID", String),
    multi("aws:PrincipalOrgPaths"),
    key("aws:PrincipalServiceName", String),
    multi("aws:PrincipalServiceNamesList"),
    key("aws:PrincipalTag/", String),
    key("aws:PrincipalType", String),
    key("aws:Referer", String),
    key("aws:RequestedRegion", String),
    key("aws:RequestTag/", String),
    key("aws:ResourceAccount", String),
    key("aws:ResourceOrgID", String),
    multi("aws:ResourceOrgPaths"),
    key("aws:ResourceTag/", String),
    key("aws:SecureTransport", Bool),
    key("aws:SourceAccount", String),
    key("aws:SourceArn", Arn),
    key("aws:SourceIdentity", String),
    key("aws:SourceIp", Ip),
    key("aws:SourceOrgID", String),
    multi("aws:SourceOrgPaths"),
    key("aws:SourceOwner", String),
    key("aws:SourceVpc", String),
    key("aws:SourceVpcArn", Arn),
    key("aws:SourceVpce", String),
    multi("aws:TagKeys"),
    key("aws:TokenIssueTime", Date),
    key("aws:UserAgent", String),
    key("aws:userid", String),
    key("aws:username", String),
    key("aws:ViaAWSService", Bool),
    key("aws:VpceAccount", String),
    key("aws:VpceOrgID", String),
    multi("aws:VpceOrgPaths"),
    key("aws:VpcSourceIp", Ip),
];

/// The global key `name` (case does not count; `aws:ResourceTag/team`
/// finds `aws:ResourceTag/`). `None` for a key that is not `aws:…` or that
/// AWS does not define.
pub fn global_key(name: &str) -> Option<&'static GlobalKey> {
    GLOBAL_KEYS.iter().find(|k| {
        if k.name.ends_with('/') {
            name.len() > k.name.len() && name.get(..k.name.len()).is_some_and(|p| p.eq_ignore_ascii_case(k.name))
        } else {
            k.name.eq_ignore_ascii_case(name)
        }
    })
}

/// Whether `name` is written `aws:…` (case does not count).
pub fn is_global(name: &str) -> bool {
    name.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("aws:"))
}

/// The tag-key prefixes a tag key must follow (`aws:RequestTag/`), when
/// `name` is one written without its tag key.
pub fn bare_tag_prefix(name: &str) -> Option<&'static str> {
    ["aws:RequestTag", "aws:ResourceTag", "aws:PrincipalTag"]
        .into_iter()
        .find(|p| name.eq_ignore_ascii_case(p) || name.strip_suffix('/').is_some_and(|n| n.eq_ignore_ascii_case(p)))
}

/// The global key closest to a misspelt `name`, for "did you mean".
pub fn closest_global_key(name: &str) -> Option<&'static str> {
    let lower = name.to_ascii_lowercase();
    GLOBAL_KEYS
        .iter()
        .filter(|k| !k.name.ends_with('/') && k.replaced_by.is_none())
        .map(|k| (edit_distance(&lower, &k.name.to_ascii_lowercase()), k.name))
        .filter(|(d, _)| *d <= 3)
        .min_by_key(|(d, _)| *d)
        .map(|(_, n)| n)
}

use crate::text::edit_distance;

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_found_without_regard_to_case_and_tag_keys_by_prefix() {
        assert_eq!(global_key("aws:sourceip").map(|k| k.key_type), Some(Ip));
        assert_eq!(global_key("aws:ResourceTag/team").map(|k| k.name), Some("aws:ResourceTag/"));
        assert_eq!(global_key("aws:ResourceTag/"), None);
        assert_eq!(global_key("aws:SorceIp"), None);
        assert_eq!(closest_global_key("aws:SorceIp"), Some("aws:SourceIp"));
        assert_eq!(bare_tag_prefix("aws:RequestTag"), Some("aws:RequestTag"));
        assert!(GLOBAL_KEYS.windows(2).all(|w| w[0].name.to_ascii_lowercase() < w[1].name.to_ascii_lowercase()));
    }
}
