//! Builds small heap snapshots in V8's own JSON layout, for tests of every layer.

use crate::graph::HeapGraph;
use crate::snapshot::{ParseMode, SnapshotParser};

pub const META: &str = r#"{"node_fields":["type","name","id","self_size","edge_count","trace_node_id","detachedness"],"node_types":[["hidden","array","string","object","code","closure","regexp","number","native","synthetic","concatenated string","sliced string","symbol","bigint","object shape"],"string","number","number","number","number","number"],"edge_fields":["type","name_or_index","to_node"],"edge_types":[["context","element","property","internal","hidden","shortcut","weak"],"string_or_number","node"],"trace_function_info_fields":["function_id","name","script_name","script_id","line","column"],"trace_node_fields":["id","function_info_index","count","size","children"],"sample_fields":["timestamp_us","last_assigned_id"],"location_fields":["object_index","script_id","line","column"]}"#;

/// A node: V8 type name, name, id, self size.
pub struct TestNode {
    pub kind: &'static str,
    pub name: String,
    pub id: u32,
    pub size: u64,
}

/// An edge: from node index, V8 edge type, name (a property name, or an index for element/hidden), to node index.
pub struct TestEdge {
    pub from: usize,
    pub kind: &'static str,
    pub name: String,
    pub to: usize,
}

pub fn node(kind: &'static str, name: &str, id: u32, size: u64) -> TestNode {
    TestNode { kind, name: name.to_string(), id, size }
}

pub fn edge(from: usize, kind: &'static str, name: &str, to: usize) -> TestEdge {
    TestEdge { from, kind, name: name.to_string(), to }
}

const NODE_TYPES: [&str; 15] = [
    "hidden",
    "array",
    "string",
    "object",
    "code",
    "closure",
    "regexp",
    "number",
    "native",
    "synthetic",
    "concatenated string",
    "sliced string",
    "symbol",
    "bigint",
    "object shape",
];
const EDGE_TYPES: [&str; 7] = ["context", "element", "property", "internal", "hidden", "shortcut", "weak"];

/// The JSON text of a snapshot with these nodes and edges, as V8 lays it out.
pub fn snapshot_json(nodes: &[TestNode], edges: &[TestEdge]) -> String {
    let mut strings: Vec<String> = vec!["<dummy>".to_string()];
    let mut intern = |s: &str| -> usize {
        match strings.iter().position(|x| x == s) {
            Some(i) => i,
            None => {
                strings.push(s.to_string());
                strings.len() - 1
            }
        }
    };
    let mut node_nums = Vec::new();
    for (i, n) in nodes.iter().enumerate() {
        let t = NODE_TYPES.iter().position(|&x| x == n.kind).expect("node type");
        let count = edges.iter().filter(|e| e.from == i).count();
        node_nums.push(format!("{},{},{},{},{},0,0", t, intern(&n.name), n.id, n.size, count));
    }
    let mut sorted: Vec<&TestEdge> = edges.iter().collect();
    sorted.sort_by_key(|e| e.from);
    let mut edge_nums = Vec::new();
    for e in sorted {
        let t = EDGE_TYPES.iter().position(|&x| x == e.kind).expect("edge type");
        let name = if e.kind == "element" || e.kind == "hidden" { e.name.parse::<usize>().expect("index") } else { intern(&e.name) };
        edge_nums.push(format!("{},{},{}", t, name, e.to * 7));
    }
    let strings_json = serde_json::to_string(&strings).unwrap();
    format!(
        "{{\"snapshot\":{{\"meta\":{META},\"node_count\":{},\"edge_count\":{},\"trace_function_count\":0}},\n\"nodes\":[{}],\n\"edges\":[{}],\n\"trace_function_infos\":[],\n\"trace_tree\":[],\n\"samples\":[],\n\"locations\":[],\n\"strings\":{}}}",
        nodes.len(),
        edges.len(),
        node_nums.join(",\n"),
        edge_nums.join(",\n"),
        strings_json
    )
}

pub fn parse_str(text: &str, mode: ParseMode) -> crate::Result<crate::snapshot::ParsedSnapshot> {
    let mut p = SnapshotParser::new("test", mode, Some(text.len() as u64));
    p.write(text.as_bytes())?;
    p.finish()
}

pub fn graph_of(nodes: &[TestNode], edges: &[TestEdge]) -> HeapGraph {
    HeapGraph::from_parsed(parse_str(&snapshot_json(nodes, edges), ParseMode::Full).unwrap()).unwrap()
}

/// A graph of `n` plain objects (node i has id 2i+1) with property edges `(from, to)`.
pub fn graph_from_edges(n: usize, edges: &[(u32, u32)], sizes: &[u64]) -> HeapGraph {
    let nodes: Vec<TestNode> = (0..n).map(|i| node("object", &format!("N{i}"), 2 * i as u32 + 1, sizes[i])).collect();
    let edges: Vec<TestEdge> =
        edges.iter().enumerate().map(|(k, &(a, b))| edge(a as usize, "property", &format!("e{k}"), b as usize)).collect();
    graph_of(&nodes, &edges)
}
