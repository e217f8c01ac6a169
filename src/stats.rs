//! The arithmetic behind the power checks: the inverse normal distribution and the sample
//! size needed to show a change in a proportion or in a count rate, against a second group
//! or against a fixed baseline. [`inference`] holds the intervals and tests
//! that results are reported with.

pub mod inference;

/// The significance level the power checks assume: 5%, two-sided.
pub const ALPHA: f64 = 0.05;

/// The power the power checks assume: an 80% chance of detecting a real change.
pub const POWER: f64 = 0.80;

/// The standard normal quantile: the `z` with `P(Z <= z) = p`.
///
/// Wichura's algorithm AS 241 (PPND16, Applied Statistics 37:477-484, 1988), accurate to
/// about 1 part in 10^16. Returns infinities at 0 and 1, and NaN outside `[0, 1]`.
pub fn inverse_normal_cdf(p: f64) -> f64 {
    if !(0.0..=1.0).contains(&p) {
        return f64::NAN;
    }
    if p == 0.0 {
        return f64::NEG_INFINITY;
    }
    if p == 1.0 {
        return f64::INFINITY;
    }
    let q = p - 0.5;
    if q.abs() <= 0.425 {
        let r = 0.180625 - q * q;
        let num = poly(
            r,
            &[
                3.387_132_872_796_366_5,
                133.141_667_891_784_38,
                1_971.590_950_306_551_4,
                13_731.693_765_509_46,
                45_921.953_931_549_87,
                67_265.770_927_008_7,
                33_430.575_583_588_13,
                2_509.080_928_730_122_7,
            ],
        );
        let den = poly(
            r,
            &[
                1.0,
                42.313_330_701_600_91,
                687.187_007_492_057_9,
                5_394.196_021_424_751,
                21_213.794_301_586_597,
                39_307.895_800_092_71,
                28_729.085_735_721_943,
                5_226.495_278_852_546,
            ],
        );
        return q * num / den;
    }
    // The tails: work with the smaller of p and 1 - p, then restore the sign.
    let tail = if q < 0.0 { p } else { 1.0 - p };
    let r = (-tail.ln()).sqrt();
    let z = if r <= 5.0 {
        let r = r - 1.6;
        poly(
            r,
            &[
                1.423_437_110_749_683_5,
                4.630_337_846_156_545,
                5.769_497_221_460_691,
                3.647_848_324_763_204_5,
                1.270_458_252_452_368_4,
                0.241_780_725_177_450_6,
                0.022_723_844_989_269_184,
                7.745_450_142_783_414e-4,
            ],
        ) / poly(
            r,
            &[
                1.0,
                2.053_191_626_637_759,
                1.676_384_830_183_803_8,
                0.689_767_334_985_1,
                0.148_103_976_427_480_08,
                0.015_198_666_563_616_457,
                5.475_938_084_995_345e-4,
                1.050_750_071_644_416_8e-9,
            ],
        )
    } else {
        let r = r - 5.0;
        poly(
            r,
            &[
                6.657_904_643_501_103,
                5.463_784_911_164_114,
                1.784_826_539_917_291_3,
                0.296_560_571_828_504_9,
                0.026_532_189_526_576_124,
                0.001_242_660_947_388_078_4,
                2.711_555_568_743_487_6e-5,
                2.010_334_399_292_288_1e-7,
            ],
        ) / poly(
            r,
            &[
                1.0,
                0.599_832_206_555_887_9,
                0.136_929_880_922_735_8,
                0.014_875_361_290_850_615,
                7.868_691_311_456_133e-4,
                1.846_318_317_510_054_8e-5,
                1.421_511_758_316_446e-7,
                2.044_263_103_389_939_7e-15,
            ],
        )
    };
    if q < 0.0 { -z } else { z }
}

/// `c[0] + c[1] x + c[2] x^2 + ...`, by Horner's rule.
fn poly(x: f64, c: &[f64]) -> f64 {
    c.iter().rev().fold(0.0, |acc, &k| acc * x + k)
}

