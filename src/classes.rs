//! What a person calls a node: its class for grouping ("LeakyThing", a closure and where it
//! is defined, "string"), whether it is V8's own bookkeeping, and how to print it safely.

use crate::graph::{HeapGraph, NodeIndex};
use crate::snapshot::{EdgeKind, NodeKind};
use serde::Serialize;

/// Where a function is defined.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SourceLocation {
    pub script_id: u32,
    /// The script's file name or URL, when the heap links it.
    pub script_name: Option<String>,
    /// 1-based, as editors count.
    pub line: u32,
    /// 1-based.
    pub column: u32,
}

/// Heap strings are printed at most this long: they hold tokens and passwords.
pub const MAX_DISPLAY_CHARS: usize = 40;

/// Cuts text from the heap for display, marking the cut.
pub fn truncate_for_display(text: &str, max_chars: usize) -> String {
    let mut out: String = text.chars().take(max_chars).map(|c| if c.is_control() { ' ' } else { c }).collect();
    if text.chars().nth(max_chars).is_some() {
        out.push('…');
    }
    out
}

/// The grouping key of a node: kind label plus name; closures also by their location.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ClassKey {
    pub kind: &'static str,
    pub name: String,
    /// (script id, line, column) of a closure's definition.
    pub location: Option<(u32, u32, u32)>,
}

pub fn kind_label(kind: NodeKind) -> &'static str {
    match kind {
        NodeKind::Hidden => "hidden",
        NodeKind::Array => "internal array",
        NodeKind::String | NodeKind::ConcatenatedString | NodeKind::SlicedString => "string",
        NodeKind::Object => "object",
        NodeKind::Code => "code",
        NodeKind::Closure => "closure",
        NodeKind::RegExp => "regexp",
        NodeKind::Number => "number",
        NodeKind::Native => "native",
        NodeKind::Synthetic => "synthetic",
        NodeKind::Symbol => "symbol",
        NodeKind::BigInt => "bigint",
        NodeKind::ObjectShape => "object shape",
        NodeKind::Wasm => "wasm object",
        NodeKind::Other => "other",
    }
}

/// The class name used for grouping and summaries.
pub fn class_name(graph: &HeapGraph, node: NodeIndex) -> String {
    let kind = graph.kind(node);
    match kind {
        k if k.is_string() => "(string)".to_string(),
        NodeKind::Number => "(heap number)".to_string(),
        NodeKind::Symbol => "(symbol)".to_string(),
        NodeKind::BigInt => "(bigint)".to_string(),
        // V8 names a RegExp by its source: one class, however many patterns (a RegExp built
        // per call from a value would otherwise be a class of one, never seen to grow).
        NodeKind::RegExp => "RegExp".to_string(),
        NodeKind::Closure => {
            let (prefix, named) = match bound_target(graph, node) {
                Some(target) => ("bound ", target),
                None => ("", node),
            };
            let name = graph.name(named);
            if name.is_empty() {
                format!("{prefix}(anonymous function)")
            } else {
                format!("{prefix}{name}()")
            }
        }
        _ => {
            let name = graph.name(node);
            if name.is_empty() {
                format!("({})", kind_label(kind))
            } else if graph.is_detached(node) {
                // As DevTools and MemLab say it: a DOM node no document holds.
                format!("Detached {name}")
            } else {
                name.to_string()
            }
        }
    }
}

/// The function a bound function calls, through any number of `bind`s. V8 names every bound
/// function "native_bind" (its builtin) and links it to its target by an internal
/// `bound_function` edge.
pub fn bound_target(graph: &HeapGraph, closure: NodeIndex) -> Option<NodeIndex> {
    let mut target = graph.edge_target(closure, "bound_function")?;
    // Binds of binds are short chains; the bound is for hostile input.
    for _ in 0..16 {
        match graph.edge_target(target, "bound_function") {
            Some(next) if graph.kind(next) == NodeKind::Closure => target = next,
            _ => break,
        }
    }
    (graph.kind(target) == NodeKind::Closure).then_some(target)
}

/// The closure whose source defines a function: itself, or for a bound function its target.
pub fn defining_closure(graph: &HeapGraph, closure: NodeIndex) -> NodeIndex {
    bound_target(graph, closure).unwrap_or(closure)
}

