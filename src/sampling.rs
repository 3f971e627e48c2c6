//! Sampled heap profiles: what grows without a snapshot. V8's sampling heap profiler records
//! one allocation per sampling interval (in bytes) with the JS stack that made it, and forgets
//! a sample when the GC collects its object; a profile is therefore the *live* memory by
//! allocation stack, estimated from samples. A series of profiles taken over time gives each
//! allocation site a series of live bytes; a site whose live bytes climb with confidence is
//! where a leak is allocated.
//!
//! The trend test is the one `monitor()` applies to the heap after each GC: Theil–Sen slope
//! (the median of pairwise slopes, robust to odd points), Mann–Kendall confidence (exact up to
//! ten points), and the later half of the series must climb too, so a site that grew once and
//! then stayed (a cache filled at start-up) is not growth.

use crate::error::{LeakhuntError, Result};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Deeper JSON than this is refused before it is parsed: V8 stops stacks at 128 frames (two
/// levels each in a profile), and a hostile file could nest deeply enough to exhaust the stack.
const MAX_NESTING: usize = 1024;
/// Frames kept for a site's stack in the report, innermost first.
const MAX_STACK: usize = 12;
/// Up to this many points the Mann–Kendall confidence is counted exactly.
const EXACT_MAX_N: usize = 10;

/// A profile, or the inspector's answer that carries one (`{ "profile": … }`).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawProfile {
    #[serde(default)]
    profile: Option<Box<RawProfile>>,
    head: Option<RawNode>,
    #[serde(default)]
    samples: Vec<RawSample>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawNode {
    call_frame: Frame,
    #[serde(default)]
    self_size: f64,
    id: u64,
    #[serde(default)]
    children: Vec<RawNode>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawSample {
    node_id: u64,
}

/// One frame of an allocation stack as V8's inspector gives it (0-based line and column).
#[derive(Deserialize, Clone, PartialEq, Eq, Hash, Debug)]
#[serde(rename_all = "camelCase")]
pub struct Frame {
    #[serde(default)]
    pub function_name: String,
    #[serde(default)]
    pub script_id: String,
    #[serde(default)]
    pub url: String,
    #[serde(default)]
    pub line_number: i64,
    #[serde(default)]
    pub column_number: i64,
}

/// A frame as leakhunt shows code positions: 1-based, with the script's name.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct SiteFrame {
    pub function_name: String,
    pub script_name: String,
    pub line: i64,
    pub column: i64,
}

impl From<&Frame> for SiteFrame {
    fn from(f: &Frame) -> SiteFrame {
        SiteFrame {
            function_name: f.function_name.clone(),
            script_name: f.url.clone(),
            line: f.line_number + 1,
            column: f.column_number + 1,
        }
    }
}

/// An allocation site's estimate in one profile.
#[derive(Clone, Copy, Default)]
struct Estimate {
    bytes: f64,
    samples: u64,
}

/// Profiles taken over time, reduced as they come to each site's estimate: the trees are not
/// kept, only one number pair per site and profile.
#[derive(Default)]
pub struct ProfileSeries {
    /// Each site's stack, innermost frame first.
    stacks: Vec<Vec<Frame>>,
    index: HashMap<Vec<Frame>, usize>,
    /// (time in ms, each site's estimate by site index).
    points: Vec<(f64, HashMap<usize, Estimate>)>,
}

/// What decides that a site grows.
#[derive(Clone, Copy, Debug)]
pub struct GrowthOptions {
    pub min_bytes_per_minute: f64,
    pub min_confidence: f64,
    /// The fewest points judged.
    pub min_points: usize,
    /// A site must have gained at least this many samples over the series: below it, the
    /// estimate's sampling error is larger than the growth.
    pub min_samples_gained: u64,
}

impl Default for GrowthOptions {
    fn default() -> GrowthOptions {
        GrowthOptions { min_bytes_per_minute: 256.0 * 1024.0, min_confidence: 0.99, min_points: 5, min_samples_gained: 8 }
    }
}

/// An allocation site whose live memory the profiles followed.
#[derive(Serialize, Clone, Debug)]
#[serde(rename_all = "camelCase")]
pub struct Site {
    /// The innermost frame of the program's own code (not Node's `node:` internals), else the
    /// innermost frame.
    pub location: SiteFrame,
    /// The allocating stack, innermost first.
    pub stack: Vec<SiteFrame>,
    /// Live bytes at the last profile (an estimate from `samples`).
    pub live_bytes: f64,
    /// Samples behind that estimate: its relative error is about 1/sqrt(samples).
    pub samples: u64,
    pub first_live_bytes: f64,
    pub bytes_per_minute: f64,
    /// One-sided Mann–Kendall confidence that the series climbs.
    pub confidence: f64,
    pub growing: bool,
}

/// Live bytes a stack gained over the series (innermost frame first).
#[derive(Serialize, Clone, Debug)]
#[serde(rename_all = "camelCase")]
pub struct StackGain {
    pub stack: Vec<SiteFrame>,
    pub bytes: f64,
}

/// The series judged: every site that grows, largest growth first, and what was looked at.
#[derive(Serialize, Clone, Debug)]
#[serde(rename_all = "camelCase")]
pub struct ProfileGrowth {
    pub sites: Vec<Site>,
    pub profiles: usize,
    pub duration_ms: f64,
    pub sites_seen: usize,
    /// Live sampled bytes in the first and last profiles.
    pub first_live_bytes: f64,
    pub last_live_bytes: f64,
}

impl ProfileSeries {
    pub fn new() -> ProfileSeries {
        ProfileSeries::default()
    }

    pub fn len(&self) -> usize {
        self.points.len()
    }

    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }

    /// Adds a profile (`HeapProfiler.getSamplingProfile`'s `profile`, as JSON) taken at `time_ms`.
    pub fn add(&mut self, time_ms: f64, json: &[u8]) -> Result<()> {
        if let Some(p) = self.points.last() {
            if time_ms <= p.0 {
                return Err(LeakhuntError::Profile(format!("profiles must come in time order: {time_ms} ms after {} ms", p.0)));
            }
        }
        check_nesting(json)?;
        let answer: RawProfile = serde_json::from_slice(json).map_err(|e| bad(format!("{e}")))?;
        let profile = match answer.profile {
            Some(inner) => *inner,
            None => answer,
        };
        let head = profile.head.as_ref().ok_or_else(|| bad("no `head` node".into()))?;
        let mut counts: HashMap<u64, u64> = HashMap::new();
        for s in &profile.samples {
            *counts.entry(s.node_id).or_insert(0) += 1;
        }
        let mut estimates = HashMap::new();
        // Depth-first along the tree, with the stack from the root: no recursion, as the tree
        // is as deep as the deepest stack.
        let mut todo: Vec<(&RawNode, usize)> = vec![(head, 0)];
        let mut stack: Vec<Frame> = Vec::new();
        while let Some((node, depth)) = todo.pop() {
            stack.truncate(depth);
            // The root is "(root)", not a frame of code.
            if depth > 0 || !node.call_frame.function_name.starts_with('(') {
                stack.push(node.call_frame.clone());
            }
            if node.self_size > 0.0 && !stack.is_empty() {
                let innermost: Vec<Frame> = stack.iter().rev().cloned().collect();
                let next = self.stacks.len();
                let site = *self.index.entry(innermost.clone()).or_insert(next);
                if site == next {
                    self.stacks.push(innermost);
                }
                let e: &mut Estimate = estimates.entry(site).or_default();
                e.bytes += node.self_size;
                e.samples += counts.get(&node.id).copied().unwrap_or(0);
            }
            let below = stack.len();
            for child in node.children.iter().rev() {
                todo.push((child, below));
            }
        }
        self.points.push((time_ms, estimates));
        Ok(())
    }

    /// Forgets the profiles taken before `time_ms` (a monitor's sliding window).
    pub fn forget_before(&mut self, time_ms: f64) {
        self.points.retain(|p| p.0 >= time_ms);
    }

    /// What each stack gained between the first profile and the last (only gains), for
    /// viewers that show a profile as a flame graph.
    pub fn difference(&self) -> Vec<StackGain> {
        let (Some(first), Some(last)) = (self.points.first(), self.points.last()) else {
            return Vec::new();
        };
        let mut gains: Vec<StackGain> = self
            .stacks
            .iter()
            .enumerate()
            .filter_map(|(site, frames)| {
                let before = first.1.get(&site).map_or(0.0, |e| e.bytes);
                let after = last.1.get(&site).map_or(0.0, |e| e.bytes);
                (after > before).then(|| StackGain { stack: frames.iter().map(SiteFrame::from).collect(), bytes: after - before })
            })
            .collect();
        gains.sort_by(|a, b| b.bytes.total_cmp(&a.bytes));
        gains
    }

    /// Each site's series judged for growth.
    pub fn growth(&self, options: &GrowthOptions) -> ProfileGrowth {
        let times: Vec<f64> = self.points.iter().map(|p| p.0).collect();
        let total = |k: usize| self.points.get(k).map_or(0.0, |p| p.1.values().map(|e| e.bytes).sum());
        // A site is the program's innermost frame: the stacks below it (Node's internals, a
        // builtin such as `repeat`) and the ways it was reached are one place to fix, and their
        // samples together estimate it better. Its stack shown is the one holding the most.
        let mut by_place: HashMap<&Frame, (Vec<Estimate>, usize)> = HashMap::new();
        let mut places: Vec<&Frame> = Vec::new();
        for (site, frames) in self.stacks.iter().enumerate() {
            let place = program_frame(frames);
            let series: Vec<Estimate> = self.points.iter().map(|p| p.1.get(&site).copied().unwrap_or_default()).collect();
            let (sum, biggest) = by_place.entry(place).or_insert_with(|| {
                places.push(place);
                (vec![Estimate::default(); series.len()], site)
            });
            let last = |k: usize| self.points.last().and_then(|p| p.1.get(&k)).map_or(0.0, |e| e.bytes);
            if last(site) > last(*biggest) {
                *biggest = site;
            }
            for (total, e) in sum.iter_mut().zip(&series) {
                total.bytes += e.bytes;
                total.samples += e.samples;
            }
        }
        let mut sites = Vec::new();
        for place in places {
            let (series, biggest) = &by_place[place];
            if let Some(found) = judge(place, &self.stacks[*biggest], &times, series, options) {
                sites.push(found);
            }
        }
        sites.sort_by(|a, b| {
            b.bytes_per_minute
                .total_cmp(&a.bytes_per_minute)
                .then_with(|| a.location.script_name.cmp(&b.location.script_name))
                .then(a.location.line.cmp(&b.location.line))
        });
        ProfileGrowth {
            sites,
            profiles: self.points.len(),
            duration_ms: match (times.first(), times.last()) {
                (Some(a), Some(b)) => b - a,
                _ => 0.0,
            },
            sites_seen: self.stacks.len(),
            first_live_bytes: total(0),
            last_live_bytes: total(self.points.len().saturating_sub(1)),
        }
    }
}

