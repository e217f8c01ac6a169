//! `unit-mismatch`: a baseline or target written as a number in another unit than its
//! measure's.

use crate::diagnostic::{Code, Diagnostic};
use crate::lint::{Level, Lint};
use crate::model::Model;
use crate::unit::Sign;

/// The `unit-mismatch` lint.
pub(crate) static UNIT_MISMATCH: Lint = Lint {
    code: Code::UnitMismatch,
    name: "unit-mismatch",
    default: Level::Deny,
    configurable: true,
    label: "another unit",
    summary: "a baseline or target written as a percentage or an amount of money on a measure whose unit is something else",
    why: "A baseline or target may be written as people write it in a spreadsheet: `\"70%\"`, `\"1,200\"`, `\"£5,000\"`. elmo reads such text as a number in the measure's unit, so every check on the figure still works: `\"70%\"` is 70 on a measure in percent and 0.7 on a proportion. A score or rating may be given as a percentage of its maximum, and any unit that names money (pounds, cost, rent, savings, value) takes a currency sign. When the sign contradicts the unit, as `\"70%\"` on a measure counted in people or days, or `\"£5,000\"` on a percentage, nobody can tell which was meant, the figure cannot be compared with results, and every check on it falls silent; that is an error. Text that is not a number, such as \"to be set in year 1\", is left alone.",
    example: "measures:\n  - id: people-housed\n    label: People housed within 56 days\n    unit: people\n    baseline: \"52%\"\n    target: \"70%\"\n",
    fix: "measures:\n  - id: people-housed\n    label: Share of people housed within 56 days\n    unit: percent\n    baseline: \"52%\"\n    target: \"70%\"\n",
    funder: "The starting figure or target for {label} is written in a different unit from the measure itself.",
};

pub(super) fn check(model: &Model, out: &mut Vec<Diagnostic>) {
    for m in &model.measures {
        let Some(unit) = &m.unit else {
            continue;
        };
        for (key, q, sign) in m.mismatched() {
            let id = &m.id.value;
            out.push(
                Diagnostic::new(
                    Code::UnitMismatch,
                    format!(
                        "the {key} of `{id}` is written as {} (`{}`), but the measure's unit is `{}`",
                        sign.what(),
                        q.value,
                        unit.value
                    ),
                    q.span,
                )
                .with_related(unit.span, "the unit")
                .with_help(match sign {
                    Sign::Currency => format!(
                        "if the figure is money, say so in `unit:` (for example `£ per person`); otherwise write the {key} as a plain number in `{}`",
                        unit.value
                    ),
                    _ => format!(
                        "if the figure is a share, write `unit: percent` and say what it is a share of in `numerator:` and `denominator:`; otherwise write the {key} as a plain number in `{}`",
                        unit.value
                    ),
                })
                .about(id),
            );
        }
    }
}
