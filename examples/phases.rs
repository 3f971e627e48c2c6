//! Times each phase of the core on one snapshot file, with no Node involved:
//! `cargo run --release --no-default-features --example phases -- FILE`
use leakhunt::analysis::AnalyzedSnapshot;
use leakhunt::graph::HeapGraph;
use leakhunt::snapshot::{parse_file, parse_file_from, ParseMode};
use std::time::Instant;

/// Peak resident memory so far, in MB (Linux), to see which phase sets the peak.
fn peak_mb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok()))
        .map_or(0, |kb| kb / 1024)
}

fn main() {
    let path = std::env::args().nth(1).expect("usage: phases FILE");
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    let t = Instant::now();
    let ids = parse_file(&path, ParseMode::Ids, &Default::default()).unwrap_or_else(|e| panic!("{e}"));
    let ids_parse = t.elapsed().as_secs_f64();
    let peak_ids = peak_mb();
    drop(ids);
    let t = Instant::now();
    let one = parse_file_from(&path, ParseMode::Full, &Default::default(), u64::MAX).unwrap_or_else(|e| panic!("{e}"));
    let one_thread_parse = t.elapsed().as_secs_f64();
    drop(one);
    let t = Instant::now();
    let parsed = parse_file(&path, ParseMode::Full, &Default::default()).unwrap_or_else(|e| panic!("{e}"));
    let parse = t.elapsed().as_secs_f64();
    let peak_parse = peak_mb();
    let t = Instant::now();
    let graph = HeapGraph::from_parsed(parsed).unwrap_or_else(|e| panic!("{e}"));
    let build = t.elapsed().as_secs_f64();
    let peak_build = peak_mb();
    let (nodes, edges, memory) = (graph.node_count(), graph.edge_count(), graph.memory_bytes());
    let snapshot = AnalyzedSnapshot::new(graph);
    let t = Instant::now();
    snapshot.dominators();
    let doms = t.elapsed().as_secs_f64();
    let peak_doms = peak_mb();
    let t = Instant::now();
    snapshot.retainers();
    let paths = t.elapsed().as_secs_f64();
    let peak_paths = peak_mb();
    let t = Instant::now();
    snapshot.summary(20);
    let summary = t.elapsed().as_secs_f64();
    let peak_summary = peak_mb();
    println!(
        "{{\"file\":{path:?},\"idsParseS\":{ids_parse:.3},\"oneThreadParseS\":{one_thread_parse:.3},\"bytes\":{size},\"nodes\":{nodes},\"edges\":{edges},\"graphBytes\":{memory},\"parseS\":{parse:.3},\"buildS\":{build:.3},\"dominatorsS\":{doms:.3},\"retainersS\":{paths:.3},\"summaryS\":{summary:.3},\"parseMBps\":{:.0},\"peakMB\":[{peak_ids},{peak_parse},{peak_build},{peak_doms},{peak_paths},{peak_summary}]}}",
        size as f64 / 1e6 / parse
    );
}