/// A site's series, judged: `None` when it does not grow.
fn judge(place: &Frame, frames: &[Frame], times: &[f64], series: &[Estimate], o: &GrowthOptions) -> Option<Site> {
    let n = series.len();
    if n < o.min_points.max(3) {
        return None;
    }
    let bytes: Vec<f64> = series.iter().map(|e| e.bytes).collect();
    let per_ms = theil_sen(times, &bytes);
    let per_minute = per_ms * 60_000.0;
    if per_minute < o.min_bytes_per_minute {
        return None;
    }
    let confidence = mann_kendall(&bytes);
    let half = n / 2;
    let later = theil_sen(&times[half..], &bytes[half..]);
    let gained = series[n - 1].samples.saturating_sub(series[0].samples);
    let growing = confidence >= o.min_confidence && later > 0.0 && gained >= o.min_samples_gained;
    if !growing {
        return None;
    }
    Some(Site {
        location: place.into(),
        stack: frames.iter().take(MAX_STACK).map(SiteFrame::from).collect(),
        live_bytes: bytes[n - 1],
        samples: series[n - 1].samples,
        first_live_bytes: bytes[0],
        bytes_per_minute: per_minute,
        confidence,
        growing,
    })
}

/// The innermost frame of the program's code (a script with a name that is not one of Node's
/// own), else the innermost frame.
fn program_frame(frames: &[Frame]) -> &Frame {
    frames.iter().find(|f| !f.url.is_empty() && !f.url.starts_with("node:")).unwrap_or(&frames[0])
}

