//! Where objects were allocated. While V8's allocation tracker runs
//! (`HeapProfiler.startTrackingHeapObjects({ trackAllocations: true })`, or DevTools'
//! "allocation instrumentation"), every snapshot carries `trace_tree`, the tree of JS stacks
//! that allocated, and `trace_function_infos`, the functions in it; each node's
//! `trace_node_id` names the stack that allocated it. Objects from before tracking began, or
//! allocated by V8 itself, have trace node 0.

use crate::graph::{HeapGraph, NodeIndex};
use crate::snapshot::{AllocationSites, TraceNode};
use serde::Serialize;
use std::collections::HashMap;

/// One frame of an allocation stack. V8 records functions, not statements: `line` and
/// `column` are where the function starts (1-based; 0 when V8 did not know).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StackFrame {
    pub function_name: String,
    pub script_name: Option<String>,
    pub script_id: u32,
    pub line: u32,
    pub column: u32,
}

/// A JS stack that allocated `count` of a group's members, innermost frame first.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AllocationStack {
    pub count: u64,
    pub frames: Vec<StackFrame>,
}

/// Frames kept per stack: the allocating function and its callers up to here.
const MAX_FRAMES: usize = 12;

/// The allocation trace of one snapshot, indexed for lookups by trace node id.
pub struct AllocationTrace<'g> {
    graph: &'g HeapGraph,
    index_of: HashMap<u32, u32>,
    info_fields: InfoFields,
    /// The sites an earlier snapshot of the same tracker recorded (`with_earlier`).
    earlier: Option<&'g AllocationSites>,
}

/// The sites of a full snapshot's objects, as an id-only parse keeps them.
pub fn sites_of(graph: &HeapGraph) -> AllocationSites {
    if graph.trace_node_ids.is_empty() {
        return AllocationSites::default();
    }
    let mut by_id: Vec<(u32, u32)> =
        graph.trace_node_ids.iter().zip(&graph.ids).filter(|(&t, _)| t != 0).map(|(&t, &id)| (id, t)).collect();
    by_id.sort_unstable();
    AllocationSites { by_id, tree: graph.trace_tree.clone() }
}

#[derive(Clone, Copy)]
struct InfoFields {
    width: usize,
    name: Option<usize>,
    script_name: Option<usize>,
    script_id: Option<usize>,
    line: Option<usize>,
    column: Option<usize>,
}

