//! Intervals and tests for results: Wilson and exact Poisson intervals, the two-proportion
//! z-test with Newcombe's interval for the difference, and the one-sample score test.
//!
//! Every function takes counts, not percentages, so the caller cannot mix scales.

use super::inverse_normal_cdf;

/// The normal quantile for a two-sided 95% interval, about 1.959964.
pub fn z95() -> f64 {
    inverse_normal_cdf(0.975)
}

/// `ln Γ(x)` for `x > 0`, by Lanczos' approximation (g = 7, n = 9), accurate to about 1e-15.
pub fn ln_gamma(x: f64) -> f64 {
    const G: f64 = 7.0;
    const C: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        // Reflection keeps the series in the range where it converges fast.
        let pi = std::f64::consts::PI;
        return (pi / (pi * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut a = C[0];
    let t = x + G + 0.5;
    for (i, c) in C.iter().enumerate().skip(1) {
        a += c / (x + i as f64);
    }
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + a.ln()
}

/// The regularised lower incomplete gamma function `P(a, x)`.
///
/// The series below `x < a + 1` and Lentz's continued fraction above, as in Numerical
/// Recipes (3rd ed., section 6.2), each to full double precision.
pub fn gamma_p(a: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x < a + 1.0 {
        gamma_series(a, x)
    } else {
        1.0 - gamma_cf(a, x)
    }
}

/// The regularised upper incomplete gamma function `Q(a, x) = 1 - P(a, x)`.
pub fn gamma_q(a: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 1.0;
    }
    if x < a + 1.0 {
        1.0 - gamma_series(a, x)
    } else {
        gamma_cf(a, x)
    }
}

fn gamma_series(a: f64, x: f64) -> f64 {
    let (mut sum, mut term, mut ap) = (1.0 / a, 1.0 / a, a);
    for _ in 0..10_000 {
        ap += 1.0;
        term *= x / ap;
        sum += term;
        if term.abs() < sum.abs() * 1e-17 {
            break;
        }
    }
    (sum.ln() - x + a * x.ln() - ln_gamma(a)).exp()
}

fn gamma_cf(a: f64, x: f64) -> f64 {
    const TINY: f64 = 1e-300;
    let mut b = x + 1.0 - a;
    let mut c = 1.0 / TINY;
    let mut d = 1.0 / b;
    let mut h = d;
    for i in 1..10_000 {
        let an = -(i as f64) * (i as f64 - a);
        b += 2.0;
        d = an * d + b;
        if d.abs() < TINY {
            d = TINY;
        }
        c = b + an / c;
        if c.abs() < TINY {
            c = TINY;
        }
        d = 1.0 / d;
        let delta = d * c;
        h *= delta;
        if (delta - 1.0).abs() < 1e-16 {
            break;
        }
    }
    (a * x.ln() - x - ln_gamma(a)).exp() * h
}

/// `P(Z <= z)` for the standard normal distribution.
pub fn normal_cdf(z: f64) -> f64 {
    if z.is_nan() {
        return f64::NAN;
    }
    // erfc(t) = Q(1/2, t²) for t >= 0, which keeps the far tails accurate.
    let t = z / std::f64::consts::SQRT_2;
    let erfc_abs = gamma_q(0.5, t * t);
    if z < 0.0 {
        0.5 * erfc_abs
    } else {
        1.0 - 0.5 * erfc_abs
    }
}

/// The two-sided p-value of a standard normal test statistic.
pub fn two_sided_p(z: f64) -> f64 {
    (2.0 * normal_cdf(-z.abs())).min(1.0)
}

/// The Wilson score 95% interval for `x` successes out of `n`, as proportions.
///
/// `None` when `n` is 0 or `x` is outside `0..=n`.
pub fn wilson(x: f64, n: f64) -> Option<(f64, f64)> {
    if n.is_nan() || n <= 0.0 || !(0.0..=n).contains(&x) {
        return None;
    }
    let z = z95();
    let p = x / n;
    let z2 = z * z;
    let denom = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denom;
    let half = z / denom * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    Some(((centre - half).max(0.0), (centre + half).min(1.0)))
}

/// The exact (Garwood) 95% interval for the mean of a Poisson count `x`.
///
/// The lower end solves `P(X >= x) = 2.5%` and the upper `P(X <= x) = 2.5%`: the same as
/// `qchisq(0.025, 2x) / 2` and `qchisq(0.975, 2x + 2) / 2`. `None` for a negative count.
pub fn poisson_exact(x: f64) -> Option<(f64, f64)> {
    if x.is_nan() || x < 0.0 {
        return None;
    }
    let tail = 0.025;
    let hi_bound = x + 20.0 * x.sqrt() + 50.0;
    // P(X >= x; λ) = P(x, λ) rises with λ; P(X <= x; λ) = Q(x + 1, λ) falls with it.
    let lower = if x == 0.0 {
        0.0
    } else {
        bisect(|l| gamma_p(x, l) - tail, 0.0, hi_bound)
    };
    let upper = bisect(|l| tail - gamma_q(x + 1.0, l), 0.0, hi_bound);
    Some((lower, upper))
}

/// The root of an increasing `f` between `lo` and `hi`.
fn bisect(f: impl Fn(f64) -> f64, mut lo: f64, mut hi: f64) -> f64 {
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if f(mid) < 0.0 {
            lo = mid;
        } else {
            hi = mid;
        }
        if hi - lo <= f64::EPSILON * hi.abs().max(1e-300) {
            break;
        }
    }
    0.5 * (lo + hi)
}

