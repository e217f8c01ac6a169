//! Results: actual values of measures, read from CSV files or computed from case-level
//! records, with their statistics and a status per measure.

pub mod config;
pub mod period;

pub use config::{Compute, Condition, PeriodSpec, Test};
pub use period::{Date, Period, PeriodBy};