/// The people needed in each of two equal groups for a two-sided test at significance
/// `alpha` to detect a change from proportion `p1` to `p2` with probability `power`.
///
/// The normal approximation without continuity correction (the pooled-variance formula used
/// by R's `power.prop.test`, Stata's `power twoproportions` and JMP):
/// `n = (z(1-α/2)·√(2·p̄·q̄) + z(power)·√(p1·q1 + p2·q2))² / (p1 − p2)²`, with `p̄` the mean
/// of the two proportions. Unrounded; `None` when the proportions are equal or outside
/// `[0, 1]`, where no finite group detects the change.
pub fn sample_size_two_proportions(p1: f64, p2: f64, alpha: f64, power: f64) -> Option<f64> {
    let valid = |p: f64| (0.0..=1.0).contains(&p);
    let alpha_ok = 0.0 < alpha && alpha < 1.0;
    if !(valid(p1) && valid(p2) && p1 != p2 && alpha_ok) {
        return None;
    }
    let z_alpha = inverse_normal_cdf(1.0 - alpha / 2.0);
    let z_beta = inverse_normal_cdf(power);
    let mean = (p1 + p2) / 2.0;
    let pooled = (2.0 * mean * (1.0 - mean)).sqrt();
    let separate = (p1 * (1.0 - p1) + p2 * (1.0 - p2)).sqrt();
    let n = (z_alpha * pooled + z_beta * separate).powi(2) / (p1 - p2).powi(2);
    n.is_finite().then_some(n)
}

/// The people needed for a two-sided test against a fixed baseline (no comparison group)
/// at significance `alpha` to detect a change from proportion `p0` to `p1` with probability
/// `power`.
///
/// The one-sample normal approximation with the variance under each hypothesis
/// (Chow, Shao and Wang, *Sample Size Calculations in Clinical Research*, section 4.1):
/// `n = (z(1-α/2)·√(p0·q0) + z(power)·√(p1·q1))² / (p1 − p0)²`. Unrounded; `None` when the
/// proportions are equal or outside `[0, 1]`.
pub fn sample_size_one_proportion(p0: f64, p1: f64, alpha: f64, power: f64) -> Option<f64> {
    let valid = |p: f64| (0.0..=1.0).contains(&p);
    if !(valid(p0) && valid(p1)) {
        return None;
    }
    one_sample(p0 * (1.0 - p0), p1 * (1.0 - p1), p1 - p0, alpha, power)
}

/// The people needed in each of two equal groups for a two-sided test at significance
/// `alpha` to detect a change in a count rate from `r1` to `r2` events per person with
/// probability `power`.
///
/// Counts are taken as Poisson, each person followed for the same time, so a group of `n`
/// people has variance `n·r` in its count:
/// `n = (z(1-α/2) + z(power))² · (r1 + r2) / (r1 − r2)²`. Unlike a proportion, a rate may
/// exceed one event per person. Unrounded; `None` when the rates are equal or negative.
pub fn sample_size_two_rates(r1: f64, r2: f64, alpha: f64, power: f64) -> Option<f64> {
    if r1 < 0.0 || r2 < 0.0 || r1 == r2 || !(0.0 < alpha && alpha < 1.0) {
        return None;
    }
    let z = inverse_normal_cdf(1.0 - alpha / 2.0) + inverse_normal_cdf(power);
    let n = z * z * (r1 + r2) / (r1 - r2).powi(2);
    n.is_finite().then_some(n)
}

/// The people needed for a two-sided test against a fixed baseline rate `r0` to detect a
/// change to `r1` events per person: the one-sample form of [`sample_size_two_rates`],
/// `n = (z(1-α/2)·√r0 + z(power)·√r1)² / (r1 − r0)²`.
pub fn sample_size_one_rate(r0: f64, r1: f64, alpha: f64, power: f64) -> Option<f64> {
    if r0 < 0.0 || r1 < 0.0 {
        return None;
    }
    one_sample(r0, r1, r1 - r0, alpha, power)
}

