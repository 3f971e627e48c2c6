//! Parser tests on hand-written snapshots: every split point, every section cut short, and
//! inputs that lie.

use super::*;
use crate::error::LeakhuntError;
use crate::test_support::{edge, node, parse_str, snapshot_json};

fn sample() -> String {
    snapshot_json(
        &[node("synthetic", "", 1, 0), node("object", "Thing", 3, 32), node("string", "h\u{e9}llo \"q\"", 5, 16)],
        &[edge(0, "element", "1", 1), edge(1, "property", "label", 2), edge(1, "weak", "w", 0)],
    )
}

fn parse_chunks(text: &[u8], sizes: &[usize], mode: ParseMode) -> crate::Result<ParsedSnapshot> {
    let mut p = SnapshotParser::new("test", mode, None);
    let mut rest = text;
    let mut k = 0;
    while !rest.is_empty() {
        let n = sizes[k % sizes.len()].min(rest.len()).max(1);
        p.write(&rest[..n])?;
        rest = &rest[n..];
        k += 1;
    }
    p.finish()
}

#[test]
fn reads_every_section() {
    let parsed = parse_str(&sample(), ParseMode::Full).unwrap();
    assert_eq!(parsed.nodes.ids, vec![1, 3, 5]);
    assert_eq!(parsed.nodes.self_sizes, vec![0, 32, 16]);
    assert_eq!(parsed.nodes.edge_counts, vec![1, 2, 0]);
    assert_eq!(parsed.edges.to, vec![1, 2, 0]);
    assert_eq!(parsed.strings.get(parsed.nodes.names[2]), "h\u{e9}llo \"q\"");
    assert_eq!(parsed.layout.node_field_count, 7);
}

#[test]
fn any_split_point_gives_the_same_result() {
    let text = sample().into_bytes();
    let whole = parse_str(std::str::from_utf8(&text).unwrap(), ParseMode::Full).unwrap();
    for split in 1..text.len() {
        let mut p = SnapshotParser::new("test", ParseMode::Full, None);
        p.write(&text[..split]).unwrap();
        p.write(&text[split..]).unwrap();
        let parsed = p.finish().unwrap();
        assert_eq!(parsed.nodes.ids, whole.nodes.ids, "split {split}");
        assert_eq!(parsed.nodes.names, whole.nodes.names, "split {split}");
        assert_eq!(parsed.edges.to, whole.edges.to, "split {split}");
        assert_eq!(parsed.edges.names, whole.edges.names, "split {split}");
        assert_eq!(parsed.strings.len(), whole.strings.len(), "split {split}");
        for s in 0..whole.strings.len() as u32 {
            assert_eq!(parsed.strings.get(s), whole.strings.get(s), "split {split}");
        }
    }
    for sizes in [&[1usize][..], &[2, 3, 5], &[7, 1, 64]] {
        let parsed = parse_chunks(&text, sizes, ParseMode::Full).unwrap();
        assert_eq!(parsed.edges.to, whole.edges.to);
    }
}

#[test]
fn ids_mode_keeps_ids_and_sizes_only() {
    let parsed = parse_chunks(sample().as_bytes(), &[3], ParseMode::Ids).unwrap();
    let ids = IdSnapshot::from_parsed(parsed);
    assert_eq!(ids.ids, vec![1, 3, 5]);
    assert_eq!(ids.total_size, 48);
    assert!(ids.contains(3) && !ids.contains(7));
}

#[test]
fn truncation_anywhere_is_a_truncated_error_with_an_offset() {
    let text = sample().into_bytes();
    for cut in 0..text.len() - 1 {
        let mut p = SnapshotParser::new("cut.heapsnapshot", ParseMode::Full, None);
        p.write(&text[..cut]).unwrap();
        match p.finish() {
            Err(LeakhuntError::Truncated { at, .. }) => assert_eq!(at.offset, cut as u64),
            other => panic!("cut at {cut}: expected Truncated, got {:?}", other.map(|_| ())),
        }
    }
}