impl<'g> AllocationTrace<'g> {
    /// `None` when the snapshot was taken without allocation tracking.
    pub fn of(graph: &'g HeapGraph) -> Option<AllocationTrace<'g>> {
        if graph.trace_tree.is_empty() || graph.trace_node_ids.is_empty() {
            return None;
        }
        let fields = &graph.layout.trace_function_info_fields;
        let field = |name: &str| fields.iter().position(|f| f == name);
        let info_fields = InfoFields {
            width: fields.len(),
            name: field("name"),
            script_name: field("script_name"),
            script_id: field("script_id"),
            line: field("line"),
            column: field("column"),
        };
        if info_fields.width == 0 {
            return None;
        }
        let index_of = graph.trace_tree.iter().enumerate().map(|(i, t)| (t.id, i as u32)).collect();
        Some(AllocationTrace { graph, index_of, info_fields, earlier: None })
    }

    /// Reads each object's site from an earlier snapshot first, where that one recorded it
    /// (see `AllocationSites`: this snapshot may have lost it, or show a dead object's trace
    /// left at the address the object moved to). Only when both come from one run of the
    /// tracker: every trace node of the earlier tree is in this one, at the same function
    /// under the same parent (the tree only grows while the tracker runs; a tracker started
    /// again numbers its nodes from 1 again).
    pub fn with_earlier(mut self, earlier: &'g AllocationSites) -> AllocationTrace<'g> {
        if !earlier.by_id.is_empty() && self.same_tracker(&earlier.tree) {
            self.earlier = Some(earlier);
        }
        self
    }

    fn same_tracker(&self, earlier: &[TraceNode]) -> bool {
        let tree = &self.graph.trace_tree;
        let parent_id = |nodes: &[TraceNode], t: &TraceNode| nodes.get(t.parent as usize).map(|p| p.id);
        earlier.iter().all(|t| match self.index_of.get(&t.id) {
            Some(&i) => {
                let now = &tree[i as usize];
                now.function_info_index == t.function_info_index && parent_id(tree, now) == parent_id(earlier, t)
            }
            None => false,
        })
    }

    /// The trace node that allocated `node`, if tracking saw it.
    #[inline]
    pub fn site_of(&self, node: NodeIndex) -> Option<u32> {
        if let Some(site) = self.earlier.and_then(|e| e.trace_of(self.graph.ids[node as usize])) {
            return Some(site);
        }
        let id = *self.graph.trace_node_ids.get(node as usize)?;
        (id != 0).then_some(id)
    }

    /// The `top` stacks that allocated the most of a group's members, given how many each
    /// trace node allocated. Ties go to the lower trace node id, so reports are stable.
    pub fn top_stacks(&self, counts: &HashMap<u32, u64>, top: usize) -> Vec<AllocationStack> {
        let mut sites: Vec<(u32, u64)> = counts.iter().map(|(&id, &n)| (id, n)).collect();
        sites.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        sites
            .into_iter()
            .filter_map(|(id, count)| {
                let frames = self.stack(id);
                (!frames.is_empty()).then_some(AllocationStack { count, frames })
            })
            .take(top)
            .collect()
    }

    /// Innermost frame first, as a JS stack trace reads; the synthetic "(root)" is left out.
    fn stack(&self, trace_id: u32) -> Vec<StackFrame> {
        let mut frames = Vec::new();
        let Some(&start) = self.index_of.get(&trace_id) else { return frames };
        let mut at = start;
        // Parents always come before children in the flattened tree; the bound is for input
        // that says otherwise.
        for _ in 0..self.graph.trace_tree.len() {
            let node = self.graph.trace_tree[at as usize];
            if node.parent == u32::MAX {
                break; // the root: no function of its own
            }
            if frames.len() < MAX_FRAMES {
                if let Some(frame) = self.frame(node.function_info_index) {
                    frames.push(frame);
                }
            }
            at = node.parent;
        }
        frames
    }

    fn frame(&self, info_index: u32) -> Option<StackFrame> {
        let f = self.info_fields;
        let start = (info_index as usize).checked_mul(f.width)?;
        let record = self.graph.trace_function_infos.get(start..start + f.width)?;
        let number = |i: Option<usize>| i.map(|i| record[i]).unwrap_or(0);
        let string = |i: Option<usize>| {
            let s = number(i);
            if s < self.graph.strings.len() as u64 {
                self.graph.strings.get(s as u32)
            } else {
                ""
            }
        };
        let script_name = string(f.script_name);
        Some(StackFrame {
            function_name: crate::classes::truncate_for_display(string(f.name), 200),
            script_name: (!script_name.is_empty()).then(|| crate::classes::truncate_for_display(script_name, 300)),
            script_id: number(f.script_id).min(u32::MAX as u64) as u32,
            // V8 writes these 1-based, with 0 for unknown.
            line: number(f.line).min(u32::MAX as u64) as u32,
            column: number(f.column).min(u32::MAX as u64) as u32,
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::snapshot::{ParseMode, SnapshotParser};

    /// A snapshot of three objects, two of them allocated under `make` called from `main`.
    const TRACED: &str = r#"{"snapshot":{"meta":{"node_fields":["type","name","id","self_size","edge_count","trace_node_id"],"node_types":[["hidden","array","string","object","code","closure","regexp","number","native","synthetic"],"string","number","number","number","number"],"edge_fields":["type","name_or_index","to_node"],"edge_types":[["context","element","property","internal","hidden","shortcut","weak"],"string_or_number","node"],"trace_function_info_fields":["function_id","name","script_name","script_id","line","column"],"trace_node_fields":["id","function_info_index","count","size","children"],"location_fields":["object_index","script_id","line","column"]},"node_count":4,"edge_count":3,"trace_function_count":3},
"nodes":[9,0,1,0,3,0, 3,1,3,10,0,3, 3,1,5,10,0,3, 3,2,7,10,0,2],
"edges":[2,3,6, 2,3,12, 2,3,18],
"trace_function_infos":[1,4,0,0,0,0, 2,5,6,7,10,3, 3,7,6,7,2,1],
"trace_tree":[1,0,0,0,[2,1,0,0,[3,2,2,20,[]]]],
"samples":[],"locations":[],
"strings":["","Thing","Other","x","(root)","main","/app/main.js","make"]}"#;

    fn parse(text: &str, mode: ParseMode) -> crate::snapshot::ParsedSnapshot {
        let mut parser = SnapshotParser::new("traced", mode, None);
        parser.write(text.as_bytes()).unwrap();
        parser.finish().unwrap()
    }

    /// V8 leaves a numbered object's trace behind when a GC moves it: in the later snapshot
    /// the Things read untraced (0) or as a dead object's trace left at their new address (2).
    #[test]
    fn reads_the_sites_an_earlier_snapshot_of_the_same_tracker_kept() {
        let earlier = crate::snapshot::IdSnapshot::from_parsed(parse(TRACED, ParseMode::Ids)).sites;
        assert_eq!(earlier.by_id, vec![(3, 3), (5, 3), (7, 2)]);
        let lost = TRACED.replace("3,1,3,10,0,3, 3,1,5,10,0,3,", "3,1,3,10,0,0, 3,1,5,10,0,2,");
        let graph = crate::graph::HeapGraph::from_parsed(parse(&lost, ParseMode::Full)).unwrap();
        let alone = super::AllocationTrace::of(&graph).unwrap();
        assert_eq!((alone.site_of(1), alone.site_of(2)), (None, Some(2)));
        let trace = super::AllocationTrace::of(&graph).unwrap().with_earlier(&earlier);
        assert_eq!((trace.site_of(1), trace.site_of(2), trace.site_of(3)), (Some(3), Some(3), Some(2)));

        // A tracker started again numbers its trace nodes from 1 again: node 3 is another stack.
        let restarted = TRACED.replace("[2,1,0,0,[3,2,2,20,[]]]", "[2,2,0,0,[3,1,2,20,[]]]");
        let other = crate::snapshot::IdSnapshot::from_parsed(parse(&restarted, ParseMode::Ids)).sites;
        let trace = super::AllocationTrace::of(&graph).unwrap().with_earlier(&other);
        assert_eq!((trace.site_of(1), trace.site_of(2)), (None, Some(2)));
    }

    #[test]
    fn names_the_stack_that_allocated_each_object() {
        let mut parser = SnapshotParser::new("traced", ParseMode::Full, None);
        parser.write(TRACED.as_bytes()).unwrap();
        let graph = crate::graph::HeapGraph::from_parsed(parser.finish().unwrap()).unwrap();
        let trace = super::AllocationTrace::of(&graph).expect("the snapshot carries a trace");
        assert_eq!(trace.site_of(1), Some(3));
        assert_eq!(trace.site_of(0), None);
        let mut counts = std::collections::HashMap::new();
        for node in 1..=2 {
            *counts.entry(trace.site_of(node).unwrap()).or_insert(0) += 1;
        }
        let stacks = trace.top_stacks(&counts, 3);
        assert_eq!(stacks.len(), 1);
        assert_eq!(stacks[0].count, 2);
        let frames: Vec<(&str, u32, u32)> = stacks[0].frames.iter().map(|f| (f.function_name.as_str(), f.line, f.column)).collect();
        assert_eq!(frames, vec![("make", 2, 1), ("main", 10, 3)]);
        assert_eq!(stacks[0].frames[0].script_name.as_deref(), Some("/app/main.js"));
    }
}
