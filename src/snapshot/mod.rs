//! The `.heapsnapshot` format: its header (`snapshot.meta`), the layout we derive from it,
//! and the parsed, still flat, contents. Parsing itself lives in `parser`.

mod parser;
mod strings;
#[cfg(test)]
mod tests;

use parser::check_edge_count;
pub use parser::{ParseMode, Sections, SnapshotParser};
pub use strings::StringTable;

use crate::error::{LeakhuntError, Result};
use serde::Deserialize;

/// `snapshot` at the top of every heap snapshot. V8 writes it before the arrays, so the layout
/// is known before the first node arrives.
#[derive(Debug, Deserialize)]
pub struct SnapshotHeader {
    pub meta: SnapshotMeta,
    #[serde(default)]
    pub node_count: u64,
    #[serde(default)]
    pub edge_count: u64,
    #[serde(default)]
    pub trace_function_count: u64,
}

#[derive(Debug, Deserialize)]
pub struct SnapshotMeta {
    pub node_fields: Vec<String>,
    /// `node_types[0]` is the list of type names; the other entries describe the other fields.
    pub node_types: Vec<serde_json::Value>,
    pub edge_fields: Vec<String>,
    pub edge_types: Vec<serde_json::Value>,
    #[serde(default)]
    pub location_fields: Vec<String>,
    #[serde(default)]
    pub trace_function_info_fields: Vec<String>,
    #[serde(default)]
    pub trace_node_fields: Vec<String>,
}

/// What a node is, independent of where its type name sits in `node_types` (that list differs
/// between Node versions and Chrome).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NodeKind {
    Hidden,
    Array,
    String,
    Object,
    Code,
    Closure,
    RegExp,
    Number,
    Native,
    Synthetic,
    ConcatenatedString,
    SlicedString,
    Symbol,
    BigInt,
    ObjectShape,
    Wasm,
    Other,
}

impl NodeKind {
    fn from_type_name(name: &str) -> NodeKind {
        match name {
            "hidden" => NodeKind::Hidden,
            "array" => NodeKind::Array,
            "string" => NodeKind::String,
            "object" => NodeKind::Object,
            "code" => NodeKind::Code,
            "closure" => NodeKind::Closure,
            "regexp" => NodeKind::RegExp,
            "number" => NodeKind::Number,
            "native" => NodeKind::Native,
            "synthetic" => NodeKind::Synthetic,
            "concatenated string" => NodeKind::ConcatenatedString,
            "sliced string" => NodeKind::SlicedString,
            "symbol" => NodeKind::Symbol,
            "bigint" => NodeKind::BigInt,
            "object shape" => NodeKind::ObjectShape,
            "wasm object" => NodeKind::Wasm,
            _ => NodeKind::Other,
        }
    }