#[test]
fn errors_name_the_source_and_the_offset() {
    let text = sample().replace("\"nodes\":[", "\"nodes\":[x");
    let err = parse_str(&text, ParseMode::Full).unwrap_err();
    let message = err.to_string();
    assert_eq!(err.code(), "ERR_LEAKHUNT_SNAPSHOT_SYNTAX");
    let offset = text.find("[x").unwrap() + 1;
    assert!(message.contains(&format!("test at byte {offset}")), "{message}");
    assert!(message.contains("\"nodes\""), "{message}");
}

#[test]
fn numbers_that_are_not_non_negative_integers_are_rejected() {
    for bad in ["-1", "1.5", "1e3", "99999999999999999999999"] {
        let text = sample().replace("\"nodes\":[9,", &format!("\"nodes\":[{bad},"));
        let err = parse_str(&text, ParseMode::Full).unwrap_err();
        assert_eq!(err.code(), "ERR_LEAKHUNT_SNAPSHOT_SYNTAX", "{bad}: {err}");
    }
}

#[test]
fn lying_counts_neither_allocate_nor_pass() {
    let text = sample().replace("\"node_count\":3", "\"node_count\":2147483648");
    let err = parse_str(&text, ParseMode::Full).unwrap_err();
    assert_eq!(err.code(), "ERR_LEAKHUNT_SNAPSHOT_INVALID");
    assert!(err.to_string().contains("2147483648"));
    // Without a size hint the reservation is capped too; this would abort if it were not.
    let mut p = SnapshotParser::new("s", ParseMode::Full, None);
    p.write(sample().replace("\"edge_count\":3", "\"edge_count\":4000000000000").as_bytes()).unwrap();
    assert_eq!(p.finish().unwrap_err().code(), "ERR_LEAKHUNT_SNAPSHOT_INVALID");
}

#[test]
fn edges_past_the_nodes_and_bad_string_indexes_are_invalid() {
    let text = sample().replace("\"edges\":[1,1,7", "\"edges\":[1,1,700");
    let err = crate::graph::HeapGraph::from_parsed(parse_str(&text, ParseMode::Full).unwrap()).err().unwrap();
    assert_eq!(err.code(), "ERR_LEAKHUNT_SNAPSHOT_INVALID");
    let text = sample().replace("\"edges\":[1,1,7", "\"edges\":[1,1,8");
    assert_eq!(parse_str(&text, ParseMode::Full).unwrap_err().code(), "ERR_LEAKHUNT_SNAPSHOT_SYNTAX");
    let text = sample().replace("\"nodes\":[9,1,", "\"nodes\":[9,100,");
    let err = crate::graph::HeapGraph::from_parsed(parse_str(&text, ParseMode::Full).unwrap()).err().unwrap();
    assert!(err.to_string().contains("names string 100"), "{err}");
}

#[test]
fn layout_comes_from_meta_not_from_fixed_positions() {
    // Node 24 without allocation tracking: no trace_node_id; fields in another order.
    let text = r#"{"snapshot":{"meta":{"node_fields":["id","type","name","edge_count","self_size"],"node_types":[["object","synthetic"]],"edge_fields":["to_node","type","name_or_index"],"edge_types":[["property","weak"]]},"node_count":2,"edge_count":1},
"nodes":[1,1,0,1,0, 3,0,1,0,24],"edges":[5,0,2],"strings":["","Foo","x"]}"#;
    let parsed = parse_str(text, ParseMode::Full).unwrap();
    assert_eq!(parsed.nodes.ids, vec![1, 3]);
    assert_eq!(parsed.nodes.self_sizes, vec![0, 24]);
    assert_eq!(parsed.edges.to, vec![1]);
    assert!(parsed.layout.node_trace_node_id.is_none());
    let graph = crate::graph::HeapGraph::from_parsed(parsed).unwrap();
    assert_eq!(graph.name(1), "Foo");
    assert_eq!(graph.edge_name(0), "x");
}

