//! The large policies of the "max-size" benchmarks, shared by
//! `benches/eval.rs` and `benches/catalogue.rs`.

/// An identity policy of about `chars` characters (without white space):
/// many statements with conditions, none of which matches until the last.
pub fn big_identity_policy(chars: usize) -> String {
    let mut statements = Vec::new();
    let mut i = 0;
    loop {
        let s = format!(
            r#"{{"Sid":"S{i}","Effect":"Allow","Action":["s3:Get*","s3:List*"],"Resource":"arn:aws:s3:::bucket-{i}/*","Condition":{{"StringEquals":{{"aws:PrincipalTag/team":"t{i}"}},"IpAddress":{{"aws:SourceIp":"10.{}.0.0/16"}}}}}}"#,
            i % 250
        );
        statements.push(s);
        i += 1;
        let len: usize = statements.iter().map(String::len).sum::<usize>() + 40;
        if len >= chars {
            break;
        }
    }
    format!(r#"{{"Version":"2012-10-17","Statement":[{}]}}"#, statements.join(","))
}

pub fn big_bucket_policy(bytes: usize) -> String {
    let mut statements = Vec::new();
    let mut i = 0;
    loop {
        statements.push(format!(
            r#"{{"Sid":"Grant{i}","Effect":"Allow","Principal":{{"AWS":["arn:aws:iam::{:012}:role/Reader{i}","{:012}"]}},"Action":["s3:GetObject","s3:GetObjectVersion"],"Resource":"arn:aws:s3:::production-test-bucket-101/team-{i}/*","Condition":{{"StringLike":{{"aws:PrincipalArn":"arn:aws:iam::*:role/Reader*"}},"Bool":{{"aws:SecureTransport":"true"}}}}}}"#,
            300_000_000_000u64 + i as u64,
            400_000_000_000u64 + i as u64
        ));
        i += 1;
        if statements.iter().map(String::len).sum::<usize>() + 40 >= bytes {
            break;
        }
    }
    format!(r#"{{"Version":"2012-10-17","Statement":[{}]}}"#, statements.join(","))
}