/// Two proportions compared: the first minus the second.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TwoProportions {
    /// `x1/n1 − x2/n2`.
    pub difference: f64,
    /// Newcombe's hybrid score 95% interval for the difference (his method 10).
    pub ci: (f64, f64),
    /// The pooled two-proportion z statistic.
    pub z: f64,
    /// Its two-sided p-value; the same as R's `prop.test(correct = FALSE)`.
    pub p_value: f64,
}

/// Compares `x1` of `n1` with `x2` of `n2`: the z-test with pooled variance and Newcombe's
/// interval. `None` when either group is empty or a count is out of range.
pub fn two_proportions(x1: f64, n1: f64, x2: f64, n2: f64) -> Option<TwoProportions> {
    let (l1, u1) = wilson(x1, n1)?;
    let (l2, u2) = wilson(x2, n2)?;
    let (p1, p2) = (x1 / n1, x2 / n2);
    let d = p1 - p2;
    let lower = d - ((p1 - l1).powi(2) + (u2 - p2).powi(2)).sqrt();
    let upper = d + ((u1 - p1).powi(2) + (p2 - l2).powi(2)).sqrt();
    let pooled = (x1 + x2) / (n1 + n2);
    let se = (pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2)).sqrt();
    // Both groups all successes or all failures: no variation, so no evidence of a difference.
    let z = if se > 0.0 { d / se } else { 0.0 };
    Some(TwoProportions {
        difference: d,
        ci: (lower, upper),
        z,
        p_value: two_sided_p(z),
    })
}

/// The score test of `x` of `n` against a fixed proportion `p0`: `(z, two-sided p)`, the
/// same as R's `prop.test(x, n, p = p0, correct = FALSE)`. `None` when `p0` is 0 or 1 or
/// the counts are out of range.
pub fn one_proportion(x: f64, n: f64, p0: f64) -> Option<(f64, f64)> {
    if !(n > 0.0 && (0.0..=n).contains(&x) && p0 > 0.0 && p0 < 1.0) {
        return None;
    }
    let z = (x / n - p0) / (p0 * (1.0 - p0) / n).sqrt();
    Some((z, two_sided_p(z)))
}