    pub fn is_string(self) -> bool {
        matches!(self, NodeKind::String | NodeKind::ConcatenatedString | NodeKind::SlicedString)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EdgeKind {
    Context,
    Element,
    Property,
    Internal,
    Hidden,
    Shortcut,
    Weak,
    Other,
}

impl EdgeKind {
    fn from_type_name(name: &str) -> EdgeKind {
        match name {
            "context" => EdgeKind::Context,
            "element" => EdgeKind::Element,
            "property" => EdgeKind::Property,
            "internal" => EdgeKind::Internal,
            "hidden" => EdgeKind::Hidden,
            "shortcut" => EdgeKind::Shortcut,
            "weak" => EdgeKind::Weak,
            _ => EdgeKind::Other,
        }
    }

    /// V8 writes `element` and `hidden` edges with a numeric index instead of a string index.
    pub fn name_is_index(self) -> bool {
        matches!(self, EdgeKind::Element | EdgeKind::Hidden)
    }
}

/// Field positions and type tables, read from `snapshot.meta`; nothing about the format is
/// hard-coded beyond the field *names* V8 has always used.
#[derive(Debug, Clone)]
pub struct Layout {
    pub node_field_count: usize,
    pub node_type: usize,
    pub node_name: usize,
    pub node_id: usize,
    pub node_self_size: usize,
    pub node_edge_count: usize,
    pub node_trace_node_id: Option<usize>,
    pub node_detachedness: Option<usize>,
    pub node_type_names: Vec<String>,
    pub node_kinds: Vec<NodeKind>,

    pub edge_field_count: usize,
    pub edge_type: usize,
    pub edge_name: usize,
    pub edge_to_node: usize,
    pub edge_type_names: Vec<String>,
    pub edge_kinds: Vec<EdgeKind>,

    pub location_field_count: usize,
    pub location_object_index: Option<usize>,
    pub location_script_id: Option<usize>,
    pub location_line: Option<usize>,
    pub location_column: Option<usize>,

    pub trace_function_info_fields: Vec<String>,
    pub trace_node_fields: Vec<String>,
}

fn field(fields: &[String], name: &str) -> Option<usize> {
    fields.iter().position(|f| f == name)
}

fn type_names(types: &[serde_json::Value], what: &str, source: &str) -> Result<Vec<String>> {
    let list = types
        .first()
        .and_then(|v| v.as_array())
        .ok_or_else(|| LeakhuntError::layout(source, format!("{what}[0] is not a list of type names")))?;
    list.iter()
        .map(|v| v.as_str().map(str::to_string).ok_or_else(|| LeakhuntError::layout(source, format!("{what}[0] holds a non-string"))))
        .collect()
}

impl Layout {
    pub fn from_meta(meta: &SnapshotMeta, source: &str) -> Result<Layout> {
        let need = |fields: &[String], name: &str, what: &str| {
            field(fields, name)
                .ok_or_else(|| LeakhuntError::layout(source, format!("{what} has no \"{name}\" (fields: {})", fields.join(", "))))
        };
        let nf = &meta.node_fields;
        let ef = &meta.edge_fields;
        let node_type_names = type_names(&meta.node_types, "node_types", source)?;
        let edge_type_names = type_names(&meta.edge_types, "edge_types", source)?;
        // A node's type is stored in one byte; an edge's in three bits beside its name (the
        // graph packs the two). V8 has 7 edge types.
        if node_type_names.len() > 256 {
            return Err(LeakhuntError::layout(source, "more than 256 node types"));
        }
        if edge_type_names.len() > 8 {
            return Err(LeakhuntError::layout(source, format!("{} edge types (at most 8; V8 has 7)", edge_type_names.len())));
        }
        if nf.is_empty() || ef.is_empty() || nf.len() > 64 || ef.len() > 64 {
            return Err(LeakhuntError::layout(source, "node_fields/edge_fields must list 1 to 64 fields"));
        }
        let lf = &meta.location_fields;
        Ok(Layout {
            node_field_count: nf.len(),
            node_type: need(nf, "type", "node_fields")?,
            node_name: need(nf, "name", "node_fields")?,
            node_id: need(nf, "id", "node_fields")?,
            node_self_size: need(nf, "self_size", "node_fields")?,
            node_edge_count: need(nf, "edge_count", "node_fields")?,
            // Node 24 drops trace_node_id when allocation tracking is off.
            node_trace_node_id: field(nf, "trace_node_id"),
            node_detachedness: field(nf, "detachedness"),
            node_kinds: node_type_names.iter().map(|n| NodeKind::from_type_name(n)).collect(),
            node_type_names,
            edge_field_count: ef.len(),
            edge_type: need(ef, "type", "edge_fields")?,
            edge_name: need(ef, "name_or_index", "edge_fields")?,
            edge_to_node: need(ef, "to_node", "edge_fields")?,
            edge_kinds: edge_type_names.iter().map(|n| EdgeKind::from_type_name(n)).collect(),
            edge_type_names,
            location_field_count: lf.len(),
            location_object_index: field(lf, "object_index"),
            location_script_id: field(lf, "script_id"),
            location_line: field(lf, "line"),
            location_column: field(lf, "column"),
            trace_function_info_fields: meta.trace_function_info_fields.clone(),
            trace_node_fields: meta.trace_node_fields.clone(),
        })
    }
}

/// A source position from the snapshot's `locations` (V8 writes them 0-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Location {
    pub node: u32,
    pub script_id: u32,
    pub line: u32,
    pub column: u32,
}

/// One node of the allocation trace tree (`trace_tree`), flattened: children point to parents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TraceNode {
    pub id: u32,
    pub function_info_index: u32,
    pub count: u32,
    pub size: u64,
    pub parent: u32,
}

