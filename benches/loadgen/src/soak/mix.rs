//! The soak's request mix: one fixed cycle of operations that every virtual client repeats,
//! each client starting at its own offset so the server sees every kind at every moment.

use serde_json::{Map, Value};

use crate::protocol::McpRequest;
use crate::soak::judge::Expect;

/// The Chronosphere team tools the mix calls (the fake serves teams from `--seed-teams`).
pub(crate) const LIST_TEAMS: &str = "list_all_chronosphere_teams";
pub(crate) const GET_TEAM: &str = "get_single_chronosphere_team_by_id";
/// A slug the fake never seeds, so its get is the upstream's 404.
pub(crate) const MISSING_TEAM: &str = "team-soak-missing";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    /// `tools/list` from the first page to the last, following `nextCursor`.
    ListWalk,
    ListTeams,
    GetTeam,
    GetMissing,
}

/// Calls outnumber list walks, as with a real agent; a walk is three large pages of
/// Chronosphere's 183 tools.
pub(crate) const CYCLE: [Op; 8] = [
    Op::ListWalk,
    Op::ListTeams,
    Op::GetTeam,
    Op::GetMissing,
    Op::GetTeam,
    Op::ListTeams,
    Op::GetTeam,
    Op::GetTeam,
];

impl Op {
    /// The name the report files this operation's latencies under.
    pub(crate) fn label(self) -> &'static str {
        match self {
            Op::ListWalk => "tools/list page",
            Op::ListTeams => "call list teams",
            Op::GetTeam => "call get team",
            Op::GetMissing => "call get missing team (404)",
        }
    }

    /// The tool call for this operation; `n` picks which seeded team a get asks for.
    pub(crate) fn call(self, n: u64, teams: u64) -> Option<(McpRequest, Expect)> {
        let (name, id, expect) = match self {
            Op::ListWalk => return None,
            Op::ListTeams => (LIST_TEAMS, None, Expect::ToolOk),
            Op::GetTeam => (
                GET_TEAM,
                Some(format!("team-{:04}", 1 + n % teams.max(1))),
                Expect::ToolOk,
            ),
            Op::GetMissing => (
                GET_TEAM,
                Some(MISSING_TEAM.to_owned()),
                Expect::ToolNotFound,
            ),
        };
        let mut arguments = Map::new();
        if let Some(id) = id {
            arguments.insert("id".to_owned(), Value::String(id));
        }
        let request = McpRequest::CallTool {
            name: name.to_owned(),
            arguments,
        };
        Some((request, expect))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn gets_stay_within_the_seeded_teams() {
        let (request, expect) = Op::GetTeam.call(19, 20).unwrap();
        assert_eq!(expect, Expect::ToolOk);
        let McpRequest::CallTool { arguments, .. } = request else {
            panic!("not a call");
        };
        assert_eq!(arguments["id"], "team-0020");
        let (_, expect) = Op::GetMissing.call(0, 20).unwrap();
        assert_eq!(expect, Expect::ToolNotFound);
        assert!(Op::ListWalk.call(0, 20).is_none());
    }
}
