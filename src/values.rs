//! What a holder keeps in one slot, measured in bytes: a string, a Buffer or typed array with
//! its ArrayBuffer, an Array's store of numbers. Leaks of this kind add no objects (a Buffer
//! replaced by a bigger copy, numbers pushed into an Array): only the slot's bytes grow.

use crate::classes;
use crate::graph::{HeapGraph, NodeIndex};
use crate::retainers::PathStep;
use crate::snapshot::{EdgeKind, NodeKind};
use serde::Serialize;
use std::collections::HashSet;

/// How a value's bytes are laid out in V8's heap, and so how they are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum ValueForm {
    /// A string: a flat one's own bytes, a concatenation's parts, a slice's parent.
    String,
    /// A Buffer, typed array or DataView: the view and its ArrayBuffer with its backing store.
    View,
    /// An ArrayBuffer and its backing store.
    ArrayBuffer,
    /// An Array whose element store holds numbers only (doubles unboxed, small integers):
    /// the store, which V8 replaces by a larger one as the Array grows, or the Array itself
    /// when the program replaces it by a longer copy.
    Numbers,
}

/// One value's size in one snapshot.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ValueSize {
    pub form: ValueForm,
    /// The value's class (`Buffer`, `Float64Array`, `(string)`, `Array`).
    pub name: String,
    /// The object whose length tells the value's size exactly, where the heap cannot: a view
    /// (its bytes may be a slice of Node's shared pool) or the Array (its store has spare room).
    pub id: u32,
    /// Bytes as the snapshot shows them: exact for strings and views with their own
    /// ArrayBuffer; a pool's whole size for a pooled Buffer; an Array's capacity, not length.
    pub bytes: u64,
    /// A view's or ArrayBuffer's backing store (a pool's size when the view is a slice of
    /// Node's Buffer pool); an Array's element store; 0 for a string.
    pub store_bytes: u64,
}

/// Strings nested in a concatenation are followed this far (a `log += line` chain has one
/// link per call); past it the measure is a lower bound.
const MAX_STRING_PARTS: usize = 1 << 16;

/// The slot `edge` of `holder` names a value of one of the measured forms.
pub fn form_of(graph: &HeapGraph, holder: NodeIndex, edge: usize, value: NodeIndex) -> Option<ValueForm> {
    let kind = graph.kind(value);
    if kind.is_string() {
        return Some(ValueForm::String);
    }
    if kind != NodeKind::Object && kind != NodeKind::Array {
        return None;
    }
    // V8 gives an Array's elements as edges of the Array itself. Doubles are unboxed in the
    // store and small integers are no objects: an Array of numbers has no element edges.
    let of_numbers = |array: NodeIndex| {
        graph.kind(array) == NodeKind::Object
            && graph.name(array) == "Array"
            && graph.edges(array).all(|e| graph.edge_kind(e) != EdgeKind::Element)
    };
    if graph.edge_is_named(edge, "elements") && graph.kind(holder) == NodeKind::Object && graph.name(holder) == "Array" {
        return (kind == NodeKind::Array && of_numbers(holder)).then_some(ValueForm::Numbers);
    }
    if kind != NodeKind::Object {
        return None;
    }
    // An Array of numbers replaced by a longer copy (`samples = [...samples, ms]`).
    if of_numbers(value) && graph.edge_target(value, "elements").is_some() {
        return Some(ValueForm::Numbers);
    }
    if graph.name(value) == "ArrayBuffer" {
        return Some(ValueForm::ArrayBuffer);
    }
    let buffer = graph.edge_target(value, "buffer")?;
    (graph.name(buffer) == "ArrayBuffer").then_some(ValueForm::View)
}