/// `(z(1-α/2)·√var0 + z(power)·√var1)² / diff²`, the one-sample normal approximation.
fn one_sample(var0: f64, var1: f64, diff: f64, alpha: f64, power: f64) -> Option<f64> {
    if diff == 0.0 || !(0.0 < alpha && alpha < 1.0) {
        return None;
    }
    let z_alpha = inverse_normal_cdf(1.0 - alpha / 2.0);
    let z_beta = inverse_normal_cdf(power);
    let n = (z_alpha * var0.sqrt() + z_beta * var1.sqrt()).powi(2) / diff.powi(2);
    n.is_finite().then_some(n)
}

/// What a measure's numbers count, for choosing the test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    /// A share of people, from 0 to 1.
    Proportion,
    /// Events per person, from 0 up.
    CountRate,
}

/// What the change is tested against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Groups {
    /// A comparison group of the same size.
    Two,
    /// The baseline, taken as a fixed figure.
    One,
}

/// The people needed (per group, for two groups) to detect `from` → `to` at the checks'
/// 5% significance and 80% power, rounded up.
pub fn cohort_needed(scale: Scale, groups: Groups, from: f64, to: f64) -> Option<u64> {
    let n = match (scale, groups) {
        (Scale::Proportion, Groups::Two) => sample_size_two_proportions(from, to, ALPHA, POWER),
        (Scale::Proportion, Groups::One) => sample_size_one_proportion(from, to, ALPHA, POWER),
        (Scale::CountRate, Groups::Two) => sample_size_two_rates(from, to, ALPHA, POWER),
        (Scale::CountRate, Groups::One) => sample_size_one_rate(from, to, ALPHA, POWER),
    };
    // The float is finite and positive, so the cast cannot wrap.
    n.map(|n| n.ceil() as u64)
}