#[test]
fn hostile_shapes_are_clear_errors() {
    let cases: &[(&str, &str)] = &[
        ("", "ERR_LEAKHUNT_SNAPSHOT_TRUNCATED"),
        ("[]", "ERR_LEAKHUNT_SNAPSHOT_SYNTAX"),
        ("{}", "ERR_LEAKHUNT_SNAPSHOT_LAYOUT"),
        ("{\"nodes\":[1,2]}", "ERR_LEAKHUNT_SNAPSHOT_SYNTAX"),
        ("{\"snapshot\":{\"meta\":{}}}", "ERR_LEAKHUNT_SNAPSHOT_LAYOUT"),
        ("{\"snapshot\":[[[[[[[[[[[[[[]]]]]]]]]]]]]]}", "ERR_LEAKHUNT_SNAPSHOT_LAYOUT"),
        ("{\"a\":1} trailing", "ERR_LEAKHUNT_SNAPSHOT_SYNTAX"),
        ("{\"snapshot\" 1}", "ERR_LEAKHUNT_SNAPSHOT_SYNTAX"),
    ];
    for (text, code) in cases {
        let err = parse_str(text, ParseMode::Full).unwrap_err();
        assert_eq!(err.code(), *code, "{text:?}: {err}");
    }
    // Deep nesting in a skipped section costs nothing and is fine.
    let deep = format!("{{\"x\":{}{}}}", "[".repeat(100_000), "]".repeat(100_000));
    assert_eq!(parse_str(&deep, ParseMode::Full).unwrap_err().code(), "ERR_LEAKHUNT_SNAPSHOT_LAYOUT");
}

#[test]
fn trace_tree_and_locations_are_read() {
    let text = sample()
        .replace("\"trace_tree\":[]", "\"trace_tree\":[1,0,0,0,[2,1,3,96,[],3,2,1,32,[4,1,1,8,[]]]]")
        .replace("\"locations\":[]", "\"locations\":[7,4,10,2]")
        .replace("\"trace_function_infos\":[]", "\"trace_function_infos\":[1,2,0,0,0,0]");
    let parsed = parse_str(&text, ParseMode::Full).unwrap();
    let parents: Vec<u32> = parsed.trace_tree.iter().map(|t| t.parent).collect();
    assert_eq!(parents, vec![u32::MAX, 0, 0, 2]);
    assert_eq!(parsed.trace_tree[1].count, 3);
    assert_eq!(parsed.locations, vec![Location { node: 1, script_id: 4, line: 10, column: 2 }]);
    assert_eq!(parsed.trace_function_infos.len(), 6);
}

#[test]
fn negative_locations_are_dropped_at_any_split_point_and_negatives_elsewhere_fail() {
    // Vitest's module runner compiles with negative line offsets; V8 writes them as they are.
    let text = sample().replace("\"locations\":[]", "\"locations\":[0,4,-196,3,7,4,10,2]");
    for split in 0..text.len() {
        let mut parser = SnapshotParser::new("t", ParseMode::Full, None);
        parser.write(&text.as_bytes()[..split]).unwrap();
        parser.write(&text.as_bytes()[split..]).unwrap();
        let parsed = parser.finish().unwrap();
        assert_eq!(parsed.locations, vec![Location { node: 1, script_id: 4, line: 10, column: 2 }], "split at {split}");
    }
    let bad = sample().replace("\"locations\":[]", "\"locations\":[0,4,-,3]");
    assert_eq!(parse_str(&bad, ParseMode::Full).unwrap_err().code(), "ERR_LEAKHUNT_SNAPSHOT_SYNTAX");
    let negative_node = sample().replacen("\"nodes\":[", "\"nodes\":[-", 1);
    assert_eq!(parse_str(&negative_node, ParseMode::Full).unwrap_err().code(), "ERR_LEAKHUNT_SNAPSHOT_SYNTAX");
}