pub fn class_key(graph: &HeapGraph, node: NodeIndex) -> ClassKey {
    let kind = graph.kind(node);
    let location = if kind == NodeKind::Closure {
        graph.location(defining_closure(graph, node)).map(|l| (l.script_id, l.line, l.column))
    } else {
        None
    };
    ClassKey { kind: kind_label(kind), name: class_name(graph, node), location }
}

/// The file or URL of the script that defines a closure: V8 links closure -> `shared`
/// (SharedFunctionInfo) -> `script_or_debug_info` (the Script, named by its URL, or a
/// DebugInfo that links on to it).
pub fn closure_script_name(graph: &HeapGraph, closure: NodeIndex) -> Option<String> {
    let shared = graph.edge_target(closure, "shared")?;
    let script = graph.edge_target(shared, "script_or_debug_info").or_else(|| graph.edge_target(shared, "script"))?;
    // Node names a script node by its file; Chrome by `system / Script / <url>`.
    let named = |node: NodeIndex| {
        let name = graph.name(node);
        name.strip_prefix("system / Script / ").or((!name.is_empty() && !name.starts_with("system / ")).then_some(name))
    };
    let name = match named(script) {
        Some(name) => name,
        None => named(graph.edge_target(script, "script")?)?,
    };
    Some(truncate_for_display(name, 200))
}

/// Where a closure is defined (from the snapshot's `locations`), with its script's name.
pub fn closure_location(graph: &HeapGraph, closure: NodeIndex) -> Option<SourceLocation> {
    let l = graph.location(closure)?;
    Some(SourceLocation {
        script_id: l.script_id,
        script_name: closure_script_name(graph, closure),
        line: l.line + 1,
        column: l.column + 1,
    })
}

/// The constructor that made an object, as V8 records it: the object's `map` (hidden class),
/// back along `back_pointer` transitions to the root map, whose `constructor` is the function.
/// Unlike `__proto__.constructor`, no program can rewrite this.
pub fn constructor_of(graph: &HeapGraph, object: NodeIndex) -> Option<NodeIndex> {
    if graph.kind(object) != NodeKind::Object {
        return None;
    }
    let mut map = graph.edge_target(object, "map")?;
    // Transition chains are short; the bound is for hostile input.
    for _ in 0..64 {
        if let Some(ctor) = graph.edge_target(map, "constructor") {
            return (graph.kind(ctor) == NodeKind::Closure).then_some(ctor);
        }
        let back = graph.edge_target(map, "back_pointer")?;
        if graph.kind(back) != NodeKind::ObjectShape && graph.kind(back) != NodeKind::Hidden {
            return None;
        }
        map = back;
    }
    None
}

/// An object's class: the constructor function V8 names it by. The map keeps the constructor
/// that allocated the object, which for an instance of a derived class is the base class at the
/// root of its chain; V8 then names the object by its prototype's `constructor`
/// (`JSReceiver::GetConstructorName`), and so do we. A function of another name than the
/// object's is not its class: no class then, rather than the wrong one.
pub fn class_of(graph: &HeapGraph, object: NodeIndex) -> Option<NodeIndex> {
    let name = graph.name(object);
    if let Some(allocated_by) = constructor_of(graph, object) {
        if graph.name(allocated_by) == name {
            return Some(allocated_by);
        }
    }
    let prototype = graph.edge_target(graph.edge_target(object, "map")?, "prototype")?;
    let ctor = graph.edge_target(prototype, "constructor")?;
    (graph.kind(ctor) == NodeKind::Closure && graph.name(ctor) == name).then_some(ctor)
}

/// How a node appears in a retainer path: its class, or the (cut) text of a string.
pub fn display_name(graph: &HeapGraph, node: NodeIndex) -> String {
    if graph.kind(node).is_string() {
        format!("\"{}\"", truncate_for_display(&string_text(graph, node, MAX_DISPLAY_CHARS + 1), MAX_DISPLAY_CHARS))
    } else {
        truncate_for_display(&class_name(graph, node), 80)
    }
}

