//! Project roles, lowest to highest: guest < user < agent < supervisor < admin < owner.

use std::fmt;

/// A member's role in one project; the order of the variants is the order of privilege.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    Guest,
    User,
    Agent,
    Supervisor,
    Admin,
    Owner,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Guest => "guest",
            Role::User => "user",
            Role::Agent => "agent",
            Role::Supervisor => "supervisor",
            Role::Admin => "admin",
            Role::Owner => "owner",
        }
    }

    /// Whether this role may see every conversation of the project (agents and up).
    pub fn sees_all_requests(self) -> bool {
        self >= Role::Agent
    }
}

impl TryFrom<String> for Role {
    type Error = String;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        match value.as_str() {
            "guest" => Ok(Role::Guest),
            "user" => Ok(Role::User),
            "agent" => Ok(Role::Agent),
            "supervisor" => Ok(Role::Supervisor),
            "admin" => Ok(Role::Admin),
            "owner" => Ok(Role::Owner),
            _ => Err(format!("unknown role {value:?}")),
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_ordered_and_round_trip() {
        let all = [
            Role::Guest,
            Role::User,
            Role::Agent,
            Role::Supervisor,
            Role::Admin,
            Role::Owner,
        ];
        assert!(all.windows(2).all(|pair| pair[0] < pair[1]));
        for role in all {
            assert_eq!(Role::try_from(role.as_str().to_owned()), Ok(role));
        }
        assert!(Role::try_from("root".to_owned()).is_err());
        assert!(!Role::User.sees_all_requests());
        assert!(Role::Agent.sees_all_requests());
    }
}