/// Median of pairwise slopes.
fn theil_sen(x: &[f64], y: &[f64]) -> f64 {
    let mut slopes = Vec::with_capacity(x.len() * x.len() / 2);
    for i in 0..x.len() {
        for j in i + 1..x.len() {
            let dx = x[j] - x[i];
            if dx > 0.0 {
                slopes.push((y[j] - y[i]) / dx);
            }
        }
    }
    if slopes.is_empty() {
        return 0.0;
    }
    slopes.sort_by(f64::total_cmp);
    let mid = slopes.len() / 2;
    if slopes.len() % 2 == 1 {
        slopes[mid]
    } else {
        (slopes[mid - 1] + slopes[mid]) / 2.0
    }
}

/// Confidence (0..1) that the series rises: the exact share of orders with a lower S up to ten
/// points (the Mahonian distribution of inversions), else the normal approximation.
fn mann_kendall(y: &[f64]) -> f64 {
    let n = y.len();
    if n < 2 {
        return 0.0;
    }
    let mut s: i64 = 0;
    for i in 0..n {
        for j in i + 1..n {
            s += (y[j] - y[i]).partial_cmp(&0.0).map_or(0, |o| o as i64);
        }
    }
    if n <= EXACT_MAX_N {
        // S = pairs - 2 * inversions; count the orders whose S is at least this one's.
        let pairs = (n * (n - 1) / 2) as i64;
        let mut ways = vec![1.0f64];
        for k in 1..n {
            let mut next = vec![0.0; ways.len() + k];
            for (inv, &w) in ways.iter().enumerate() {
                for add in 0..=k {
                    next[inv + add] += w;
                }
            }
            ways = next;
        }
        let all: f64 = ways.iter().sum();
        let at_least: f64 = ways.iter().enumerate().filter(|&(inv, _)| pairs - 2 * inv as i64 >= s).map(|(_, w)| w).sum();
        return 1.0 - at_least / all;
    }
    let n = n as f64;
    let variance = n * (n - 1.0) * (2.0 * n + 5.0) / 18.0;
    let s = s as f64;
    let z = if s > 0.0 {
        (s - 1.0) / variance.sqrt()
    } else if s < 0.0 {
        (s + 1.0) / variance.sqrt()
    } else {
        0.0
    };
    normal_cdf(z)
}

