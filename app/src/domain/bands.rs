//! Guidance band statistics: the pure definition that the band computation in PostgreSQL
//! implements and the tests check it against.
//!
//! Definition, applied to the unit values (base currency per band unit, all > 0, already rounded
//! to 8 decimal places at import) of one comparability key over one period:
//! 1. Sort ascending (ties keep no identity, so the same records always give the same band).
//! 2. Trim outliers on the log scale: with `Q1` and `Q3` the quartiles of ln(unit value) (by the
//!    percentile rule below) and `IQR = Q3 - Q1`, keep the values whose logarithm lies within
//!    `[Q1 - k·IQR, Q3 + k·IQR]`; `k` is 3 by default. The logarithms and fences are computed in
//!    IEEE double precision exactly as PostgreSQL does (`ln(v::float8)`, `percentile_cont` over
//!    doubles), so the database and this code keep the same values.
//! 3. If fewer than the minimum sample size remain, the band is not published.
//! 4. P10, P25, median, P75 and P90 of the kept values by linear interpolation between closest
//!    ranks (Hyndman and Fan type 7, the rule of PostgreSQL's `percentile_cont`): for `n`
//!    sorted values and fraction `p`, `h = (n - 1)·p`, result `x[⌊h⌋] + (h - ⌊h⌋)·(x[⌊h⌋+1] - x[⌊h⌋])`,
//!    in exact decimal arithmetic, then rounded to [`PUBLISHED_SCALE`] decimal places, half away
//!    from zero.

use rust_decimal::{Decimal, RoundingStrategy};

/// Decimal places of published percentiles.
pub const PUBLISHED_SCALE: u32 = 6;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BandRule {
    /// Bands with fewer kept observations than this are not published.
    pub min_sample: usize,
    /// The `k` of the log-scale fences.
    pub iqr_factor: Decimal,
}

