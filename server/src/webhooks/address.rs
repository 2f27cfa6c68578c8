//! Which addresses deliveries may reach: the HTTP client resolves target names with a resolver that
//! refuses a name when any of its addresses is not public, and connects only to the addresses it
//! checked (so a name cannot be re-pointed at the loopback between check and connection).

use std::error::Error;
use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

use crate::domain::webhook_target::{is_public, literal_address, WebhookTarget};

/// How long making a subscription waits for its target's name to resolve.
const CREATE_LOOKUP_TIMEOUT: Duration = Duration::from_secs(2);

/// A delivery refused because its target is not a public address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotPublic {
    /// The name that resolved to `address`, if the target was a name.
    name: Option<String>,
    address: IpAddr,
}

impl fmt::Display for NotPublic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.name {
            Some(name) => write!(
                f,
                "{name} resolves to {}, which is not a public address",
                self.address
            )?,
            None => write!(f, "{} is not a public address", self.address)?,
        }
        f.write_str(" (start tiledesk-local with --allow-private-webhook-targets to allow it)")
    }
}

impl Error for NotPublic {}

/// The first non-public address among `addresses` of `name`, as a refusal.
fn refusal(name: Option<&str>, addresses: &[SocketAddr]) -> Option<NotPublic> {
    addresses
        .iter()
        .find(|address| !is_public(address.ip()))
        .map(|address| NotPublic {
            name: name.map(str::to_owned),
            address: address.ip(),
        })
}

/// The refusal of a target whose host is written as a non-public address (such hosts are not
/// resolved, so the resolver never sees them).
pub fn literal_refusal(target: &str) -> Option<NotPublic> {
    let address = literal_address(&url::Url::parse(target).ok()?)?;
    refusal(None, &[SocketAddr::new(address, 0)])
}

/// The refusal in `error`'s chain of causes, if the delivery was refused for its address.
pub fn refusal_in<'a>(error: &'a (dyn Error + 'static)) -> Option<&'a NotPublic> {
    let mut cause = Some(error);
    while let Some(error) = cause {
        if let Some(refused) = error.downcast_ref::<NotPublic>() {
            return Some(refused);
        }
        cause = error.source();
    }
    None
}

/// Whether `target`'s name resolves (within a moment) to a non-public address: checked when a
/// subscription is made, for a clear answer then. A name that does not resolve passes: each
/// delivery resolves it again through [`PublicOnly`].
pub async fn resolves_privately(target: &WebhookTarget) -> bool {
    let Some(name) = target.domain() else {
        return false;
    };
    let lookup = tokio::net::lookup_host((name.to_owned(), 0));
    match tokio::time::timeout(CREATE_LOOKUP_TIMEOUT, lookup).await {
        Ok(Ok(addresses)) => refusal(Some(name), &addresses.collect::<Vec<_>>()).is_some(),
        Ok(Err(_)) | Err(_) => false,
    }
}

/// The resolver of the delivery client when private targets are not allowed.
pub struct PublicOnly;

impl Resolve for PublicOnly {
    fn resolve(&self, name: Name) -> Resolving {
        Box::pin(async move {
            let name = name.as_str().to_owned();
            let addresses: Vec<SocketAddr> =
                tokio::net::lookup_host((name.as_str(), 0)).await?.collect();
            match refusal(Some(&name), &addresses) {
                Some(refused) => Err(Box::new(refused) as Box<dyn Error + Send + Sync>),
                None => Ok(Box::new(addresses.into_iter()) as Addrs),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn names_of_the_machine_are_refused_with_the_address_they_resolve_to() {
        let refused = PublicOnly
            .resolve("localhost".parse().unwrap())
            .await
            .err()
            .expect("localhost is refused");
        let refused = refusal_in(refused.as_ref()).expect("a NotPublic refusal");
        assert!(refused.address.is_loopback());
        let text = refused.to_string();
        assert!(text.starts_with("localhost resolves to "), "{text}");
        assert!(text.contains("not a public address"), "{text}");
    }

    #[test]
    fn literal_targets_are_refused_by_address() {
        let refused = literal_refusal("http://[::ffff:10.0.0.1]:8080/x").expect("refused");
        assert_eq!(
            refused.address,
            "::ffff:10.0.0.1".parse::<IpAddr>().unwrap()
        );
        assert!(refused
            .to_string()
            .starts_with("::ffff:10.0.0.1 is not a public address"));
        assert_eq!(literal_refusal("http://93.184.215.14/"), None);
        assert_eq!(
            literal_refusal("http://localhost/"),
            None,
            "names are resolved"
        );
    }
}