/// Abramowitz–Stegun 7.1.26 through erf.
fn normal_cdf(z: f64) -> f64 {
    let x = z.abs() / std::f64::consts::SQRT_2;
    let t = 1.0 / (1.0 + 0.327_591_1 * x);
    let erf =
        1.0 - (((((1.061_405_429 * t - 1.453_152_027) * t) + 1.421_413_741) * t - 0.284_496_736) * t + 0.254_829_592) * t * (-x * x).exp();
    if z >= 0.0 {
        0.5 * (1.0 + erf)
    } else {
        0.5 * (1.0 - erf)
    }
}

fn bad(what: String) -> LeakhuntError {
    LeakhuntError::Profile(what)
}

/// Refuses JSON nested deeper than `MAX_NESTING`, counting brackets outside strings.
fn check_nesting(json: &[u8]) -> Result<()> {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for (at, &b) in json.iter().enumerate() {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Err(bad(format!("nested deeper than {MAX_NESTING} levels at byte {at}")));
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile(sites: &[(&str, f64, u64)]) -> String {
        let children: Vec<String> = sites
            .iter()
            .enumerate()
            .map(|(k, (name, size, _))| {
                format!(r#"{{"callFrame":{{"functionName":"{name}","scriptId":"1","url":"file:///app.js","lineNumber":{k},"columnNumber":4}},"selfSize":{size},"id":{},"children":[]}}"#, k + 2)
            })
            .collect();
        let samples: Vec<String> = sites
            .iter()
            .enumerate()
            .flat_map(|(k, (_, _, n))| (0..*n).map(move |i| format!(r#"{{"size":64,"nodeId":{},"ordinal":{i}}}"#, k + 2)))
            .collect();
        format!(
            r#"{{"head":{{"callFrame":{{"functionName":"(root)","scriptId":"0","url":"","lineNumber":-1,"columnNumber":-1}},"selfSize":0,"id":1,"children":[{}]}},"samples":[{}]}}"#,
            children.join(","),
            samples.join(",")
        )
    }

    #[test]
    fn a_climbing_site_grows_and_a_flat_one_does_not() {
        let mut series = ProfileSeries::new();
        for k in 0..10u64 {
            let leak = 1_000_000.0 * k as f64;
            let json = profile(&[("makeRecord", leak, 10 * k), ("steady", 500_000.0, 20)]);
            series.add(k as f64 * 1000.0, json.as_bytes()).unwrap();
        }
        let growth = series.growth(&GrowthOptions::default());
        assert_eq!(growth.sites.len(), 1);
        let site = &growth.sites[0];
        assert_eq!(site.location.function_name, "makeRecord");
        assert_eq!((site.location.line, site.location.column), (1, 5));
        assert!((site.bytes_per_minute - 60_000_000.0).abs() < 1.0);
        assert!(site.confidence > 0.999);
    }

    #[test]
    fn growth_that_stopped_halfway_is_not_growth() {
        let mut series = ProfileSeries::new();
        for k in 0..10u64 {
            let filled = 1_000_000.0 * k.min(4) as f64;
            series.add(k as f64 * 1000.0, profile(&[("fillOnce", filled, 10 * k.min(4))]).as_bytes()).unwrap();
        }
        assert!(series.growth(&GrowthOptions::default()).sites.is_empty());
    }

    #[test]
    fn exact_mann_kendall_matches_the_count_of_orders() {
        // Five rising points: only one order of 5! has S = 10.
        let c = mann_kendall(&[1.0, 2.0, 3.0, 4.0, 5.0]);
        assert!((c - (1.0 - 1.0 / 120.0)).abs() < 1e-12);
    }

    #[test]
    fn hostile_input_is_an_error() {
        let mut series = ProfileSeries::new();
        assert!(series.add(0.0, b"{\"head\":").is_err());
        let deep = "[".repeat(5000);
        let err = series.add(0.0, deep.as_bytes()).unwrap_err().to_string();
        assert!(err.contains("nested deeper"), "{err}");
        series.add(1.0, profile(&[("a", 1.0, 1)]).as_bytes()).unwrap();
        assert!(series.add(0.5, profile(&[("a", 1.0, 1)]).as_bytes()).is_err());
    }
}