/// The test of a Poisson count `x` against an expected count `mu0`: `(z, two-sided p)` by
/// the normal approximation `(x − μ0) / √μ0`. `None` when `mu0` is not positive.
pub fn one_poisson(x: f64, mu0: f64) -> Option<(f64, f64)> {
    if !(mu0 > 0.0 && x >= 0.0) {
        return None;
    }
    let z = (x - mu0) / mu0.sqrt();
    Some((z, two_sided_p(z)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    #[test]
    fn the_normal_distribution_matches_scipy() {
        // scipy.stats.norm.cdf(1.96) = 0.9750021048517795; norm.cdf(-1.0) = 0.15865525393145707;
        // norm.sf(3.0) = 0.0013498980316300933; norm.sf(5.0) = 2.866515718791933e-07.
        assert!(close(normal_cdf(1.96), 0.975_002_104_851_779_5, 1e-14));
        assert!(close(normal_cdf(-1.0), 0.158_655_253_931_457_07, 1e-14));
        assert!(close(
            1.0 - normal_cdf(3.0),
            0.001_349_898_031_630_093_3,
            1e-14
        ));
        assert!(close(
            normal_cdf(-5.0) / 2.866_515_718_791_933e-7,
            1.0,
            1e-10
        ));
    }

    #[test]
    fn wilson_intervals_match_statsmodels() {
        // statsmodels.stats.proportion.proportion_confint(45, 120, method="wilson")
        //   = (0.293524297864468, 0.464230493740208)
        let (lo, hi) = wilson(45.0, 120.0).expect("ci");
        assert!(close(lo, 0.293_524_297_864_468, 1e-12) && close(hi, 0.464_230_493_740_208, 1e-12));
        // proportion_confint(37, 100, method="wilson") = (0.2818236053432453, 0.46779470419057095)
        let (lo, hi) = wilson(37.0, 100.0).expect("ci");
        assert!(
            close(lo, 0.281_823_605_343_245_3, 1e-12) && close(hi, 0.467_794_704_190_570_95, 1e-12)
        );
        // proportion_confint(0, 20, method="wilson") = (0.0, 0.1611251580528194)
        let (lo, hi) = wilson(0.0, 20.0).expect("ci");
        assert!(close(lo, 0.0, 1e-15) && close(hi, 0.161_125_158_052_819_4, 1e-12));
        assert_eq!(wilson(1.0, 0.0), None);
        assert_eq!(wilson(5.0, 4.0), None);
    }

    #[test]
    fn poisson_intervals_match_the_chi_square_form() {
        // scipy: chi2.ppf(0.025, 2x) / 2 and chi2.ppf(0.975, 2x + 2) / 2, the interval R's
        // poisson.test gives.
        for (x, lo, hi) in [
            (0.0, 0.0, 3.688_879_454_113_935_4),
            (1.0, 0.025_317_807_984_289_876, 5.571_643_390_938_898),
            (10.0, 4.795_388_696_132_433_5, 18.390_356_042_017_78),
            (123.0, 102.225_025_490_733_34, 146.756_419_813_139_13),
        ] {
            let (l, h) = poisson_exact(x).expect("ci");
            assert!(close(l, lo, 1e-9 * lo.max(1.0)), "{x}: {l} vs {lo}");
            assert!(close(h, hi, 1e-9 * hi.max(1.0)), "{x}: {h} vs {hi}");
        }
    }

    #[test]
    fn two_proportions_match_statsmodels() {
        // statsmodels proportions_ztest([30, 52], [120, 120]): z = -2.994282913091338,
        // p = 0.002750907369847018 (R: prop.test(c(30, 52), c(120, 120), correct = FALSE)).
        // confint_proportions_2indep(30, 120, 52, 120, method="newcomb", compare="diff")
        //   = (-0.29617835216778293, -0.06337626115810882)
        let t = two_proportions(30.0, 120.0, 52.0, 120.0).expect("test");
        assert!(close(t.z, -2.994_282_913_091_338, 1e-12), "{t:?}");
        assert!(close(t.p_value, 0.002_750_907_369_847_018, 1e-13), "{t:?}");
        assert!(close(t.ci.0, -0.296_178_352_167_782_93, 1e-12), "{t:?}");
        assert!(close(t.ci.1, -0.063_376_261_158_108_82, 1e-12), "{t:?}");
        assert!(close(t.difference, 30.0 / 120.0 - 52.0 / 120.0, 1e-15));
    }

    #[test]
    fn one_sample_test_matches_statsmodels() {
        // statsmodels proportions_ztest(55, 100, value=0.37, prop_var=0.37):
        // z = 3.7282185960072014, p = 0.000192838077940838.
        let (z, p) = one_proportion(55.0, 100.0, 0.37).expect("test");
        assert!(close(z, 3.728_218_596_007_201_4, 1e-12));
        assert!(close(p, 0.000_192_838_077_940_838, 1e-14));
    }
}