#[test]
fn ids_mode_skips_sections_with_brackets_quotes_and_escapes_in_them() {
    // Ids mode jumps over unused sections eight bytes at a time; strings full of the bytes
    // it looks for, at every alignment and split point, must not throw it off.
    let tricky = ["[{\"]}", "\\\\\"]", "12345678]", "a\\\"b[c{d", "\u{e9}\\u0041]]]]]]]]"];
    let nodes: Vec<_> =
        (0..tricky.len()).map(|i| node(if i == 0 { "synthetic" } else { "string" }, tricky[i], 2 * i as u32 + 1, 8 + i as u64)).collect();
    let edges: Vec<_> = (1..tricky.len()).map(|i| edge(0, "element", &i.to_string(), i)).collect();
    let text = snapshot_json(&nodes, &edges).replace("\"samples\":[]", "\"samples\":[[1,2],{\"k\":\"]\"},\"}\",[]]");
    let full = parse_str(&text, ParseMode::Full).unwrap();
    for pad in 0..8 {
        let padded = format!("{}{text}", " ".repeat(pad));
        for sizes in [vec![1usize], vec![3, 5], vec![7, 9, 11], vec![1 << 20]] {
            let ids = parse_chunks(padded.as_bytes(), &sizes, ParseMode::Ids).unwrap();
            assert_eq!(ids.nodes.ids, full.nodes.ids, "pad {pad}, chunks {sizes:?}");
            assert_eq!(ids.nodes.total_self_size, full.nodes.total_self_size);
        }
    }
}

#[test]
fn sizes_of_4_gib_and_more_are_kept_exactly() {
    let text = snapshot_json(&[node("synthetic", "", 1, 0), node("native", "huge buffer", 3, 5 << 30)], &[edge(0, "element", "1", 1)]);
    let graph = crate::graph::HeapGraph::from_parsed(parse_str(&text, ParseMode::Full).unwrap()).unwrap();
    assert_eq!(graph.self_size(1), 5 << 30);
    assert_eq!(graph.total_size(), 5 << 30);
    let ids = parse_str(&text, ParseMode::Ids).unwrap();
    assert_eq!(ids.nodes.total_self_size, 5 << 30);
}

#[test]
fn trace_node_ids_are_kept_only_when_some_are_set() {
    let untracked = parse_str(&sample(), ParseMode::Full).unwrap();
    assert!(untracked.nodes.trace_node_ids.is_empty(), "all zero: nothing stored");
}

#[test]
fn element_indexes_past_2_to_the_29_keep_their_value() {
    // The graph packs an edge's type and name into one word; a sparse array's huge index
    // goes to a side table.
    let huge = (1u64 << 31) + 5;
    let text = snapshot_json(
        &[node("synthetic", "", 1, 0), node("object", "Sparse", 3, 8), node("object", "Item", 5, 8)],
        &[edge(0, "property", "sparse", 1), edge(1, "element", &huge.to_string(), 2), edge(1, "property", "length", 2)],
    );
    let graph = crate::graph::HeapGraph::from_parsed(parse_str(&text, ParseMode::Full).unwrap()).unwrap();
    assert_eq!(graph.edge_name(1), format!("[{huge}]"));
    assert_eq!(graph.edge_kind(1), EdgeKind::Element);
    assert_eq!(graph.edge_name(2), "length");
    assert_eq!(graph.edge_target(1, "length"), Some(2));
}

#[test]
fn more_than_eight_edge_types_is_a_layout_error() {
    let meta = crate::test_support::META.replace("\"weak\"]", "\"weak\",\"a\",\"b\"]");
    let text = format!("{{\"snapshot\":{{\"meta\":{meta},\"node_count\":0,\"edge_count\":0}},\"nodes\":[],\"edges\":[],\"strings\":[]}}");
    let err = parse_str(&text, ParseMode::Full).unwrap_err();
    assert!(err.to_string().contains("9 edge types"), "{err}");
}

