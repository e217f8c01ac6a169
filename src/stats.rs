//! The arithmetic behind the power checks: the inverse normal distribution and the sample
//! size needed to tell two proportions apart. [`inference`] holds the intervals and tests
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

/// The people needed per group at the checks' 5% significance and 80% power, rounded up.
pub fn cohort_needed(p1: f64, p2: f64) -> Option<u64> {
    // The float is finite and positive, so the cast cannot wrap.
    sample_size_two_proportions(p1, p2, ALPHA, POWER).map(|n| n.ceil() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
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
        assert_eq!(cohort_needed(0.9, 1.0), Some(74));
        // JMP 13.2 documentation, DOE > Sample Size and Power > Two Sample Proportions:
        // p1 = 0.08, p2 = 0.06, alpha 0.05 two-sided, power 0.8 "shows sample sizes of 2554".
        assert_eq!(cohort_needed(0.08, 0.06), Some(2554));
    }

    #[test]
    fn the_issue_example_and_edge_cases() {
        // One-year proven reoffending after custody, 42.5% (Justice Data Lab journal article), down to 35%.
        assert_eq!(cohort_needed(0.425, 0.35), Some(662));
        // The direction of the change does not matter.
        assert_eq!(cohort_needed(0.35, 0.425), Some(662));
        assert_eq!(cohort_needed(0.4, 0.4), None);
        assert_eq!(cohort_needed(-0.1, 0.4), None);
        assert_eq!(cohort_needed(0.4, 1.2), None);
        assert_eq!(cohort_needed(0.0, 1.0), Some(2));
    }
}