/// Struct-of-arrays for nodes: one column per field we use, no object per node.
#[derive(Debug, Default)]
pub struct NodeColumns {
    pub types: Vec<u8>,
    pub names: Vec<u32>,
    pub ids: Vec<u32>,
    /// Full mode only; `u32::MAX` marks a size kept in `large_self_sizes`.
    pub self_sizes: Vec<u32>,
    pub large_self_sizes: Vec<(u32, u64)>,
    /// The sum of all self sizes, in both modes.
    pub total_self_size: u64,
    pub edge_counts: Vec<u32>,
    /// Empty unless some node has a non-zero trace node id (allocation tracking was on):
    /// V8 writes the field, as zeros, into every snapshot.
    pub trace_node_ids: Vec<u32>,
    /// Ids mode only: (id, trace node id) of each node with a trace.
    pub traced: Vec<(u32, u32)>,
    pub detachedness: Vec<u8>,
    /// (id, fingerprint) of the sampled nodes (`is_sampled`), in both modes.
    pub fingerprints: Vec<(u32, u64)>,
}

/// One JS heap id in 64 is sampled with its type and self size: enough to tell whether two
/// snapshots that share ids are of one process (where an id is one object for its life).
pub fn is_sampled(id: u32) -> bool {
    id % 128 == 1
}

/// What a sampled node is, in numbers every parse mode reads: its type and self size.
pub fn fingerprint(node_type: u64, self_size: u64) -> u64 {
    (node_type << 48) ^ self_size
}

#[derive(Debug, Default)]
pub struct EdgeColumns {
    pub types: Vec<u8>,
    pub names: Vec<u32>,
    /// Target *node index* (V8 writes an offset into the nodes array; we divide it on the way in).
    pub to: Vec<u32>,
}

/// Everything the parser read, before it becomes a graph.
#[derive(Debug)]
pub struct ParsedSnapshot {
    pub source: String,
    pub header: SnapshotHeader,
    pub layout: Layout,
    pub nodes: NodeColumns,
    pub edges: EdgeColumns,
    pub strings: StringTable,
    pub locations: Vec<Location>,
    pub trace_function_infos: Vec<u64>,
    pub trace_tree: Vec<TraceNode>,
    /// Total bytes read.
    pub bytes: u64,
}

/// A snapshot reduced to what the three-snapshot diff needs of the baseline and the target:
/// the sorted set of ids, plus a few totals for the report.
#[derive(Debug, Clone)]
pub struct IdSnapshot {
    pub source: String,
    pub ids: Vec<u32>,
    /// Sampled (id, fingerprint) pairs, sorted by id.
    pub fingerprints: Vec<(u32, u64)>,
    pub node_count: u64,
    pub edge_count: u64,
    pub total_size: u64,
    pub bytes: u64,
    /// Which stack made each object, when V8's allocation tracker ran.
    pub sites: AllocationSites,
}

/// The allocation stack of each object of a snapshot taken while V8's allocation tracker ran:
/// (id, trace node id) sorted by id, and the trace tree those trace node ids name.
///
/// A baseline's or target's sites are kept because a later snapshot may have lost them. V8
/// moves an object's trace along with the object only while the object has no snapshot id
/// yet (`HeapProfiler::ObjectMoveEvent`: `if (!known_object && allocation_tracker_)`): once
/// a snapshot or a heap walk has numbered it, a GC that compacts its page leaves its trace at
/// the old address. The target is where the objects made by the calls are first numbered,
/// after the GC that moved them out of the young generation.
#[derive(Debug, Clone, Default)]
pub struct AllocationSites {
    pub by_id: Vec<(u32, u32)>,
    pub tree: Vec<TraceNode>,
}

