//! The streaming parser on arbitrary bytes, fed in chunks whose sizes the input also chooses,
//! in both modes; whatever parses goes on through the graph, dominators, retainer paths and a
//! summary. Any panic, hang or runaway allocation is a finding; errors are fine. Properties are
//! checked besides: what parses in full also parses in ids mode (which skips sections by a
//! faster path), to the same ids and total size; so do the two halves a large file is split
//! into (`Sections`), to the same nodes and edges; and so does the whole input in one chunk.
#![no_main]
use leakhunt::analysis::AnalyzedSnapshot;
use leakhunt::graph::HeapGraph;
use leakhunt::snapshot::{ParseMode, Sections, SnapshotParser};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if data.len() < 2 {
        return;
    }
    // The first two bytes pick the chunking: split sizes cycle through 1..=step.
    let (control, text) = data.split_at(2);
    let step = (control[0] as usize % 64) + 1;
    let hint = if control[1] & 1 == 0 { Some(text.len() as u64) } else { None };
    // The whole text as one chunk (where the scanner's fast loop runs) against the chunks
    // below (where, in small chunks, it cannot): the same result or the same error.
    let whole = {
        let mut p = SnapshotParser::new("fuzz", ParseMode::Full, hint);
        p.write(text).and_then(|_| p.finish())
    };
    let mut full_ids: Option<(Vec<u32>, u64)> = None;
    for mode in [ParseMode::Full, ParseMode::Ids] {
        let mut parser = SnapshotParser::new("fuzz", mode, hint);
        let mut offset = 0;
        let mut k = 0;
        let mut failed = false;
        while offset < text.len() {
            let size = (k % step) + 1 + (control[1] as usize >> 1) * (k % 2);
            let end = (offset + size).min(text.len());
            if parser.write(&text[offset..end]).is_err() {
                failed = true;
                break;
            }
            offset = end;
            k += 1;
        }
        let result = if failed { Err(None) } else { parser.finish().map_err(Some) };
        if mode == ParseMode::Full {
            match (&whole, &result) {
                (Ok(a), Ok(b)) => {
                    assert_eq!(a.nodes.ids, b.nodes.ids, "one chunk and many disagree on ids");
                    assert_eq!(a.nodes.self_sizes, b.nodes.self_sizes, "one chunk and many disagree on sizes");
                    assert_eq!(a.edges.to, b.edges.to, "one chunk and many disagree on edges");
                    assert_eq!(a.locations, b.locations, "one chunk and many disagree on locations");
                }
                (Err(_), Err(_)) => {}
                _ => panic!("one chunk and many disagree on whether the input parses"),
            }
        }
        let parsed = result.ok();
        if mode == ParseMode::Ids {
            if let Some((ids, total)) = &full_ids {
                let parsed = parsed.as_ref().expect("parses in full but not in ids mode");
                assert_eq!(&parsed.nodes.ids, ids, "ids mode disagrees with full mode");
                assert_eq!(parsed.nodes.total_self_size, *total);
            }
        }
        let Some(parsed) = parsed else { continue };
        if mode == ParseMode::Full {
            full_ids = Some((parsed.nodes.ids.clone(), parsed.nodes.total_self_size));
            let half = |sections| {
                let mut p = SnapshotParser::for_sections("fuzz", sections, None);
                p.write(text).and_then(|_| p.finish()).expect("parses in full but not in halves")
            };
            assert_eq!(half(Sections::EdgesOnly).edges.to, parsed.edges.to, "the edges half disagrees");
            let rest = half(Sections::AllButEdges);
            assert_eq!(rest.nodes.ids, parsed.nodes.ids, "the other half disagrees");
            assert_eq!(rest.strings.len(), parsed.strings.len());
            if let Ok(graph) = HeapGraph::from_parsed(parsed) {
                let analyzed = AnalyzedSnapshot::new(graph);
                let _ = analyzed.summary(5);
                let _ = analyzed.locate(&["a".to_string(), "b".to_string()]);
            }
        }
    }
});
