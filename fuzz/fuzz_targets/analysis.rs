//! The analysis on graphs built from arbitrary shapes: the input becomes a valid snapshot (so
//! the parser accepts it) with any mix of node kinds, names, ids (duplicates included), edge
//! kinds and targets; then the three-snapshot diff runs with baseline and target id sets drawn
//! from the same input. Exercises dominators, retainer paths, grouping, causes of panics in
//! the diff and the allocation-trace lookup.
#![no_main]
use leakhunt::analysis::{analyze, Snapshot};
use leakhunt::diff::DiffOptions;
use leakhunt::progress::Progress;
use leakhunt::snapshot::{IdSnapshot, ParseMode, SnapshotParser};
use libfuzzer_sys::fuzz_target;

const META: &str = r#"{"node_fields":["type","name","id","self_size","edge_count","trace_node_id","detachedness"],"node_types":[["hidden","array","string","object","code","closure","regexp","number","native","synthetic","concatenated string","sliced string","symbol","bigint","object shape"],"string","number","number","number","number","number"],"edge_fields":["type","name_or_index","to_node"],"edge_types":[["context","element","property","internal","hidden","shortcut","weak"],"string_or_number","node"],"trace_function_info_fields":["function_id","name","script_name","script_id","line","column"],"trace_node_fields":["id","function_info_index","count","size","children"],"sample_fields":["timestamp_us","last_assigned_id"],"location_fields":["object_index","script_id","line","column"]}"#;
const NAMES: [&str; 8] = ["", "Map", "Array", "Thing", "_events", "map", "constructor", "back_pointer"];

fuzz_target!(|data: &[u8]| {
    if data.len() < 4 {
        return;
    }
    let n = (data[0] as usize % 40) + 1;
    let bytes = &data[1..];
    let at = |i: usize| bytes.get(i % bytes.len().max(1)).copied().unwrap_or(0) as usize;
    // Nodes: type, name, id, size; each node's edges follow from the input.
    let mut edges_of: Vec<Vec<(usize, usize, usize)>> = vec![Vec::new(); n];
    let mut nodes = Vec::new();
    let mut cursor = 0;
    for i in 0..n {
        let kind = at(cursor) % 15;
        let name = at(cursor + 1) % NAMES.len();
        let id = at(cursor + 2) * 2 + 1; // odd, with repeats
        let size = at(cursor + 3);
        let edge_count = at(cursor + 4) % 4;
        cursor += 5;
        for _ in 0..edge_count {
            edges_of[i].push((at(cursor) % 7, at(cursor + 1) % NAMES.len(), at(cursor + 2) % n));
            cursor += 3;
        }
        nodes.push(format!("{kind},{name},{id},{size},{edge_count},{},0", at(cursor) % 3));
    }
    let edges: Vec<String> = edges_of.iter().flatten().map(|&(t, name, to)| format!("{t},{name},{}", to * 7)).collect();
    let strings = serde_like_strings();
    let text = format!(
        "{{\"snapshot\":{{\"meta\":{META},\"node_count\":{},\"edge_count\":{},\"trace_function_count\":1}},\"nodes\":[{}],\"edges\":[{}],\"trace_function_infos\":[0,3,0,1,2,3],\"trace_tree\":[1,0,0,0,[2,0,1,8,[]]],\"samples\":[],\"locations\":[{},1,2,3],\"strings\":{strings}}}",
        n,
        edges.len(),
        nodes.join(","),
        edges.join(","),
        (at(cursor) % n) * 7,
    );
    let mut parser = SnapshotParser::new("fuzz", ParseMode::Full, None);
    if parser.write(text.as_bytes()).is_err() {
        return;
    }
    let Ok(parsed) = parser.finish() else { return };
    let Ok(final_) = Snapshot::from_parsed(parsed, ParseMode::Full) else { return };
    let ids = |salt: usize| {
        let mut ids: Vec<u32> = (0..n).filter(|k| at(cursor + k + salt) % 3 != 0).map(|k| (at(cursor + k) * 2 + 1) as u32).collect();
        ids.sort_unstable();
        ids.dedup();
        Snapshot::Ids(IdSnapshot { source: "b".into(), node_count: ids.len() as u64, ids, edge_count: 0, total_size: 0, bytes: 0, listeners: None })
    };
    let options = DiffOptions { include_internals: at(cursor + 7) % 2 == 0, iterations: Some(3), ignore: vec![], max_samples: 2, counts_only: at(cursor + 8) % 3 == 0 };
    let _ = analyze(&ids(11), &ids(23), &final_, None, &options, &Progress::default());
});

fn serde_like_strings() -> String {
    let quoted: Vec<String> = NAMES.iter().map(|s| format!("\"{s}\"")).collect();
    format!("[{}]", quoted.join(","))
}