impl AllocationSites {
    pub fn trace_of(&self, id: u32) -> Option<u32> {
        self.by_id.binary_search_by_key(&id, |&(id, _)| id).ok().map(|i| self.by_id[i].1)
    }
}

impl IdSnapshot {
    pub fn contains(&self, id: u32) -> bool {
        self.ids.binary_search(&id).is_ok()
    }

    pub fn from_parsed(parsed: ParsedSnapshot) -> IdSnapshot {
        let ParsedSnapshot { source, header, nodes, bytes, trace_tree, .. } = parsed;
        let total_size = nodes.total_self_size;
        let node_count = nodes.ids.len() as u64;
        let mut ids = nodes.ids;
        ids.sort_unstable();
        ids.dedup();
        let mut fingerprints = nodes.fingerprints;
        fingerprints.sort_unstable();
        let mut by_id = nodes.traced;
        by_id.sort_unstable();
        let sites = if by_id.is_empty() { AllocationSites::default() } else { AllocationSites { by_id, tree: trace_tree } };
        IdSnapshot { source, ids, fingerprints, node_count, edge_count: header.edge_count, total_size, bytes, sites }
    }
}

/// Files at least this large are parsed in full by two threads (`parse_file`).
const SPLIT_FROM_BYTES: u64 = 16 << 20;

/// Reads a snapshot file in chunks into the parser; the whole text is never in memory.
///
/// A full parse of a large file runs on two threads, each reading the whole file: one parses
/// the edges and skips the rest, the other parses the rest and skips the edges (skipping runs
/// eight bytes at a time, several times faster than parsing). Measured on a 521 MB file: 0.44 s
/// on two threads against 0.72 s on one. Should either half fail, the file is parsed again on one thread, so that the
/// error is the one a sequential reading meets first.
pub fn parse_file(path: &str, mode: ParseMode, progress: &crate::progress::Progress) -> Result<ParsedSnapshot> {
    parse_file_from(path, mode, progress, SPLIT_FROM_BYTES)
}

/// `parse_file`, splitting only files of at least `split_from` bytes (`u64::MAX`: never).
pub fn parse_file_from(path: &str, mode: ParseMode, progress: &crate::progress::Progress, split_from: u64) -> Result<ParsedSnapshot> {
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    if mode == ParseMode::Full && size >= split_from {
        let halves = std::thread::scope(|scope| {
            let edges = scope.spawn(|| {
                crate::error::catch_panic(|| {
                    read_into(path, SnapshotParser::for_sections(path, Sections::EdgesOnly, Some(size)), &Default::default())
                })
            });
            let rest = read_into(path, SnapshotParser::for_sections(path, Sections::AllButEdges, Some(size)), progress);
            (rest, edges.join())
        });
        if let (Ok(mut rest), Ok(Ok(edges))) = halves {
            check_edge_count(&rest.source, &rest.header, &edges.edges)?;
            rest.edges = edges.edges;
            return Ok(rest);
        }
    }
    read_into(path, SnapshotParser::new(path, mode, Some(size)), progress)
}

fn read_into(path: &str, mut parser: SnapshotParser, progress: &crate::progress::Progress) -> Result<ParsedSnapshot> {
    use std::io::Read;
    let io = |error| LeakhuntError::Io { path: path.to_string(), error };
    let mut file = std::fs::File::open(path).map_err(io)?;
    // 128 KB: the copy out of the page cache stays in L2 for the parser to read (1 MB measured
    // 3 % slower on a 521 MB file).
    let mut buf = vec![0u8; 1 << 17];
    while !parser.edges_done() {
        let n = match file.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(io(e)),
        };
        parser.write(&buf[..n])?;
        progress.read_bytes(n as u64);
    }
    parser.finish()
}
