//! Which `Host` headers the server answers: the defence against DNS rebinding.
//!
//! A web page on another site can point a name of its own at this machine's address and then
//! read whatever the server answers for that name, because the browser thinks it is talking
//! to the page's own site. The browser still sends the page's name in `Host`, so the server
//! answers only names that mean this machine: `localhost`, the machine's own name, its own
//! addresses written as numbers, and whatever the user added with `--allow-host`. This holds
//! however the server listens, on loopback or on the network.
//!
//! The port in `Host` is not compared: a rebinding page must already use the server's port,
//! and a reverse proxy in front may forward its own.

use std::net::{IpAddr, SocketAddr, UdpSocket};

/// The names and addresses a request's `Host` may give.
#[derive(Debug, Clone)]
pub struct HostCheck {
    bound: IpAddr,
    addresses: Vec<IpAddr>,
    names: Vec<String>,
}

impl HostCheck {
    /// Accepts loopback, the address the server is bound to, the machine's own addresses and
    /// names, and `extra` (names or addresses, already checked with [`parse_allowed`]).
    pub fn new(bound: IpAddr, extra: &[String]) -> Self {
        let mut names = vec!["localhost".to_string()];
        if let Some(name) = machine_name() {
            names.push(format!("{name}.local"));
            if let Some((short, _)) = name.split_once('.') {
                names.push(short.to_string());
            }
            names.push(name);
        }
        let mut addresses = Vec::new();
        for e in extra {
            match e.parse::<IpAddr>() {
                Ok(ip) => addresses.push(ip.to_canonical()),
                Err(_) => names.push(normalise(e)),
            }
        }
        names.sort();
        names.dedup();
        HostCheck {
            bound: bound.to_canonical(),
            addresses,
            names,
        }
    }

    /// The names accepted besides addresses, for telling the user.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// Whether a request with this `Host` header (lower-cased) is answered.
    pub fn allows(&self, header: &str) -> bool {
        let Some(host) = host_part(header) else {
            return false;
        };
        match host.parse::<IpAddr>() {
            Ok(ip) => {
                let ip = ip.to_canonical();
                ip.is_loopback()
                    || (ip == self.bound && !ip.is_unspecified())
                    || self.addresses.contains(&ip)
                    || is_own_address(ip)
            }
            Err(_) => self.names.iter().any(|n| *n == normalise(host)),
        }
    }
}

/// The host of a `Host` header, without its port or an IPv6 literal's brackets; `None` when
/// it is not a well-formed host with an optional numeric port.
fn host_part(header: &str) -> Option<&str> {
    let (host, port) = if let Some(rest) = header.strip_prefix('[') {
        let (inside, after) = rest.split_once(']')?;
        inside.parse::<std::net::Ipv6Addr>().ok()?;
        (inside, after.strip_prefix(':'))
    } else {
        match header.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (header, None),
        }
    };
    if let Some(p) = port
        && p.parse::<u16>().is_err()
    {
        return None;
    }
    if host.is_empty()
        || !host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-._:".contains(c))
    {
        return None;
    }
    Some(host)
}

/// Lower case, without the trailing dot of a fully qualified name.
fn normalise(name: &str) -> String {
    name.trim_end_matches('.').to_ascii_lowercase()
}

/// Checks one `--allow-host` value: a name or an address, optionally with a port (ignored).
pub fn parse_allowed(value: &str) -> Result<String, String> {
    let lower = value.to_ascii_lowercase();
    match host_part(&lower) {
        Some(host) if !host.chars().all(|c| c == '.') => Ok(normalise(host)),
        _ => Err(format!(
            "`{value}` is not a host name or address (for example workshop.lan or 192.168.1.20)"
        )),
    }
}

/// This machine's name, lower-cased, if it has a usable one.
fn machine_name() -> Option<String> {
    let name = gethostname::gethostname().into_string().ok()?;
    let name = normalise(name.trim());
    host_part(&name)
        .filter(|h| *h == name && !name.contains(':'))
        .map(str::to_string)
}

/// Whether `ip` is one of this machine's addresses: the system lets a socket be bound only
/// to its own, which also follows addresses that change while the server runs.
fn is_own_address(ip: IpAddr) -> bool {
    let special = match ip {
        IpAddr::V4(v4) => v4.is_broadcast() || v4.is_multicast() || v4.is_unspecified(),
        IpAddr::V6(v6) => v6.is_multicast() || v6.is_unspecified(),
    };
    !special && UdpSocket::bind(SocketAddr::new(ip, 0)).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(bound: &str, extra: &[&str]) -> HostCheck {
        let extra: Vec<String> = extra
            .iter()
            .map(|e| parse_allowed(e).expect("valid"))
            .collect();
        HostCheck::new(bound.parse().expect("ip"), &extra)
    }

    #[test]
    fn loopback_names_and_addresses_are_always_accepted() {
        for bound in ["127.0.0.1", "0.0.0.0", "::"] {
            let c = check(bound, &[]);
            for host in [
                "localhost:7474",
                "localhost",
                "LOCALHOST.:7474",
                "127.0.0.1:7474",
                "127.0.0.2:7474",
                "[::1]:7474",
                "[::ffff:127.0.0.1]:7474",
            ] {
                assert!(c.allows(host), "{bound}: {host}");
            }
        }
    }

    #[test]
    fn a_server_on_every_address_still_refuses_other_names() {
        let c = check("0.0.0.0", &[]);
        for host in [
            "evil.example:7474",
            "evil.example",
            "localhost.evil.example:7474",
            "",
            ":7474",
            "localhost:notaport",
            "[::1",
            "local host",
            "0.0.0.0:7474",
            "255.255.255.255:7474",
            "224.0.0.1:7474",
        ] {
            assert!(!c.allows(host), "{host}");
        }
    }

    #[test]
    fn the_machines_own_name_is_accepted() {
        let c = check("0.0.0.0", &[]);
        if let Some(name) = machine_name() {
            assert!(c.allows(&format!("{name}:7474")), "{name}");
            assert!(c.allows(&format!("{name}.local:7474")), "{name}");
        }
    }

    #[test]
    fn the_bound_address_is_accepted() {
        let c = check("192.0.2.7", &[]);
        assert!(c.allows("192.0.2.7:8080"));
        assert!(
            !c.allows("192.0.2.8:8080"),
            "a documentation address no machine has"
        );
    }

    #[test]
    fn added_hosts_are_accepted_with_any_port() {
        let c = check(
            "0.0.0.0",
            &["Workshop.LAN", "elmo.example.org:443", "192.0.2.9"],
        );
        assert!(c.allows("workshop.lan:7474"));
        assert!(c.allows("workshop.lan"));
        assert!(c.allows("elmo.example.org"));
        assert!(c.allows("192.0.2.9:7474"));
        assert!(!c.allows("other.lan:7474"));
    }

    #[test]
    fn allowed_hosts_must_be_host_names() {
        for bad in ["", "*", "a b", "http://x", "x/y", "x:port", "..", "[::1"] {
            assert!(parse_allowed(bad).is_err(), "{bad:?}");
        }
        assert_eq!(parse_allowed("[::1]:80").as_deref(), Ok("::1"));
    }
}
