//! Webhook targets: an `http(s)` URL whose host, unless the operator allows it, is neither a
//! local name nor an address that is not public (loopback, private, link-local, CGNAT, …).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use url::{Host, Url};

/// Longest accepted target URL.
const MAX_LEN: usize = 2048;

/// A target a subscription may be delivered to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookTarget {
    raw: String,
    url: Url,
}

/// Why a target is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetProblem {
    /// Not an `http://` or `https://` URL with a host (or too long).
    NotHttp,
    /// Its host is a local name or an address that is not public.
    NotPublic,
}

impl TargetProblem {
    pub fn message(self) -> &'static str {
        match self {
            TargetProblem::NotHttp => "The target must be an http:// or https:// URL.",
            TargetProblem::NotPublic => NOT_PUBLIC,
        }
    }
}

/// Why a non-public target is refused, and how the operator allows it.
pub const NOT_PUBLIC: &str = "The target is not a public address (loopback, private, link-local, \
shared, multicast, reserved or a local name such as localhost): this server delivers webhooks to \
public addresses only unless started with --allow-private-webhook-targets.";

impl WebhookTarget {
    /// Reads a target, refusing local names and non-public addresses unless `allow_private`.
    pub fn parse(raw: &str, allow_private: bool) -> Result<Self, TargetProblem> {
        let raw = raw.trim();
        let url = Url::parse(raw).map_err(|_| TargetProblem::NotHttp)?;
        let http = raw.len() <= MAX_LEN
            && matches!(url.scheme(), "http" | "https")
            && url.host_str().is_some_and(|host| !host.is_empty());
        if !http {
            return Err(TargetProblem::NotHttp);
        }
        let local = match url.host() {
            Some(Host::Domain(name)) => is_local_name(name),
            Some(Host::Ipv4(ip)) => !is_public(IpAddr::V4(ip)),
            Some(Host::Ipv6(ip)) => !is_public(IpAddr::V6(ip)),
            None => true,
        };
        if local && !allow_private {
            return Err(TargetProblem::NotPublic);
        }
        Ok(Self {
            raw: raw.to_owned(),
            url,
        })
    }

    /// The target as given (trimmed).
    pub fn as_str(&self) -> &str {
        &self.raw
    }

    /// The host name to resolve, when the host is a name rather than an address.
    pub fn domain(&self) -> Option<&str> {
        self.url.domain()
    }
}

/// The address `url`'s host is written as, if it is one (such a host is not resolved).
pub fn literal_address(url: &Url) -> Option<IpAddr> {
    match url.host()? {
        Host::Ipv4(ip) => Some(IpAddr::V4(ip)),
        Host::Ipv6(ip) => Some(IpAddr::V6(ip)),
        Host::Domain(_) => None,
    }
}

/// `localhost` and its subdomains, which resolve to the machine itself.
fn is_local_name(name: &str) -> bool {
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    name == "localhost" || name.ends_with(".localhost")
}