#[test]
fn a_file_parsed_in_two_halves_equals_one_parsed_on_one_thread() {
    let dir = std::env::temp_dir().join(format!("leakhunt-split-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let progress = crate::progress::Progress::default();
    let text = sample().replace("\"samples\":[]", "\"samples\":[\"edges\",{\"edges\":[1]}]");
    let cases = [
        ("whole.heapsnapshot", text.clone()),
        // Errors must be the ones a sequential reading meets first.
        ("truncated-in-edges.heapsnapshot", text[..text.find("\"edges\":[").unwrap() + 12].to_string()),
        ("bad-nodes.heapsnapshot", text.replacen("\"nodes\":[", "\"nodes\":[x", 1)),
        ("bad-edge-count.heapsnapshot", text.replacen("\"edge_count\":3", "\"edge_count\":4", 1)),
        ("no-edges.heapsnapshot", text.replacen("\"edges\"", "\"edgez\"", 1)),
        // Far enough from the first that the edges half has stopped reading (it reads 128 KB at
        // a time): only the other half can see it.
        (
            "two-edges.heapsnapshot",
            text.replacen("\"strings\":", &format!("\"pad\":[{}0],\"edges\":[],\"strings\":", "0,".repeat(200_000)), 1),
        ),
    ];
    for (name, content) in cases {
        let path = dir.join(name);
        std::fs::write(&path, &content).unwrap();
        let path = path.to_str().unwrap();
        let split = super::parse_file_from(path, ParseMode::Full, &progress, 0);
        let one = super::parse_file_from(path, ParseMode::Full, &progress, u64::MAX);
        match (split, one) {
            (Ok(a), Ok(b)) => {
                assert_eq!(a.nodes.ids, b.nodes.ids, "{name}");
                assert_eq!(a.edges.to, b.edges.to, "{name}");
                assert_eq!(a.edges.names, b.edges.names, "{name}");
                assert_eq!(a.edges.types, b.edges.types, "{name}");
                assert_eq!(a.strings.len(), b.strings.len(), "{name}");
            }
            (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string(), "{name}"),
            (a, b) => panic!("{name}: split {:?} but one thread {:?}", a.err(), b.err()),
        }
    }
    assert!(super::parse_file_from(dir.join("whole.heapsnapshot").to_str().unwrap(), ParseMode::Full, &progress, 0).is_ok());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_fast_number_loop_agrees_with_the_byte_loop_on_every_shape() {
    // Whole text in one chunk takes the fast loop for long arrays; one byte at a time never
    // does (it needs room before the chunk's end). Both must give the same result or error.
    let many: Vec<_> = (0..40).map(|i| node(if i == 0 { "synthetic" } else { "object" }, "T", 2 * i + 1, 1u64 << (i % 40))).collect();
    let base = snapshot_json(&many, &[]);
    let locations = "\"locations\":[0,1,2,3\n,7,4,-5,6 , 14,0000000000000000000001,9,4294967296\n,21,1,2,3]";
    let mut texts = vec![
        base.clone(),
        base.replace(",\n", "\n,"),
        base.replace(",\n", " , "),
        base.replace(",\n", ",\r\n"),
        base.replace("\"locations\":[]", locations),
    ];
    let bad_nodes = ["1.5", "--1", "1,,2", "1,]", "18446744073709551616", "99999999999999999999", "7x", "1\n\n,2"];
    let marker = "3,1,21,";
    assert!(base.contains(marker), "a node deep in the array to replace");
    for bad in bad_nodes {
        texts.push(base.replacen(marker, &format!("3,1,21,{bad},"), 1));
    }
    for bad in ["1,-", "1,2 x", "-,1", "1,,", "184467440737095516150"] {
        texts.push(
            base.replace("\"locations\":[]", &format!("\"locations\":[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,{bad},1,2,3]")),
        );
    }
    for text in &texts {
        let whole = parse_chunks(text.as_bytes(), &[1 << 20], ParseMode::Full);
        let bytewise = parse_chunks(text.as_bytes(), &[1], ParseMode::Full);
        match (&whole, &bytewise) {
            (Ok(a), Ok(b)) => {
                assert_eq!(a.nodes.ids, b.nodes.ids);
                assert_eq!(a.nodes.self_sizes, b.nodes.self_sizes);
                assert_eq!(a.nodes.large_self_sizes, b.nodes.large_self_sizes);
                assert_eq!(a.locations, b.locations);
            }
            // What was found is quoted from the chunk at hand, so it differs; the rest may not.
            (Err(a), Err(b)) => {
                let (a, b) = (a.to_string(), b.to_string());
                assert_eq!(a.split(", found").next(), b.split(", found").next());
            }
            _ => panic!(
                "one chunk and one byte at a time disagree on {text:?}: {:?} / {:?}",
                whole.as_ref().map(|_| ()),
                bytewise.as_ref().map(|_| ())
            ),
        }
    }
    let ok = texts.iter().filter(|t| parse_str(t, ParseMode::Full).is_ok()).count();
    assert_eq!(ok, 5, "the five clean shapes parse, every broken one fails");
}