/// The value's size, measured the way its form lays out its bytes.
pub fn measure(graph: &HeapGraph, holder: NodeIndex, value: NodeIndex, form: ValueForm) -> ValueSize {
    let store = |buffer: NodeIndex| graph.edge_target(buffer, "backing_store").map_or(0, |s| graph.self_size(s));
    let (id, name, bytes, store_bytes) = match form {
        ValueForm::String => (graph.ids[value as usize], "(string)".to_string(), string_bytes(graph, value), 0),
        ValueForm::ArrayBuffer => {
            (graph.ids[value as usize], "ArrayBuffer".to_string(), graph.self_size(value) + store(value), store(value))
        }
        ValueForm::View => {
            let buffer = graph.edge_target(value, "buffer");
            let (own, backing) = buffer.map_or((0, 0), |b| (graph.self_size(b), store(b)));
            (graph.ids[value as usize], graph.name(value).to_string(), graph.self_size(value) + own + backing, backing)
        }
        ValueForm::Numbers => {
            // The Array is the holder of its store, or the value its holder replaced.
            let array = if graph.kind(value) == NodeKind::Object { value } else { holder };
            let store = graph.edge_target(array, "elements").map_or(0, |s| graph.self_size(s));
            (graph.ids[array as usize], "Array".to_string(), graph.self_size(array) + store, store)
        }
    };
    ValueSize { form, name, id, bytes, store_bytes }
}

/// A string's bytes with all it keeps: a concatenation's parts (its own nodes too, one per
/// `+=`), a slice's parent, each counted once.
fn string_bytes(graph: &HeapGraph, string: NodeIndex) -> u64 {
    let mut seen = HashSet::new();
    let mut stack = vec![string];
    let mut total = 0;
    while let Some(s) = stack.pop() {
        if seen.len() >= MAX_STRING_PARTS || !seen.insert(s) {
            continue;
        }
        total += graph.self_size(s);
        if matches!(graph.kind(s), NodeKind::ConcatenatedString | NodeKind::SlicedString) {
            for e in graph.edges(s) {
                let part = graph.edge_to[e];
                if graph.edge_kind(e) == EdgeKind::Internal && graph.kind(part).is_string() {
                    stack.push(part);
                }
            }
        }
    }
    total
}

/// Which slot of a holder a value sits in, so that a later snapshot finds the value that
/// replaced it: the edge's kind and its name.
fn slot_matches(graph: &HeapGraph, edge: usize, slot: &PathStep) -> bool {
    edge_type_name(graph, edge) == slot.edge_type && graph.edge_name(edge) == slot.edge
}

fn edge_type_name(graph: &HeapGraph, edge: usize) -> &str {
    graph.layout.edge_type_names.get(graph.edge_type(edge) as usize).map_or("", |s| s.as_str())
}

/// The value a holder keeps in `slot` now, measured; None when the slot is gone or holds a
/// value of another form. A Map's value is found by its key (`slot.key`, as the retainer path
/// wrote it), in whatever slot of its hash table it sits now.
pub fn measure_slot(graph: &HeapGraph, holder: NodeIndex, slot: &PathStep) -> Option<ValueSize> {
    let (owner, edge) = match &slot.key {
        Some(key) if has_table(graph, holder) => {
            let table = graph.edge_target(holder, "table")?;
            (table, map_value_edge(graph, table, key)?)
        }
        _ => (holder, graph.edges(holder).find(|&e| slot_matches(graph, e, slot))?),
    };
    let value = graph.edge_to[edge];
    let form = form_of(graph, owner, edge, value)?;
    Some(measure(graph, owner, value, form))
}

/// Whether the holder keeps a hash table (a Map, a Set).
fn has_table(graph: &HeapGraph, holder: NodeIndex) -> bool {
    graph.edge_target(holder, "table").is_some()
}