/// Whether `ip` is a public (globally routable unicast) address.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(ip) => is_public_v4(ip),
        IpAddr::V6(ip) => is_public_v6(ip),
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    let special = a == 0 // "this network", 0.0.0.0 included
        || ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || (a == 100 && (b & 0xc0) == 64) // shared address space (CGNAT), 100.64.0.0/10
        || (a == 192 && b == 0 && c == 0) // IETF protocol assignments
        || ip.is_documentation()
        || (a == 198 && (b & 0xfe) == 18) // benchmarking, 198.18.0.0/15
        || (a == 192 && b == 88 && c == 99) // 6to4 relay anycast
        || ip.is_multicast()
        || a >= 240; // reserved, and the broadcast address
    !special
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    let s = ip.segments();
    let embedded = |hi: u16, lo: u16| Ipv4Addr::from((u32::from(hi) << 16) | u32::from(lo));
    if let Some(v4) = ip.to_ipv4_mapped() {
        return is_public_v4(v4);
    }
    match s {
        // NAT64 (64:ff9b::/96) and 6to4 (2002::/16) reach the IPv4 address they embed.
        [0x64, 0xff9b, 0, 0, 0, 0, hi, lo] => return is_public_v4(embedded(hi, lo)),
        [0x2002, hi, lo, ..] => return is_public_v4(embedded(hi, lo)),
        _ => {}
    }
    // Only global unicast (2000::/3) is public: this leaves out ::, ::1, IPv4-compatible,
    // discard, local-use NAT64, unique local, link-local, site-local and multicast addresses.
    let global_unicast = (s[0] & 0xe000) == 0x2000;
    // IETF protocol assignments (Teredo included, 2001::/23) and documentation (2001:db8::/32).
    let special =
        (s[0] == 0x2001 && (s[1] < 0x0200 || s[1] == 0x0db8)) || (s[0] == 0x3fff && s[1] < 0x1000); // documentation
    global_unicast && !special
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_public_addresses_are_public() {
        for public in [
            "93.184.215.14",
            "8.8.8.8",
            "1.1.1.1",
            "100.128.0.1",
            "172.32.0.1",
            "2606:4700:4700::1111",
            "2a00:1450:4001:82a::200e",
            "::ffff:8.8.8.8",
            "64:ff9b::808:808",
            "2002:808:808::1",
        ] {
            assert!(is_public(public.parse().unwrap()), "{public}");
        }
        for internal in [
            "0.0.0.0",
            "0.1.2.3",
            "127.0.0.1",
            "127.255.0.1",
            "10.0.0.1",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.0.1",
            "169.254.169.254",
            "100.64.0.1",
            "100.127.255.255",
            "192.0.0.8",
            "192.0.2.1",
            "198.18.0.1",
            "198.51.100.1",
            "203.0.113.1",
            "224.0.0.1",
            "239.255.255.250",
            "240.0.0.1",
            "255.255.255.255",
            "::",
            "::1",
            "::ffff:127.0.0.1",
            "::ffff:192.168.1.1",
            "::127.0.0.1",
            "64:ff9b::a00:1",
            "64:ff9b:1::1",
            "100::1",
            "2001::1",
            "2001:db8::1",
            "2002:7f00:1::",
            "2002:c0a8:101::",
            "3fff::1",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "fec0::1",
            "ff02::1",
        ] {
            assert!(!is_public(internal.parse().unwrap()), "{internal}");
        }
    }

    #[test]
    fn local_targets_are_refused_unless_allowed() {
        for target in [
            "http://localhost/",
            "http://LOCALHOST.:8080/x",
            "http://api.localhost/",
            "http://127.0.0.1:9/",
            "http://2130706433/",
            "http://0x7f.1/",
            "http://[::ffff:7f00:1]/",
            "https://10.0.0.1/",
        ] {
            assert_eq!(
                WebhookTarget::parse(target, false),
                Err(TargetProblem::NotPublic),
                "{target}"
            );
            assert!(WebhookTarget::parse(target, true).is_ok(), "{target}");
        }
        let public = WebhookTarget::parse(" https://hooks.example.com/t ", false).unwrap();
        assert_eq!(public.as_str(), "https://hooks.example.com/t");
        assert_eq!(public.domain(), Some("hooks.example.com"));
        assert_eq!(
            WebhookTarget::parse("http://8.8.8.8/", false)
                .unwrap()
                .domain(),
            None
        );
        for bad in [
            "not a url",
            "ftp://example.com/",
            "http://",
            "mailto:a@b.co",
        ] {
            assert_eq!(
                WebhookTarget::parse(bad, true),
                Err(TargetProblem::NotHttp),
                "{bad}"
            );
        }
        let long = format!("https://example.com/{}", "x".repeat(MAX_LEN));
        assert_eq!(
            WebhookTarget::parse(&long, false),
            Err(TargetProblem::NotHttp)
        );
    }

    #[test]
    fn literal_addresses_are_read_as_the_client_reads_them() {
        let url = |raw: &str| Url::parse(raw).unwrap();
        assert_eq!(
            literal_address(&url("http://0x7f000001/")),
            Some("127.0.0.1".parse().unwrap())
        );
        assert_eq!(
            literal_address(&url("http://[::1]:80/")),
            Some("::1".parse().unwrap())
        );
        assert_eq!(literal_address(&url("http://example.com/")), None);
    }
}