impl Default for BandRule {
    fn default() -> Self {
        BandRule {
            min_sample: 10,
            iqr_factor: Decimal::from(3),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BandStats {
    /// Observations before trimming.
    pub n: usize,
    /// Observations removed as outliers.
    pub n_trimmed: usize,
    pub p10: Decimal,
    pub p25: Decimal,
    pub median: Decimal,
    pub p75: Decimal,
    pub p90: Decimal,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BandOutcome {
    Publishable(BandStats),
    /// Too few observations after trimming: `n` before, `kept` after.
    TooFew {
        n: usize,
        kept: usize,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BandError {
    /// A unit value was zero or negative: it has no logarithm and no meaning as a price.
    NonPositiveValue,
}

/// The type-7 percentile of ascending `sorted` values; `p` in [0, 1]. `None` when empty.
pub fn percentile_cont(sorted: &[Decimal], p: Decimal) -> Option<Decimal> {
    let last = sorted.len().checked_sub(1)?;
    let p = p.clamp(Decimal::ZERO, Decimal::ONE);
    let h = Decimal::from(last) * p;
    let lower = h.floor();
    let index = usize::try_from(lower.mantissa() / 10i128.pow(lower.scale())).ok()?;
    let fraction = h - lower;
    let low = sorted[index];
    Some(match sorted.get(index + 1) {
        Some(high) if !fraction.is_zero() => low + fraction * (*high - low),
        _ => low,
    })
}

/// Computes the band of `values` by the definition above.
pub fn compute(values: &[Decimal], rule: &BandRule) -> Result<BandOutcome, BandError> {
    if values.iter().any(|v| *v <= Decimal::ZERO) {
        return Err(BandError::NonPositiveValue);
    }
    let mut sorted = values.to_vec();
    sorted.sort();
    let n = sorted.len();
    let kept = trim_log_outliers(&sorted, rule.iqr_factor);
    if kept.len() < rule.min_sample.max(1) {
        return Ok(BandOutcome::TooFew {
            n,
            kept: kept.len(),
        });
    }
    let at = |p: Decimal| {
        percentile_cont(&kept, p)
            .expect("kept is not empty")
            .round_dp_with_strategy(PUBLISHED_SCALE, RoundingStrategy::MidpointAwayFromZero)
            .normalize()
    };
    Ok(BandOutcome::Publishable(BandStats {
        n,
        n_trimmed: n - kept.len(),
        p10: at(Decimal::new(1, 1)),
        p25: at(Decimal::new(25, 2)),
        median: at(Decimal::new(5, 1)),
        p75: at(Decimal::new(75, 2)),
        p90: at(Decimal::new(9, 1)),
    }))
}

/// Keeps the ascending, positive `sorted` values whose logarithm lies within the fences.
fn trim_log_outliers(sorted: &[Decimal], k: Decimal) -> Vec<Decimal> {
    let logs: Vec<f64> = sorted.iter().map(|v| to_f64(*v).ln()).collect();
    let (Some(q1), Some(q3)) = (percentile_f64(&logs, 0.25), percentile_f64(&logs, 0.75)) else {
        return Vec::new();
    };
    let k = to_f64(k);
    let iqr = q3 - q1;
    let (low, high) = (q1 - k * iqr, q3 + k * iqr);
    sorted
        .iter()
        .zip(&logs)
        .filter(|(_, log)| **log >= low && **log <= high)
        .map(|(v, _)| *v)
        .collect()
}

/// The nearest double, as PostgreSQL's `numeric::float8` gives it (by way of the decimal text).
fn to_f64(value: Decimal) -> f64 {
    value.to_string().parse().unwrap_or(f64::NAN)
}

/// PostgreSQL's `percentile_cont` over doubles (`float8_percentile_cont` in orderedsetaggs.c).
fn percentile_f64(sorted: &[f64], p: f64) -> Option<f64> {
    let last = sorted.len().checked_sub(1)?;
    let h = p * last as f64;
    let first = h.floor();
    let second = h.ceil();
    let low = sorted[first as usize];
    if first == second {
        return Some(low);
    }
    let high = sorted[second as usize];
    Some(low + (h - first) * (high - low))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    fn ints(range: std::ops::RangeInclusive<i64>) -> Vec<Decimal> {
        range.map(Decimal::from).collect()
    }

    #[test]
    fn percentiles_follow_type_7_like_percentile_cont() {
        // PostgreSQL: SELECT percentile_cont(ARRAY[0.1,0.25,0.5,0.75,0.9]) WITHIN GROUP (ORDER BY x)
        // FROM generate_series(1,10) x  ->  {1.9, 3.25, 5.5, 7.75, 9.1}
        let values = ints(1..=10);
        let expected = ["1.9", "3.25", "5.5", "7.75", "9.1"];
        for (p, want) in ["0.1", "0.25", "0.5", "0.75", "0.9"].iter().zip(expected) {
            assert_eq!(percentile_cont(&values, d(p)), Some(d(want)), "p = {p}");
        }
        assert_eq!(percentile_cont(&[d("4.2")], d("0.9")), Some(d("4.2")));
        assert_eq!(percentile_cont(&[], d("0.5")), None);
        assert_eq!(percentile_cont(&values, Decimal::ZERO), Some(Decimal::ONE));
        assert_eq!(
            percentile_cont(&values, Decimal::ONE),
            Some(Decimal::from(10))
        );
    }

    #[test]
    fn extreme_values_are_trimmed_on_the_log_scale() {
        let mut values = ints(10..=29);
        values.push(d("0.001")); // a tiny shipment at an absurd unit value
        values.push(Decimal::from(1_000_000));
        let BandOutcome::Publishable(stats) = compute(&values, &BandRule::default()).unwrap()
        else {
            panic!("enough observations")
        };
        assert_eq!(stats.n, 22);
        assert_eq!(stats.n_trimmed, 2);
        assert_eq!(stats.median, d("19.5"));
        assert_eq!(stats.p10, d("11.9"));
    }

    #[test]
    fn a_skewed_but_plausible_spread_is_kept() {
        // Prices over an order of magnitude are normal for one tariff line.
        let values: Vec<Decimal> = [3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 40]
            .into_iter()
            .map(Decimal::from)
            .collect();
        let BandOutcome::Publishable(stats) = compute(&values, &BandRule::default()).unwrap()
        else {
            panic!()
        };
        assert_eq!(stats.n_trimmed, 0);
    }

    #[test]
    fn small_samples_are_not_published() {
        let outcome = compute(&ints(1..=9), &BandRule::default()).unwrap();
        assert_eq!(outcome, BandOutcome::TooFew { n: 9, kept: 9 });
        let rule = BandRule {
            min_sample: 5,
            ..BandRule::default()
        };
        assert!(matches!(
            compute(&ints(1..=9), &rule).unwrap(),
            BandOutcome::Publishable(_)
        ));
    }

    #[test]
    fn the_same_records_in_any_order_give_the_same_band() {
        let values: Vec<Decimal> = (1..=50)
            .map(|i| Decimal::from((i * 37) % 101 + 1))
            .collect();
        let mut reversed = values.clone();
        reversed.reverse();
        let rule = BandRule::default();
        assert_eq!(compute(&values, &rule), compute(&reversed, &rule));
    }

    #[test]
    fn zero_or_negative_unit_values_are_refused() {
        assert_eq!(
            compute(&[Decimal::ONE, Decimal::ZERO], &BandRule::default()),
            Err(BandError::NonPositiveValue)
        );
    }
}