/// The edge of a Map's hash table that holds the value of the entry whose key reads `key`
/// (quoted text, as `PathStep.key` has it): V8 lays an entry out as key, value, chain.
fn map_value_edge(graph: &HeapGraph, table: NodeIndex, key: &str) -> Option<usize> {
    let reads = |node: NodeIndex| graph.kind(node).is_string() && classes::quoted_key(graph, node) == key;
    let key_slot = graph.edges(table).filter(|&e| reads(graph.edge_to[e])).find_map(|e| crate::retainers::slot_of(graph, e))?;
    graph.edges(table).find(|&e| crate::retainers::slot_of(graph, e) == Some(key_slot + 1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{edge, graph_of, node};

    #[test]
    fn a_concatenation_counts_its_parts_once_and_a_slice_its_parent() {
        let graph = graph_of(
            &[
                node("synthetic", "", 1, 0),
                node("concatenated string", "(concatenated string)", 3, 32),
                node("string", "aaaa", 5, 100),
                node("concatenated string", "(concatenated string)", 7, 32),
                node("sliced string", "aa", 9, 32),
            ],
            &[
                edge(0, "element", "1", 1),
                edge(1, "internal", "first", 2),
                edge(1, "internal", "second", 3),
                edge(3, "internal", "first", 2),
                edge(3, "internal", "second", 2),
                edge(4, "internal", "parent", 2),
            ],
        );
        assert_eq!(string_bytes(&graph, 1), 32 + 100 + 32);
        assert_eq!(string_bytes(&graph, 4), 32 + 100);
    }

    #[test]
    fn a_view_counts_its_array_buffer_and_an_array_of_numbers_its_store() {
        let graph = graph_of(
            &[
                node("synthetic", "", 1, 0),
                node("object", "system / Context", 3, 64),
                node("object", "Buffer", 5, 96),
                node("object", "ArrayBuffer", 7, 88),
                node("native", "system / JSArrayBufferData", 9, 5100),
                node("object", "Array", 11, 32),
                node("array", "(object elements)", 13, 1136),
                node("object", "Array", 15, 32),
                node("array", "(object elements)", 17, 64),
                node("object", "Thing", 19, 32),
            ],
            &[
                edge(0, "element", "1", 1),
                edge(1, "context", "webhookLog", 2),
                edge(1, "context", "latencies", 5),
                edge(1, "context", "things", 7),
                edge(2, "internal", "buffer", 3),
                edge(3, "internal", "backing_store", 4),
                edge(5, "internal", "elements", 6),
                edge(7, "internal", "elements", 8),
                edge(7, "element", "0", 9),
            ],
        );
        let slot = |edge_type: &str, name: &str| PathStep {
            edge: name.into(),
            edge_type: edge_type.into(),
            name: String::new(),
            node_type: String::new(),
            id: 0,
            elided: None,
            key: None,
            module_file: None,
            variable: None,
        };
        let buffer = measure_slot(&graph, 1, &slot("context", "webhookLog")).unwrap();
        assert_eq!((buffer.form, buffer.bytes, buffer.id, buffer.name.as_str()), (ValueForm::View, 96 + 88 + 5100, 5, "Buffer"));
        let elements = |holder| measure_slot(&graph, holder, &slot("internal", "elements"));
        let numbers = elements(5).unwrap();
        assert_eq!((numbers.form, numbers.bytes, numbers.id), (ValueForm::Numbers, 32 + 1136, 11));
        // An Array of objects grows in objects, which the diff counts: not measured here.
        assert!(elements(7).is_none());
    }

    #[test]
    fn a_maps_value_is_found_by_its_key_in_whatever_slot_it_sits() {
        let graph = graph_of(
            &[
                node("synthetic", "", 1, 0),
                node("object", "Map", 3, 32),
                node("array", "(internal array)", 5, 64),
                node("string", "other", 7, 24),
                node("string", "acme", 9, 24),
                node("string", "a string value", 11, 40),
                node("string", "the one for acme", 13, 48),
            ],
            &[
                edge(0, "element", "1", 1),
                edge(1, "internal", "table", 2),
                edge(2, "internal", "3", 3),
                edge(2, "internal", "4", 5),
                edge(2, "internal", "6", 4),
                edge(2, "internal", "7", 6),
            ],
        );
        let slot = PathStep {
            edge: "4".into(),
            edge_type: "internal".into(),
            name: String::new(),
            node_type: String::new(),
            id: 0,
            elided: None,
            key: Some("\"acme\"".into()),
            module_file: None,
            variable: None,
        };
        let value = measure_slot(&graph, 1, &slot).unwrap();
        assert_eq!((value.form, value.bytes, value.id), (ValueForm::String, 48, 13), "by its key, not its old slot");
    }
}