/// A string's text, up to `max_chars` characters: V8 names a concatenation
/// "(concatenated string)", so its text is read from its parts, first then second (an event
/// name built as `'order:' + id` is one on every Node release checked, 20 to 24).
pub fn string_text(graph: &HeapGraph, node: NodeIndex, max_chars: usize) -> String {
    if graph.kind(node) != NodeKind::ConcatenatedString {
        return graph.name(node).to_string();
    }
    let mut text = String::new();
    let mut stack = vec![node];
    // Parts are few for a name; the bound is for a long chain of appends.
    let mut budget = 4096;
    while let Some(s) = stack.pop() {
        if text.chars().count() >= max_chars || budget == 0 {
            break;
        }
        budget -= 1;
        if graph.kind(s) == NodeKind::ConcatenatedString {
            let (first, second) = (graph.edge_target(s, "first"), graph.edge_target(s, "second"));
            stack.extend(second);
            stack.extend(first);
        } else if graph.kind(s).is_string() {
            text.push_str(graph.name(s));
        }
    }
    text
}

/// A string as a key is shown (a Map's key, a record's key): its text, cut short, in quotes
/// with escapes, so that a key that is data never reads as code.
pub fn quoted_key(graph: &HeapGraph, node: NodeIndex) -> String {
    format!("{:?}", truncate_for_display(&string_text(graph, node, MAX_DISPLAY_CHARS + 1), MAX_DISPLAY_CHARS))
}

/// V8's own objects: reported only when asked (`includeInternals`), since every run of any
/// code creates some (compiled code, maps, feedback, contexts, internal arrays).
/// Storage an object keeps its contents in (elements, properties, a Map's hash table, a
/// `PropertyArray`): V8 replaces it as it grows, so a holder is the object above it, never it.
pub fn is_storage(graph: &HeapGraph, node: NodeIndex) -> bool {
    match graph.kind(node) {
        NodeKind::Array | NodeKind::Hidden | NodeKind::Code | NodeKind::ObjectShape => true,
        // Oilpan's backing stores of Blink's vectors and hash tables, replaced as they grow
        // (`blink::HeapVectorBacking<…>`, `blink::HeapHashTableBacking<…>`).
        NodeKind::Native => graph.name(node).contains("Backing<"),
        _ => false,
    }
}

/// A JavaScript collection: an object that holds entries (an Array, a Map, a Set, a plain
/// object used as a dictionary).
pub fn is_collection(graph: &HeapGraph, node: NodeIndex) -> bool {
    graph.kind(node) == NodeKind::Object && matches!(graph.name(node), "Array" | "Map" | "Set" | "Object")
}

/// Methods that end an object's life in Node's and the ecosystem's conventions (streams,
/// servers, sockets, timers, watchers, pools), in the order a fix would name them.
/// `unref` is not among them: it lets the process exit, but the resource stays open.
const CLEANUP_METHODS: [&str; 10] = ["close", "terminate", "destroy", "dispose", "stop", "shutdown", "disconnect", "kill", "end", "abort"];

/// The first cleanup method an object's prototype chain defines, if any: a hint can then
/// name the call that lets the object go.
pub fn cleanup_method(graph: &HeapGraph, object: NodeIndex) -> Option<&'static str> {
    let mut proto = graph.edge_target(object, "__proto__")?;
    // Prototype chains are short; the bound is for hostile input.
    for _ in 0..6 {
        if graph.kind(proto) != NodeKind::Object {
            return None;
        }
        let method = |m: &str| graph.edge_target(proto, m).is_some_and(|f| graph.kind(f) == NodeKind::Closure);
        if let Some(m) = CLEANUP_METHODS.iter().find(|m| method(m)) {
            return Some(m);
        }
        // An iterator ends with return() (what `break` in a for-await calls): a pub/sub
        // iterator unsubscribes its listener there.
        if method("next") && method("return") {
            return Some("return");
        }
        proto = graph.edge_target(proto, "__proto__")?;
    }
    None
}

/// A cleanup method set on the object itself rather than its class (a factory's instance, an
/// object literal whose `close` a library filled in): only where the program's own variable
/// holds the object, since plenty of objects carry a `close` field that ends nothing.
pub fn own_cleanup_method(graph: &HeapGraph, object: NodeIndex) -> Option<&'static str> {
    CLEANUP_METHODS.iter().copied().find(|m| {
        graph.edges(object).any(|e| {
            graph.edge_kind(e) == EdgeKind::Property && graph.edge_is_named(e, m) && graph.kind(graph.edge_to[e]) == NodeKind::Closure
        })
    })
}

