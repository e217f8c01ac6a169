//! `refuted-assumption`, `unused-assumption` and `status-without-evidence`: what the chain
//! rests on, and what the evidence says about it.

use crate::diagnostic::{Code, Diagnostic};
use crate::graph::Graph;
use crate::lint::{Level, Lint};
use crate::model::{Model, Status, Target};

/// The `refuted-assumption` lint.
pub(crate) static REFUTED_ASSUMPTION: Lint = Lint {
    code: Code::RefutedAssumption,
    name: "refuted-assumption",
    default: Level::Warn,
    configurable: true,
    label: "rests on a refuted assumption",
    summary: "a link or node that rests on an assumption marked `refuted`",
    why: "Testing assumptions is only useful if the model changes when one fails. A refuted assumption under a link means the evidence says that step of the chain does not work as drawn: rework the link or the activity, or find another route. If the design has already changed and the assumption is kept as a record of what was learned, say so with an `allow:` entry and a reason on the assumption.",
    example: "assumptions:\n  - id: national-data-covers-all\n    text: National monitoring counts every treatment start\n    applies_to: [treatment-starts]\n    status: refuted\n",
    fix: "assumptions:\n  - id: national-data-covers-all\n    text: National monitoring counts every treatment start\n    applies_to: [treatment-starts]\n    status: refuted\n    allow:\n      - code: refuted-assumption\n        reason: Starts are now counted from the specialist team's own returns\n",
    funder: "Evidence shows that the assumption {label} does not hold, so the steps resting on it need rethinking.",
};

/// The `unused-assumption` lint.
pub(crate) static UNUSED_ASSUMPTION: Lint = Lint {
    code: Code::UnusedAssumption,
    name: "unused-assumption",
    default: Level::Warn,
    configurable: true,
    label: "applies to nothing",
    summary: "an assumption that applies to no link or node",
    why: "An assumption is worth writing down because something rests on it. One that names nothing in `applies_to` cannot be traced to the part of the chain that fails if it is wrong, and cannot be shown on the diagram.",
    example: "assumptions:\n  - id: trust-first\n    text: Mentees attend long enough to build trust\n",
    fix: "assumptions:\n  - id: trust-first\n    text: Mentees attend long enough to build trust\n    applies_to: [\"sessions -> confidence\"]\n",
    funder: "The assumption {label} is not tied to any step of the plan.",
};

/// The `status-without-evidence` lint.
pub(crate) static STATUS_WITHOUT_EVIDENCE: Lint = Lint {
    code: Code::StatusWithoutEvidence,
    name: "status-without-evidence",
    default: Level::Warn,
    configurable: true,
    label: "no evidence",
    summary: "an assumption marked `holding`, `challenged` or `refuted` without `evidence`",
    why: "A status other than `untested` says the assumption was tested. Without the evidence, nobody can tell how: a readiness summary that counts it as tested, and a `holding` that reassures a funder, rest on nothing anyone can check. Write down what the status rests on: the data, the review or the conversations, and when.",
    example: "assumptions:\n  - id: landlords-willing\n    text: Private landlords will let to people referred by the scheme\n    applies_to: [tenancies-started]\n    status: holding\n",
    fix: "assumptions:\n  - id: landlords-willing\n    text: Private landlords will let to people referred by the scheme\n    applies_to: [tenancies-started]\n    status: holding\n    evidence: 31 of 40 landlords approached in 2024 took a referral\n",
    funder: "The assumption {label} is marked as tested, but the plan does not say what evidence that rests on.",
};

pub(super) fn check(model: &Model, graph: &Graph, out: &mut Vec<Diagnostic>) {
    for a in &model.assumptions {
        let id = &a.id.value;
        if let Some(status) = a.status.as_ref().filter(|s| s.value != Status::Untested)
            && a.evidence.is_none()
        {
            out.push(
                Diagnostic::new(
                    Code::StatusWithoutEvidence,
                    format!(
                        "the assumption `{id}` is marked `{}` but gives no evidence",
                        status.value
                    ),
                    status.span,
                )
                .with_help(format!(
                    "add `evidence:` to `{id}`: what the status rests on (the data, review or conversations, and when), or set `status: untested`"
                ))
                .about(id),
            );
        }
        if a.applies_to.is_empty() {
            out.push(
                Diagnostic::new(
                    Code::UnusedAssumption,
                    format!("the assumption `{id}` applies to nothing"),
                    a.id.span,
                )
                .with_help(format!(
                    "add `applies_to:` to `{id}` with the links (`\"from -> to\"`) or nodes that rest on it, or remove it"
                ))
                .about(id),
            );
            continue;
        }
        let Some(status) = a.status.as_ref().filter(|s| s.value == Status::Refuted) else {
            continue;
        };
        for entry in &a.applies_to {
            // An entry that names nothing is already an unknown-reference error.
            if !resolves(graph, &entry.target) {
                continue;
            }
            let target = &entry.written;
            let what = match entry.target {
                Target::Link { .. } => "the link",
                Target::Node(_) => "the node",
            };
            // Without evidence written down, the message must not claim there is some.
            let refuted = if a.evidence.is_some() {
                "which the evidence refutes"
            } else {
                "which is marked refuted"
            };
            out.push(
                Diagnostic::new(
                    Code::RefutedAssumption,
                    format!(
                        "{what} `{}` rests on `{id}`, {refuted}: \"{}\"",
                        target.value.trim(),
                        a.text.value
                    ),
                    target.span,
                )
                .with_related(status.span, "marked refuted here")
                .with_help(format!(
                    "rework this part of the chain, or, if the design has already changed, record it with `allow: [{{code: refuted-assumption, reason: ...}}]` on `{id}`"
                ))
                .about(id),
            );
        }
    }
}

/// Whether an `applies_to` target names a node, or a link that exists.
fn resolves(graph: &Graph, target: &Target) -> bool {
    match target {
        Target::Link { from, to } => match (graph.node(from), graph.node(to)) {
            (Some(f), Some(t)) => graph.graph.find_edge(f, t).is_some(),
            _ => false,
        },
        Target::Node(id) => graph.node(id).is_some(),
    }
}