/// The value nearest `from`, in the direction of `upward`, whose change from `from` a cohort
/// of `cohort` (per group) can detect at the checks' significance and power; `None` when no
/// value on the scale is far enough (a proportion cannot pass 0 or 1, a rate cannot fall
/// below 0).
pub fn smallest_detectable(
    scale: Scale,
    groups: Groups,
    from: f64,
    upward: bool,
    cohort: u32,
) -> Option<f64> {
    let cohort = u64::from(cohort);
    let enough = |to: f64| cohort_needed(scale, groups, from, to).is_some_and(|n| n <= cohort);
    let far = match (scale, upward) {
        (_, false) => 0.0,
        (Scale::Proportion, true) => 1.0,
        // A rate has no ceiling: go out until the change is large enough.
        (Scale::CountRate, true) => {
            let mut far = from.max(1.0) * 2.0;
            while !enough(far) && far < from.max(1.0) * 1e6 {
                far *= 2.0;
            }
            far
        }
    };
    if !enough(far) {
        return None;
    }
    // The need falls as the target moves away from `from`, so bisect for the edge.
    let (mut near, mut far) = (from, far);
    for _ in 0..200 {
        let mid = (near + far) / 2.0;
        if enough(mid) {
            far = mid;
        } else {
            near = mid;
        }
    }
    Some(far)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    /// People per group for two proportions at 5% and 80%.
    fn two(p1: f64, p2: f64) -> Option<u64> {
        cohort_needed(Scale::Proportion, Groups::Two, p1, p2)
    }

    #[test]
    fn normal_quantiles_match_published_tables() {
        // Standard normal critical values as tabulated, e.g., in the NIST/SEMATECH
        // e-Handbook of Statistical Methods (1.3.6.7.1) and returned by R's qnorm(),
        // here to the nine decimals R prints with digits = 10.
        for (p, z) in [
            (0.5, 0.0),
            (0.8, 0.841_621_234),
            (0.9, 1.281_551_566),
            (0.95, 1.644_853_627),
            (0.975, 1.959_963_985),
            (0.995, 2.575_829_304),
            (0.999, 3.090_232_306),
            (0.025, -1.959_963_985),
        ] {
            let got = inverse_normal_cdf(p);
            assert!(close(got, z, 1e-9), "z({p}) = {got}, want {z}");
        }
        // Deep in the tail, where the third branch of AS 241 takes over: R's
        // qnorm(1e-20) = -9.262340089798408.
        assert!(close(
            inverse_normal_cdf(1e-20),
            -9.262_340_089_798_408,
            1e-12
        ));
        assert!(inverse_normal_cdf(0.0).is_infinite() && inverse_normal_cdf(1.5).is_nan());
    }

    #[test]
    fn quantiles_are_symmetric_and_monotonic() {
        let mut last = f64::NEG_INFINITY;
        for i in 1..1000 {
            let p = f64::from(i) / 1000.0;
            let z = inverse_normal_cdf(p);
            assert!(z > last, "not increasing at {p}");
            assert!(
                close(z, -inverse_normal_cdf(1.0 - p), 1e-12),
                "asymmetric at {p}"
            );
            last = z;
        }
    }

    #[test]
    fn sample_sizes_match_published_reference_values() {
        // R documentation for stats::power.prop.test, Examples:
        //   power.prop.test(p1 = .50, p2 = .75, power = .90)  # => n = 76.7
        let n = sample_size_two_proportions(0.50, 0.75, 0.05, 0.90).expect("n");
        assert!(close(n, 76.7, 0.05), "{n}");
        //   power.prop.test(n = 50, p1 = .50, p2 = .75)       # => power = 0.740
        // so at power 0.740 the same change needs 50 per group.
        let n = sample_size_two_proportions(0.50, 0.75, 0.05, 0.740).expect("n");
        assert!(close(n, 50.0, 0.1), "{n}");
        //   power.prop.test(n = 50, p1 = .5, power = .90)     # => p2 = 0.8026141
        let n = sample_size_two_proportions(0.50, 0.802_614_1, 0.05, 0.90).expect("n");
        assert!(close(n, 50.0, 0.05), "{n}");
        // R documentation for stats::power.prop.test, Details: detecting (p1, p2) =
        // (0.9, 1) with power 0.8 needs "a sample size of at least n = 74".
        assert_eq!(two(0.9, 1.0), Some(74));
        // JMP 13.2 documentation, DOE > Sample Size and Power > Two Sample Proportions:
        // p1 = 0.08, p2 = 0.06, alpha 0.05 two-sided, power 0.8 "shows sample sizes of 2554".
        assert_eq!(two(0.08, 0.06), Some(2554));
    }

    #[test]
    fn the_issue_example_and_edge_cases() {
        // One-year proven reoffending after custody, 42.5% (Justice Data Lab journal article), down to 35%.
        assert_eq!(two(0.425, 0.35), Some(662));
        // The direction of the change does not matter.
        assert_eq!(two(0.35, 0.425), Some(662));
        assert_eq!(two(0.4, 0.4), None);
        assert_eq!(two(-0.1, 0.4), None);
        assert_eq!(two(0.4, 1.2), None);
        assert_eq!(two(0.0, 1.0), Some(2));
    }

    #[test]
    fn count_rates_are_sized_as_poisson_counts() {
        // statsmodels 0.15.0, statsmodels.stats.rates.power_poisson_diff_2indep(rate1,
        // rate2, nobs1, alpha=0.05, method_var="score", alternative="two-sided"), solved for
        // the nobs1 where power is 0.80 (scipy.optimize.brentq):
        //   0.45 vs 0.40 events per person -> 2668.61
        //   1.45 vs 1.30                   ->  959.31
        //   2.00 vs 1.50                   ->  109.88
        //   0.10 vs 0.05                   ->  470.93
        for (r1, r2, want) in [
            (0.45, 0.40, 2668.61),
            (1.45, 1.30, 959.31),
            (2.0, 1.5, 109.88),
            (0.10, 0.05, 470.93),
        ] {
            let n = sample_size_two_rates(r1, r2, ALPHA, POWER).expect("n");
            assert!(close(n, want, 0.05), "{r1} vs {r2}: {n}");
        }
        // A&E attendances, 450 down to 400 per 1,000 people: about 2,670 per group.
        assert_eq!(
            cohort_needed(Scale::CountRate, Groups::Two, 0.45, 0.40),
            Some(2669)
        );
        // More than one event per person is still a rate, not an impossible proportion.
        assert_eq!(
            cohort_needed(Scale::CountRate, Groups::Two, 1.45, 1.30),
            Some(960)
        );
        assert_eq!(sample_size_two_rates(0.4, 0.4, ALPHA, POWER), None);
        assert_eq!(sample_size_two_rates(-0.1, 0.4, ALPHA, POWER), None);
    }

    #[test]
    fn one_sample_sizes_match_statsmodels() {
        // statsmodels 0.15.0, statsmodels.stats.power.normal_power_het(diff, nobs, 0.05,
        // std_null, std_alternative, alternative="two-sided"), solved for the nobs where
        // power is 0.80, with std = sqrt(p(1-p)) for a proportion and sqrt(rate) for a
        // Poisson rate:
        //   proportion 0.42 -> 0.50 : 301.09
        //   proportion 0.85 -> 0.80 : 429.72
        //   rate 0.45 -> 0.40       : 1364.67
        //   rate 1.45 -> 1.30       : 489.80
        let n = sample_size_one_proportion(0.42, 0.50, ALPHA, POWER).expect("n");
        assert!(close(n, 301.09, 0.05), "{n}");
        let n = sample_size_one_proportion(0.85, 0.80, ALPHA, POWER).expect("n");
        assert!(close(n, 429.72, 0.05), "{n}");
        let n = sample_size_one_rate(0.45, 0.40, ALPHA, POWER).expect("n");
        assert!(close(n, 1364.67, 0.05), "{n}");
        let n = sample_size_one_rate(1.45, 1.30, ALPHA, POWER).expect("n");
        assert!(close(n, 489.80, 0.05), "{n}");
        // 42% -> 50% against the baseline needs about 302 people, not the 609 per group
        // two groups would need.
        assert_eq!(
            cohort_needed(Scale::Proportion, Groups::One, 0.42, 0.50),
            Some(302)
        );
        assert_eq!(two(0.42, 0.50), Some(609));
        assert_eq!(sample_size_one_proportion(0.5, 0.5, ALPHA, POWER), None);
        assert_eq!(sample_size_one_proportion(0.5, 1.5, ALPHA, POWER), None);
    }

    #[test]
    fn the_smallest_detectable_change_is_the_edge_of_the_need() {
        for (scale, groups, from, upward, cohort) in [
            (Scale::Proportion, Groups::Two, 0.425, false, 120),
            (Scale::Proportion, Groups::One, 0.42, true, 150),
            (Scale::CountRate, Groups::Two, 0.45, false, 1000),
            (Scale::CountRate, Groups::One, 1.45, true, 60),
        ] {
            let edge = smallest_detectable(scale, groups, from, upward, cohort).expect("edge");
            assert_eq!(edge > from, upward);
            let need = |to: f64| cohort_needed(scale, groups, from, to).expect("need");
            assert!(need(edge) <= u64::from(cohort), "{from} -> {edge}");
            // A little nearer the baseline, the cohort is too small.
            let nearer = from + (edge - from) * 0.99;
            assert!(need(nearer) > u64::from(cohort), "{from} -> {nearer}");
        }
        // Two people cannot show any change in a proportion of one half.
        assert_eq!(
            smallest_detectable(Scale::Proportion, Groups::Two, 0.5, true, 2),
            None
        );
    }
}