/// Of `scopes`, those of the program's own code: a scope is the program's when a closure of
/// code outside `node_modules` and Node's own has it as its context. One pass over the closures.
pub fn program_scopes(graph: &HeapGraph, scopes: &std::collections::HashSet<NodeIndex>) -> std::collections::HashSet<NodeIndex> {
    let mut program = std::collections::HashSet::new();
    for closure in (0..graph.node_count() as NodeIndex).filter(|&c| graph.kind(c) == NodeKind::Closure) {
        let Some(scope) = graph.edge_target(closure, "context").filter(|c| scopes.contains(c) && !program.contains(c)) else { continue };
        let script = closure_script_name(graph, closure).unwrap_or_default();
        if !script.is_empty() && !script.contains("node_modules") && !script.starts_with("node:") {
            program.insert(scope);
        }
    }
    program
}

/// Closures a code generator names one by one (`validate20`, `validate21`, ...) are one class:
/// the name without its number.
pub fn numbered_family(name: &str) -> Option<String> {
    let stem = name.strip_suffix("()")?;
    let digits = stem.len() - stem.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    let prefix = &stem[..stem.len() - digits];
    (digits > 0 && prefix.ends_with(|c: char| c.is_alphabetic() || c == '_' || c == '$')).then(|| format!("{prefix}<n>()"))
}

pub fn is_internal(graph: &HeapGraph, node: NodeIndex) -> bool {
    match graph.kind(node) {
        NodeKind::Hidden | NodeKind::Array | NodeKind::Code | NodeKind::Synthetic | NodeKind::ObjectShape | NodeKind::Other => true,
        NodeKind::Object | NodeKind::Native => graph.name(node).starts_with("system / "),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{edge, graph_of, node};

    #[test]
    fn a_concatenated_strings_text_is_read_from_its_parts_in_order() {
        let graph = graph_of(
            &[
                node("synthetic", "", 1, 0),
                node("concatenated string", "(concatenated string)", 3, 32),
                node("concatenated string", "(concatenated string)", 5, 32),
                node("string", "job:", 7, 24),
                node("string", "emails", 9, 24),
                node("string", "-outbound", 11, 24),
            ],
            &[
                edge(0, "element", "1", 1),
                edge(1, "internal", "first", 2),
                edge(1, "internal", "second", 5),
                edge(2, "internal", "first", 3),
                edge(2, "internal", "second", 4),
            ],
        );
        assert_eq!(string_text(&graph, 1, 100), "job:emails-outbound");
        assert_eq!(display_name(&graph, 1), "\"job:emails-outbound\"");
        assert_eq!(string_text(&graph, 3, 100), "job:", "a flat string is its name");
    }

    #[test]
    fn a_bound_function_is_named_and_placed_by_its_target_through_binds_of_binds() {
        let graph = graph_of(
            &[
                node("synthetic", "", 1, 0),
                node("closure", "native_bind", 3, 32),
                node("closure", "native_bind", 5, 32),
                node("closure", "onTick", 7, 32),
                node("closure", "native_bind", 9, 32),
                node("closure", "", 11, 32),
            ],
            &[
                edge(0, "element", "1", 1),
                edge(0, "element", "2", 4),
                edge(1, "internal", "bound_function", 2),
                edge(2, "internal", "bound_function", 3),
                edge(4, "internal", "bound_function", 5),
            ],
        );
        assert_eq!(class_name(&graph, 1), "bound onTick()");
        assert_eq!(class_name(&graph, 2), "bound onTick()");
        assert_eq!(defining_closure(&graph, 1), 3);
        assert_eq!(class_name(&graph, 4), "bound (anonymous function)");
        assert_eq!(class_name(&graph, 3), "onTick()");
        assert_eq!(defining_closure(&graph, 3), 3);
    }

    #[test]
    fn truncation_marks_the_cut_and_hides_control_characters() {
        assert_eq!(truncate_for_display("short", 10), "short");
        assert_eq!(truncate_for_display("secret-token-123456", 6), "secret…");
        assert_eq!(truncate_for_display("a\nb", 10), "a b");
    }
}
