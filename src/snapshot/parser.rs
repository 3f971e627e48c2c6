//! A push parser for `.heapsnapshot` JSON: chunks of any size, split anywhere, go in through
//! `write`; the text is never held whole. Integer arrays go through a hand-written scanner
//! (2-3x faster than serde_json here); only the small `snapshot` header goes to serde_json.

use super::strings::{StringDecoder, StringStep, StringTable};
use super::{EdgeColumns, Layout, Location, NodeColumns, ParsedSnapshot, SnapshotHeader, TraceNode};
use crate::error::{LeakhuntError, Position, Result};

/// `Ids` keeps only what the baseline and target snapshots of a diff need (ids and sizes)
/// and skips edges and strings, so only the final snapshot is ever held as a full graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParseMode {
    Full,
    Ids,
}

/// Which sections a full parse reads. A file can be parsed by two parsers at once, one taking
/// the edges (about half the bytes) and the other everything else, each skipping what the other
/// reads; `snapshot::parse_file` merges the halves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sections {
    All,
    AllButEdges,
    EdgesOnly,
}

/// The header is a few KB in practice; this bounds what a hostile file can make us buffer.
const MAX_HEADER_BYTES: usize = 1 << 20;
/// Without a known input size, reserve at most this many entries up front; the vectors grow
/// past it as data actually arrives, so a lying `node_count` cannot force a giant allocation.
const MAX_BLIND_RESERVE: u64 = 1 << 20;
/// trace_tree nests one array per stack frame; deeper than this is not a real stack.
const MAX_TRACE_DEPTH: u32 = 10_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Header,
    Nodes,
    Edges,
    Strings,
    Locations,
    TraceFunctionInfos,
    TraceTree,
    Skipped,
}

impl Section {
    fn name(self) -> &'static str {
        match self {
            Section::Header => "\"snapshot\"",
            Section::Nodes => "\"nodes\"",
            Section::Edges => "\"edges\"",
            Section::Strings => "\"strings\"",
            Section::Locations => "\"locations\"",
            Section::TraceFunctionInfos => "\"trace_function_infos\"",
            Section::TraceTree => "\"trace_tree\"",
            Section::Skipped => "an unused section",
        }
    }

    fn bit(self) -> u32 {
        1 << (self as u32)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Top {
    Start,
    /// After `{`: a key or `}`.
    KeyOrEnd,
    /// After `,`: a key must follow.
    Key,
    InKey {
        escaped: bool,
    },
    Colon,
    ValueStart,
    InValue,
    AfterValue,
    Done,
}

/// Skips (and optionally captures) one JSON value of any shape.
#[derive(Debug, Default)]
struct Skim {
    started: bool,
    depth: u64,
    in_string: bool,
    escaped: bool,
    scalar: bool,
    capture: bool,
    buf: Vec<u8>,
}

enum Step {
    NeedMore,
    /// The value ended; this many bytes of the chunk belong to it.
    Done(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    Open,
    ValueOrClose,
    Value,
    CommaOrClose,
}

/// Scans arrays of non-negative integers (nested for `trace_tree`) and hands each number on.
#[derive(Debug)]
struct IntScanner {
    expect: Expect,
    depth: u32,
    max_depth: u32,
    in_number: bool,
    /// The number being scanned began with '-' (allowed in `locations` only).
    negative: bool,
    value: u64,
}

/// What a negative number in `locations` becomes. V8 writes negative lines and columns for
/// code compiled with negative offsets (`vm.Script` with `lineOffset`, as Vitest's module
/// runner does); such a location names no place in a file and is dropped.
const NEGATIVE: u64 = u64::MAX;

impl IntScanner {
    fn new(max_depth: u32) -> IntScanner {
        IntScanner { expect: Expect::Open, depth: 0, max_depth, in_number: false, negative: false, value: 0 }
    }
}

/// Where the nested trace_tree scanner is: field within a trace node, and the parent stack.
#[derive(Debug, Default)]
struct Sinks {
    field: usize,
    trace_fields: [u64; 4],
    trace_parents: Vec<u32>,
}

pub struct SnapshotParser {
    source: String,
    mode: ParseMode,
    sections: Sections,
    /// `EdgesOnly`: the edges are complete and the rest of the input is not needed.
    edges_done: bool,
    size_hint: Option<u64>,
    /// Bytes of input before the current chunk, for error offsets.
    consumed: u64,
    top: Top,
    section: Section,
    seen: u32,
    key: Vec<u8>,
    skim: Skim,
    ints: IntScanner,
    strings_expect: Expect,
    in_string: bool,
    decoder: StringDecoder,
    sinks: Sinks,
    /// Numbers scanned but not yet decoded into records (decoding in batches keeps the
    /// scanning loop tight).
    numbers: Vec<u64>,
    /// Records of the current section decoded so far, for error messages.
    records: u64,
    error: Option<String>,

    header: Option<SnapshotHeader>,
    layout: Option<Layout>,
    nodes: NodeColumns,
    edges: EdgeColumns,
    strings: StringTable,
    locations: Vec<Location>,
    trace_function_infos: Vec<u64>,
    trace_tree: Vec<TraceNode>,
}

impl SnapshotParser {
    /// `source` names the input in errors; `size_hint` (the file size, when known) caps what
    /// the header's counts may make us reserve.
    pub fn new(source: &str, mode: ParseMode, size_hint: Option<u64>) -> SnapshotParser {
        SnapshotParser {
            source: source.to_string(),
            mode,
            sections: Sections::All,
            edges_done: false,
            size_hint,
            consumed: 0,
            top: Top::Start,
            section: Section::Skipped,
            seen: 0,
            key: Vec::new(),
            skim: Skim::default(),
            ints: IntScanner::new(1),
            strings_expect: Expect::Open,
            in_string: false,
            decoder: StringDecoder::default(),
            sinks: Sinks::default(),
            numbers: Vec::new(),
            records: 0,
            error: None,
            header: None,
            layout: None,
            nodes: NodeColumns::default(),
            edges: EdgeColumns::default(),
            strings: StringTable::default(),
            locations: Vec::new(),
            trace_function_infos: Vec::new(),
            trace_tree: Vec::new(),
        }
    }

    /// A full parse of some sections only (see `Sections`).
    pub fn for_sections(source: &str, sections: Sections, size_hint: Option<u64>) -> SnapshotParser {
        SnapshotParser { sections, ..SnapshotParser::new(source, ParseMode::Full, size_hint) }
    }

    /// With `Sections::EdgesOnly`: the edges have been read, more input would be ignored.
    pub fn edges_done(&self) -> bool {
        self.edges_done
    }

    pub fn bytes_read(&self) -> u64 {
        self.consumed
    }

    fn at(&self, index: usize) -> Position {
        Position { source: self.source.clone(), offset: self.consumed + index as u64 }
    }

    /// The bytes at `index` are not what the section in progress allows.
    fn syntax(&self, index: usize, expected: &str, found: &[u8]) -> LeakhuntError {
        self.syntax_in(index, &self.section_label(), expected, describe(found))
    }

    /// A syntax error at `index`, for `section`, in words.
    fn syntax_in(&self, index: usize, section: &str, expected: impl Into<String>, found: impl Into<String>) -> LeakhuntError {
        LeakhuntError::Syntax { at: self.at(index), section: section.to_string(), expected: expected.into(), found: found.into() }
    }

    fn section_label(&self) -> String {
        match self.top {
            Top::InValue | Top::ValueStart => self.section.name().to_string(),
            _ => "the top-level object".to_string(),
        }
    }

    /// Feeds the next chunk. After an error the parser refuses further input.
    pub fn write(&mut self, chunk: &[u8]) -> Result<()> {
        if let Some(e) = &self.error {
            return Err(LeakhuntError::Usage(format!("the parser already failed: {e}")));
        }
        if self.edges_done {
            return Ok(());
        }
        let result = self.feed(chunk);
        match result {
            Ok(()) => {
                self.consumed += chunk.len() as u64;
                Ok(())
            }
            Err(e) => {
                self.error = Some(e.to_string());
                Err(e)
            }
        }
    }

    fn feed(&mut self, chunk: &[u8]) -> Result<()> {
        let mut i = 0;
        while i < chunk.len() {
            let b = chunk[i];
            match self.top {
                Top::InValue => {
                    let step = self.feed_value(chunk, i)?;
                    match step {
                        Step::NeedMore => return Ok(()),
                        Step::Done(n) => {
                            i += n;
                            self.end_section(i)?;
                            self.top = Top::AfterValue;
                            if self.edges_done {
                                // What follows is the other half's to read.
                                return Ok(());
                            }
                        }
                    }
                    continue;
                }
                Top::InKey { escaped } => {
                    if escaped {
                        self.push_key(b);
                        self.top = Top::InKey { escaped: false };
                    } else if b == b'\\' {
                        self.top = Top::InKey { escaped: true };
                    } else if b == b'"' {
                        self.top = Top::Colon;
                    } else {
                        self.push_key(b);
                    }
                    i += 1;
                    continue;
                }
                _ => {}
            }
            if is_ws(b) {
                i += 1;
                continue;
            }
            match (self.top, b) {
                (Top::Start, b'{') => self.top = Top::KeyOrEnd,
                (Top::Start, _) => return Err(self.syntax(i, "'{' (a heap snapshot is a JSON object)", &chunk[i..])),
                (Top::KeyOrEnd | Top::Key, b'"') => {
                    self.key.clear();
                    self.top = Top::InKey { escaped: false };
                }
                (Top::KeyOrEnd, b'}') => self.top = Top::Done,
                (Top::KeyOrEnd | Top::Key, _) => return Err(self.syntax(i, "a key in quotes", &chunk[i..])),
                (Top::Colon, b':') => {
                    self.begin_section(i)?;
                    self.top = Top::ValueStart;
                }
                (Top::Colon, _) => return Err(self.syntax(i, "':' after a key", &chunk[i..])),
                (Top::ValueStart, _) => {
                    // Do not consume: the section's scanner reads its own opening byte.
                    self.top = Top::InValue;
                    continue;
                }
                (Top::AfterValue, b',') => self.top = Top::Key,
                (Top::AfterValue, b'}') => self.top = Top::Done,
                (Top::AfterValue, _) => return Err(self.syntax(i, "',' or '}' after a value", &chunk[i..])),
                (Top::Done, _) => return Err(self.syntax(i, "the end of input after the snapshot", &chunk[i..])),
                (Top::InValue | Top::InKey { .. }, _) => unreachable!(),
            }
            i += 1;
        }
        Ok(())
    }

    fn push_key(&mut self, b: u8) {
        // Keys we know are short; a longer one is unknown whatever it says.
        if self.key.len() < 64 {
            self.key.push(b);
        }
    }

    fn begin_section(&mut self, index: usize) -> Result<()> {
        let full = self.mode == ParseMode::Full;
        // `rest`: the sections other than the edges, in full mode.
        let rest = full && self.sections != Sections::EdgesOnly;
        let section = match self.key.as_slice() {
            b"snapshot" => Section::Header,
            b"nodes" if self.sections != Sections::EdgesOnly => Section::Nodes,
            b"edges" if full && self.sections != Sections::AllButEdges => Section::Edges,
            b"strings" if rest => Section::Strings,
            b"locations" if rest => Section::Locations,
            b"trace_function_infos" if rest => Section::TraceFunctionInfos,
            // An id-only parse keeps which stack made each object too (`IdSnapshot::sites`).
            b"trace_tree" if rest || !full => Section::TraceTree,
            _ => Section::Skipped,
        };
        // The half that skips the edges still notes them, so a second "edges" is refused here
        // as a one-thread parse refuses it.
        let noted = if self.key.as_slice() == b"edges" && self.sections == Sections::AllButEdges { Section::Edges } else { section };
        if noted != Section::Skipped {
            if self.seen & noted.bit() != 0 {
                return Err(self.syntax_in(index, noted.name(), "each section once", "a second copy"));
            }
            self.seen |= noted.bit();
        }
        if section != Section::Header && section != Section::Skipped && self.layout.is_none() {
            return Err(self.syntax_in(index, section.name(), "the \"snapshot\" header (with its meta) before the arrays", section.name()));
        }
        self.section = section;
        self.sinks.field = 0;
        self.numbers.clear();
        self.records = 0;
        match section {
            Section::Header => self.skim = Skim { capture: true, ..Skim::default() },
            Section::Skipped => self.skim = Skim::default(),
            Section::Strings => {
                self.strings_expect = Expect::Open;
                self.in_string = false;
            }
            Section::TraceTree => {
                self.ints = IntScanner::new(MAX_TRACE_DEPTH);
                self.sinks.trace_parents.clear();
            }
            _ => self.ints = IntScanner::new(1),
        }
        if matches!(section, Section::Nodes | Section::Edges) {
            self.reserve(section);
        }
        Ok(())
    }

    /// Pre-allocates from the header's counts, but never beyond what the input could hold:
    /// each number takes at least two bytes ("0,").
    fn reserve(&mut self, section: Section) {
        let (header, layout) = match (&self.header, &self.layout) {
            (Some(h), Some(l)) => (h, l),
            _ => return,
        };
        let (declared, fields) = match section {
            Section::Nodes => (header.node_count, layout.node_field_count),
            _ => (header.edge_count, layout.edge_field_count),
        };
        let bound = match self.size_hint {
            Some(size) => size / (2 * fields as u64),
            None => MAX_BLIND_RESERVE,
        };
        let n = declared.min(bound) as usize;
        if section == Section::Nodes {
            let c = &mut self.nodes;
            c.ids.reserve(n);
            if self.mode == ParseMode::Full {
                c.self_sizes.reserve(n);
                c.types.reserve(n);
                c.names.reserve(n);
                c.edge_counts.reserve(n);
            }
        } else {
            self.edges.types.reserve(n);
            self.edges.names.reserve(n);
            self.edges.to.reserve(n);
        }
    }

    fn feed_value(&mut self, chunk: &[u8], start: usize) -> Result<Step> {
        match self.section {
            Section::Header | Section::Skipped => self.feed_skim(chunk, start),
            Section::Strings => self.feed_strings(chunk, start),
            Section::TraceTree => self.feed_ints(chunk, start),
            _ => {
                let step = self.feed_flat_ints(chunk, start)?;
                let end = match step {
                    Step::Done(n) => start + n,
                    Step::NeedMore => chunk.len(),
                };
                self.flush_records(end, matches!(step, Step::Done(_)))?;
                Ok(step)
            }
        }
    }

    fn feed_skim(&mut self, chunk: &[u8], start: usize) -> Result<Step> {
        let s = &mut self.skim;
        let mut i = start;
        if !s.started {
            // ValueStart already skipped whitespace, so this is the value's first byte.
            let b = chunk[i];
            s.started = true;
            match b {
                b'{' | b'[' => s.depth = 1,
                b'"' => s.in_string = true,
                b',' | b'}' | b']' | b':' => {
                    return Err(self.syntax(i, "a value", &chunk[i..]));
                }
                _ => s.scalar = true,
            }
            i += 1;
        }
        let s = &mut self.skim;
        let mut done = None;
        while i < chunk.len() {
            // Skipped sections are mostly long runs of digits and commas (an unused "edges")
            // or of plain text (unused "strings"): jump over them eight bytes at a time.
            if !s.scalar && !s.escaped {
                i = if s.in_string { skip_words(chunk, i, plain_string_bytes) } else { skip_words(chunk, i, plain_array_bytes) };
                if i >= chunk.len() {
                    break;
                }
            }
            let b = chunk[i];
            if s.in_string {
                if s.escaped {
                    s.escaped = false;
                } else if b == b'\\' {
                    s.escaped = true;
                } else if b == b'"' {
                    s.in_string = false;
                    if s.depth == 0 {
                        done = Some(i + 1);
                        break;
                    }
                }
            } else if s.scalar {
                if is_ws(b) || matches!(b, b',' | b'}' | b']') {
                    done = Some(i);
                    break;
                }
            } else {
                match b {
                    b'{' | b'[' => s.depth += 1,
                    b'}' | b']' => {
                        s.depth -= 1;
                        if s.depth == 0 {
                            done = Some(i + 1);
                            break;
                        }
                    }
                    b'"' => s.in_string = true,
                    _ => {}
                }
            }
            i += 1;
        }
        let end = done.unwrap_or(chunk.len());
        if s.capture {
            if s.buf.len() + (end - start) > MAX_HEADER_BYTES {
                return Err(LeakhuntError::invalid(
                    &self.source,
                    format!("the \"snapshot\" header is larger than {MAX_HEADER_BYTES} bytes"),
                ));
            }
            s.buf.extend_from_slice(&chunk[start..end]);
        }
        Ok(match done {
            Some(end) => Step::Done(end - start),
            None => Step::NeedMore,
        })
    }

    fn feed_strings(&mut self, chunk: &[u8], start: usize) -> Result<Step> {
        let mut i = start;
        while i < chunk.len() {
            if self.in_string {
                match self.decoder.feed(&mut self.strings, &chunk[i..]) {
                    StringStep::NeedMore => return Ok(Step::NeedMore),
                    StringStep::Closed { consumed } => {
                        i += consumed;
                        self.in_string = false;
                        self.strings_expect = Expect::CommaOrClose;
                        continue;
                    }
                    StringStep::BadEscape { at, .. } => return Err(self.syntax(i + at, "a valid escape in a string", &chunk[i + at..])),
                }
            }
            let b = chunk[i];
            if is_ws(b) {
                i += 1;
                continue;
            }
            match (self.strings_expect, b) {
                (Expect::Open, b'[') => self.strings_expect = Expect::ValueOrClose,
                (Expect::ValueOrClose | Expect::Value, b'"') => {
                    self.in_string = true;
                    self.decoder.begin(&self.strings);
                }
                (Expect::ValueOrClose | Expect::CommaOrClose, b']') => {
                    return Ok(Step::Done(i + 1 - start));
                }
                (Expect::CommaOrClose, b',') => self.strings_expect = Expect::Value,
                (expect, _) => {
                    let what = match expect {
                        Expect::Open => "'[' (strings is an array)",
                        Expect::CommaOrClose => "',' or ']'",
                        _ => "a string",
                    };
                    return Err(self.syntax(i, what, &chunk[i..]));
                }
            }
            i += 1;
        }
        Ok(Step::NeedMore)
    }

    /// The hot loop for flat arrays (nodes, edges, locations, trace_function_infos): scans
    /// digits and separators and only collects numbers; `flush_records` decodes them.
    fn feed_flat_ints(&mut self, chunk: &[u8], start: usize) -> Result<Step> {
        let len = chunk.len();
        let mut i = start;
        let mut expect = self.ints.expect;
        let mut in_number = self.ints.in_number;
        let mut negative = self.ints.negative;
        let mut v = self.ints.value;
        // A local vector, not a field behind `&mut self`: its length can live in a register.
        let mut nums = std::mem::take(&mut self.numbers);
        let negatives_allowed = self.section == Section::Locations;
        // Below this a number cannot overflow u64 in one more digit.
        const SAFE: u64 = (u64::MAX - 9) / 10;
        // Room for 20 digits, a newline and a comma past the fast loop's start.
        const FAST_MARGIN: usize = 24;
        let mut result = None;
        while i < len {
            let b = chunk[i];
            let d = b.wrapping_sub(b'0');
            if d < 10 {
                if in_number {
                    if v > SAFE {
                        result = Some(Err((i, "a number below 2^64")));
                        break;
                    }
                    v = v * 10 + d as u64;
                } else if matches!(expect, Expect::ValueOrClose | Expect::Value) || negative {
                    in_number = true;
                    v = d as u64;
                } else {
                    result = Some(Err((i, if expect == Expect::Open { "'[' (this section is an array)" } else { "',' or ']'" })));
                    break;
                }
                i += 1;
                continue;
            }
            if in_number {
                nums.push(if negative { NEGATIVE } else { v });
                in_number = false;
                negative = false;
                expect = Expect::CommaOrClose;
            } else if negative {
                result = Some(Err((i, "a digit after '-'")));
                break;
            }
            match b {
                b'-' if negatives_allowed && matches!(expect, Expect::ValueOrClose | Expect::Value) => {
                    negative = true;
                    expect = Expect::Value;
                }
                b',' if expect == Expect::CommaOrClose => {
                    expect = Expect::Value;
                    i += 1;
                    // The common shape, `digits,` or `digits\n,` again and again, in a loop of
                    // its own while the chunk's end is out of reach: no state to keep, no
                    // bounds or overflow checks per digit. Anything else (a space, a ']', a
                    // '-', 20 digits or more, an error) is left to the loop above, at the same
                    // byte. Parsing 521 MB on one thread: 0.79 → 0.72 s. (Eight digits at a
                    // time by SWAR, tried here again, took 0.91 s: most numbers have 1–3.)
                    while i + FAST_MARGIN <= len {
                        let begin = i;
                        let mut d = chunk[i].wrapping_sub(b'0');
                        let mut value = 0u64;
                        while d < 10 && i - begin < 20 {
                            value = value.wrapping_mul(10).wrapping_add(d as u64);
                            i += 1;
                            d = chunk[i].wrapping_sub(b'0');
                        }
                        if i == begin || i - begin >= 20 {
                            i = begin;
                            break;
                        }
                        nums.push(value);
                        let mut c = chunk[i];
                        if c == b'\n' {
                            i += 1;
                            c = chunk[i];
                        }
                        if c != b',' {
                            expect = Expect::CommaOrClose;
                            break;
                        }
                        i += 1;
                    }
                    continue;
                }
                b' ' | b'\n' | b'\r' | b'\t' => {}
                b'[' if expect == Expect::Open => expect = Expect::ValueOrClose,
                b']' if matches!(expect, Expect::ValueOrClose | Expect::CommaOrClose) => {
                    result = Some(Ok(i + 1));
                    break;
                }
                _ => {
                    let what = match expect {
                        Expect::Open => "'[' (this section is an array)",
                        Expect::CommaOrClose => "',' or ']'",
                        _ => "a non-negative integer",
                    };
                    result = Some(Err((i, what)));
                    break;
                }
            }
            i += 1;
        }
        self.numbers = nums;
        self.ints.expect = expect;
        self.ints.in_number = in_number;
        self.ints.negative = negative;
        self.ints.value = v;
        match result {
            None => Ok(Step::NeedMore),
            Some(Ok(end)) => Ok(Step::Done(end - start)),
            Some(Err((at, what))) => Err(self.syntax(at, what, &chunk[at..])),
        }
    }

    /// Decodes the whole records among the numbers collected so far into columns; at the end
    /// of the section there must be no partial record left.
    fn flush_records(&mut self, index: usize, section_done: bool) -> Result<()> {
        let layout = self.layout.as_ref().expect("arrays come after the header");
        let width = match self.section {
            Section::Nodes => layout.node_field_count,
            Section::Edges => layout.edge_field_count,
            Section::Locations => layout.location_field_count,
            _ => 1,
        };
        if width == 0 {
            if self.numbers.is_empty() {
                return Ok(());
            }
            return Err(self.syntax(index, "no locations (meta lists no location_fields)", b""));
        }
        let whole = self.numbers.len() / width * width;
        let numbers = std::mem::take(&mut self.numbers);
        let decoded = match self.section {
            Section::Nodes => self.decode_nodes(&numbers[..whole]),
            Section::Edges => self.decode_edges(&numbers[..whole]),
            Section::Locations => {
                self.decode_locations(&numbers[..whole]);
                Ok(())
            }
            _ => {
                self.trace_function_infos.extend_from_slice(&numbers[..whole]);
                Ok(())
            }
        };
        self.numbers = numbers;
        self.numbers.drain(..whole);
        if let Err((record, problem)) = decoded {
            let what = match self.section {
                Section::Nodes => "node",
                _ => "edge",
            };
            return Err(self.syntax_in(
                index,
                self.section.name(),
                problem,
                format!("{what} {record} (counting from 0) breaks it, before this offset"),
            ));
        }
        self.records += (whole / width) as u64;
        if section_done && !self.numbers.is_empty() {
            let what = match self.section {
                Section::Nodes => "whole nodes (node_fields numbers each)",
                Section::Edges => "whole edges (edge_fields numbers each)",
                _ => "whole locations (location_fields numbers each)",
            };
            return Err(self.syntax(index.saturating_sub(1), what, b"]"));
        }
        Ok(())
    }

    /// Err((record index, what was expected)).
    fn decode_nodes(&mut self, numbers: &[u64]) -> std::result::Result<(), (u64, String)> {
        let layout = self.layout.as_ref().expect("nodes come after the header");
        let width = layout.node_field_count;
        let c = &mut self.nodes;
        let mut bad = false;
        let first = c.ids.len();
        let mut total = 0u64;
        for rec in numbers.chunks_exact(width) {
            let id = rec[layout.node_id];
            bad |= id > u32::MAX as u64;
            c.ids.push(id as u32);
            total = total.saturating_add(rec[layout.node_self_size]);
            if super::is_sampled(id as u32) {
                c.fingerprints.push((id as u32, super::fingerprint(rec[layout.node_type], rec[layout.node_self_size])));
            }
        }
        c.total_self_size = c.total_self_size.saturating_add(total);
        if self.mode == ParseMode::Ids {
            if let Some(f) = layout.node_trace_node_id {
                let traced = numbers.chunks_exact(width).filter(|r| r[f] != 0 && r[layout.node_id] <= u32::MAX as u64);
                c.traced.extend(traced.map(|r| (r[layout.node_id] as u32, r[f].min(u32::MAX as u64) as u32)));
            }
        }
        if self.mode == ParseMode::Full {
            let types = layout.node_kinds.len() as u64;
            let mut large = false;
            for rec in numbers.chunks_exact(width) {
                let (t, name, edges) = (rec[layout.node_type], rec[layout.node_name], rec[layout.node_edge_count]);
                let size = rec[layout.node_self_size];
                bad |= t >= types || name > u32::MAX as u64 || edges > u32::MAX as u64;
                large |= size >= u32::MAX as u64;
                c.types.push(t as u8);
                c.names.push(name as u32);
                c.edge_counts.push(edges as u32);
                c.self_sizes.push(size.min(u32::MAX as u64) as u32);
            }
            if large {
                for (k, rec) in numbers.chunks_exact(width).enumerate() {
                    if rec[layout.node_self_size] >= u32::MAX as u64 {
                        c.large_self_sizes.push(((first + k) as u32, rec[layout.node_self_size]));
                    }
                }
            }
            if let Some(f) = layout.node_trace_node_id {
                if !c.trace_node_ids.is_empty() || numbers.chunks_exact(width).any(|r| r[f] != 0) {
                    c.trace_node_ids.resize(first, 0);
                    c.trace_node_ids.extend(numbers.chunks_exact(width).map(|r| r[f].min(u32::MAX as u64) as u32));
                }
            }
            if let Some(f) = layout.node_detachedness {
                c.detachedness.extend(numbers.chunks_exact(width).map(|r| r[f].min(255) as u8));
            }
        }
        if !bad {
            return Ok(());
        }
        let full = self.mode == ParseMode::Full;
        let types = layout.node_kinds.len() as u64;
        let (k, rec) = numbers
            .chunks_exact(width)
            .enumerate()
            .find(|(_, r)| {
                r[layout.node_id] > u32::MAX as u64
                    || (full
                        && (r[layout.node_type] >= types
                            || r[layout.node_name] > u32::MAX as u64
                            || r[layout.node_edge_count] > u32::MAX as u64))
            })
            .expect("a bad record was seen");
        let problem = if rec[layout.node_id] > u32::MAX as u64 {
            format!("a node id below 2^32, not {}", rec[layout.node_id])
        } else if rec[layout.node_type] >= types {
            format!("a node type below {types}, not {}", rec[layout.node_type])
        } else {
            "string indexes and edge counts below 2^32".to_string()
        };
        Err((self.records + k as u64, problem))
    }

    fn decode_edges(&mut self, numbers: &[u64]) -> std::result::Result<(), (u64, String)> {
        let layout = self.layout.as_ref().expect("edges come after the header");
        // to_node is an offset into the nodes array: divide by a constant where we can, as a
        // division by a runtime value costs more than the rest of the decoding.
        match layout.node_field_count {
            6 => decode_edge_records::<6>(layout, &mut self.edges, numbers),
            7 => decode_edge_records::<7>(layout, &mut self.edges, numbers),
            _ => decode_edge_records::<0>(layout, &mut self.edges, numbers),
        }
        .map_err(|(k, p)| (self.records + k, p))
    }

    fn decode_locations(&mut self, numbers: &[u64]) {
        let layout = self.layout.as_ref().expect("locations come after the header");
        let pick = |r: &[u64], f: Option<usize>| f.map_or(0, |i| r[i]).min(u32::MAX as u64) as u32;
        for r in numbers.chunks_exact(layout.location_field_count) {
            if r.contains(&NEGATIVE) {
                continue;
            }
            self.locations.push(Location {
                node: (div_or_zero(pick(r, layout.location_object_index) as u64, layout.node_field_count as u64)) as u32,
                script_id: pick(r, layout.location_script_id),
                line: pick(r, layout.location_line),
                column: pick(r, layout.location_column),
            });
        }
    }

    /// The general scanner, for the nested `trace_tree`.
    fn feed_ints(&mut self, chunk: &[u8], start: usize) -> Result<Step> {
        let mut i = start;
        let len = chunk.len();
        while i < len {
            if self.ints.in_number {
                // The hot loop: digits of one number, possibly continued from the last chunk.
                let mut v = self.ints.value;
                while i < len {
                    let d = chunk[i].wrapping_sub(b'0');
                    if d > 9 {
                        break;
                    }
                    v = match v.checked_mul(10).and_then(|v| v.checked_add(d as u64)) {
                        Some(v) => v,
                        None => return Err(self.syntax(i, "a number below 2^64", &chunk[i..])),
                    };
                    i += 1;
                }
                if i == len {
                    self.ints.value = v;
                    return Ok(Step::NeedMore);
                }
                self.ints.in_number = false;
                self.ints.expect = Expect::CommaOrClose;
                self.emit(v, i)?;
            }
            let b = chunk[i];
            let expect = self.ints.expect;
            match b {
                b' ' | b'\n' | b'\r' | b'\t' => {}
                b'0'..=b'9' if matches!(expect, Expect::ValueOrClose | Expect::Value) => {
                    self.ints.in_number = true;
                    self.ints.value = (b - b'0') as u64;
                }
                b',' if expect == Expect::CommaOrClose => self.ints.expect = Expect::Value,
                b'[' if expect == Expect::Open
                    || (matches!(expect, Expect::ValueOrClose | Expect::Value) && self.ints.depth < self.ints.max_depth) =>
                {
                    self.ints.depth += 1;
                    self.ints.expect = Expect::ValueOrClose;
                    self.open_array(i)?;
                }
                b']' if matches!(expect, Expect::ValueOrClose | Expect::CommaOrClose) => {
                    self.ints.depth -= 1;
                    self.ints.expect = Expect::CommaOrClose;
                    self.close_array(i)?;
                    if self.ints.depth == 0 {
                        return Ok(Step::Done(i + 1 - start));
                    }
                }
                _ => {
                    let what = match expect {
                        Expect::Open => "'[' (this section is an array)",
                        Expect::CommaOrClose => "',' or ']'",
                        _ => "a non-negative integer",
                    };
                    return Err(self.syntax(i, what, &chunk[i..]));
                }
            }
            i += 1;
        }
        if self.ints.in_number {
            return Ok(Step::NeedMore);
        }
        Ok(Step::NeedMore)
    }

    fn open_array(&mut self, index: usize) -> Result<()> {
        if self.section == Section::TraceTree && self.ints.depth > 1 {
            // A nested array is the children of the trace node just completed.
            if self.sinks.field != 0 || self.trace_tree.is_empty() {
                return Err(self.syntax(index, "a trace node's four numbers before its children", b"["));
            }
            let parent = (self.trace_tree.len() - 1) as u32;
            self.sinks.trace_parents.push(parent);
        }
        Ok(())
    }

    fn close_array(&mut self, index: usize) -> Result<()> {
        if self.section == Section::TraceTree && self.ints.depth >= 1 {
            self.sinks.trace_parents.pop();
        }
        if self.sinks.field != 0 {
            let what = match self.section {
                Section::Nodes => "whole nodes (node_fields numbers each)",
                Section::Edges => "whole edges (edge_fields numbers each)",
                Section::Locations => "whole locations (location_fields numbers each)",
                _ => "whole records",
            };
            return Err(self.syntax(index, what, b"]"));
        }
        Ok(())
    }

    fn emit(&mut self, v: u64, index: usize) -> Result<()> {
        self.emit_trace_field(v, index)
    }

    fn emit_trace_field(&mut self, v: u64, index: usize) -> Result<()> {
        // trace_node_fields are id, function_info_index, count, size, children: four numbers
        // and then the children array, which `open_array` handles.
        if self.ints.depth == 0 {
            return Err(self.syntax(index, "'['", b""));
        }
        self.sinks.trace_fields[self.sinks.field] = v;
        self.sinks.field += 1;
        if self.sinks.field == 4 {
            self.sinks.field = 0;
            let [id, function_info_index, count, size] = self.sinks.trace_fields;
            let parent = self.sinks.trace_parents.last().copied().unwrap_or(u32::MAX);
            self.trace_tree.push(TraceNode {
                id: id.min(u32::MAX as u64) as u32,
                function_info_index: function_info_index.min(u32::MAX as u64) as u32,
                count: count.min(u32::MAX as u64) as u32,
                size,
                parent,
            });
        }
        Ok(())
    }

    fn end_section(&mut self, index: usize) -> Result<()> {
        if self.section == Section::Header {
            let buf = std::mem::take(&mut self.skim.buf);
            let header: SnapshotHeader = serde_json::from_slice(&buf)
                .map_err(|e| LeakhuntError::layout(&self.source, format!("the \"snapshot\" header does not parse: {e}")))?;
            let layout = Layout::from_meta(&header.meta, &self.source)?;
            self.header = Some(header);
            self.layout = Some(layout);
        }
        if self.section == Section::Edges && self.sections == Sections::EdgesOnly {
            self.edges_done = true;
        }
        let _ = index;
        Ok(())
    }

    /// Ends the input: everything must be complete and consistent.
    pub fn finish(self) -> Result<ParsedSnapshot> {
        if let Some(e) = &self.error {
            return Err(LeakhuntError::Usage(format!("the parser already failed: {e}")));
        }
        if self.top != Top::Done && !self.edges_done {
            let (section, expected) = match self.top {
                Top::Start => ("the top-level object".to_string(), "'{'".to_string()),
                Top::InValue | Top::ValueStart => (self.section.name().to_string(), format!("the rest of {}", self.section.name())),
                _ => ("the top-level object".to_string(), "more keys or '}'".to_string()),
            };
            return Err(LeakhuntError::Truncated { at: self.at(0), section, expected });
        }
        let source = self.source.clone();
        let (header, layout) = match (self.header, self.layout) {
            (Some(h), Some(l)) => (h, l),
            _ => return Err(LeakhuntError::layout(&source, "no \"snapshot\" header with meta")),
        };
        let need = |bit: Section, what: &str| {
            if self.seen & bit.bit() == 0 {
                Err(LeakhuntError::invalid(&source, format!("no \"{what}\" array")))
            } else {
                Ok(())
            }
        };
        if self.sections != Sections::EdgesOnly {
            need(Section::Nodes, "nodes")?;
            let node_count = self.nodes.ids.len() as u64;
            if header.node_count != 0 && header.node_count != node_count {
                return Err(LeakhuntError::invalid(
                    &source,
                    format!("snapshot.node_count says {} but the nodes array holds {node_count}", header.node_count),
                ));
            }
        }
        if self.mode == ParseMode::Full {
            if self.sections != Sections::AllButEdges {
                need(Section::Edges, "edges")?;
                check_edge_count(&source, &header, &self.edges)?;
            }
            if self.sections != Sections::EdgesOnly {
                need(Section::Strings, "strings")?;
            }
        }
        Ok(ParsedSnapshot {
            source,
            header,
            layout,
            nodes: self.nodes,
            edges: self.edges,
            strings: self.strings,
            locations: self.locations,
            trace_function_infos: self.trace_function_infos,
            trace_tree: self.trace_tree,
            bytes: self.consumed,
        })
    }
}

/// The header's edge count, when it gives one, must match the edges read.
pub(super) fn check_edge_count(source: &str, header: &SnapshotHeader, edges: &EdgeColumns) -> Result<()> {
    let edge_count = edges.to.len() as u64;
    if header.edge_count != 0 && header.edge_count != edge_count {
        return Err(LeakhuntError::invalid(
            source,
            format!("snapshot.edge_count says {} but the edges array holds {edge_count}", header.edge_count),
        ));
    }
    Ok(())
}

fn div_or_zero(a: u64, b: u64) -> u64 {
    a / b.max(1)
}

/// `N` is the node field count when known at compile time (0: read it from the layout).
fn decode_edge_records<const N: usize>(
    layout: &Layout,
    edges: &mut EdgeColumns,
    numbers: &[u64],
) -> std::result::Result<(), (u64, String)> {
    let width = layout.edge_field_count;
    let nfc = if N == 0 { layout.node_field_count as u64 } else { N as u64 };
    let types = layout.edge_kinds.len() as u64;
    let (ft, fname, fto) = (layout.edge_type, layout.edge_name, layout.edge_to_node);
    let mut bad = false;
    for r in numbers.chunks_exact(width) {
        let (t, name, to) = (r[ft], r[fname], r[fto]);
        let node = to / nfc;
        bad |= t >= types || name > u32::MAX as u64 || node * nfc != to || node > u32::MAX as u64;
        edges.types.push(t as u8);
        edges.names.push(name as u32);
        edges.to.push(node as u32);
    }
    if !bad {
        return Ok(());
    }
    let (k, r) = numbers
        .chunks_exact(width)
        .enumerate()
        .find(|(_, r)| r[ft] >= types || r[fname] > u32::MAX as u64 || r[fto] % nfc != 0 || r[fto] / nfc > u32::MAX as u64)
        .expect("a bad record was seen");
    let problem = if r[ft] >= types {
        format!("an edge type below {types}, not {}", r[ft])
    } else if r[fto] % nfc != 0 {
        format!("a node offset (a multiple of {nfc}) for to_node, not {}", r[fto])
    } else {
        "name indexes and node offsets below 2^32".to_string()
    };
    Err((k as u64, problem))
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// Whether any of the eight bytes is zero (the classic bit trick; exact for "any").
#[inline]
fn has_zero_byte(v: u64) -> bool {
    v.wrapping_sub(ONES) & !v & HIGHS != 0
}

/// Moves `i` past whole words of eight bytes for which `plain` holds. Generic, so each test is
/// inlined into its own loop.
#[inline(always)]
fn skip_words(chunk: &[u8], mut i: usize, plain: impl Fn(u64) -> bool) -> usize {
    while let Some(word) = chunk.get(i..i + 8) {
        if !plain(u64::from_le_bytes(word.try_into().expect("8 bytes"))) {
            break;
        }
        i += 8;
    }
    i
}

/// Eight bytes inside a skipped array or object that hold no bracket, brace or quote: all of
/// them below 0x40 (digits, ',', ':', whitespace, '-', '.') and none a '"'.
#[inline(always)]
fn plain_array_bytes(v: u64) -> bool {
    let at_or_above_0x40 = (((v & !HIGHS) + 0x4040_4040_4040_4040) | v) & HIGHS;
    at_or_above_0x40 == 0 && !has_zero_byte(v ^ (ONES * b'"' as u64))
}

/// Eight bytes inside a skipped string that neither end it nor escape anything.
#[inline(always)]
fn plain_string_bytes(v: u64) -> bool {
    !has_zero_byte(v ^ (ONES * b'"' as u64)) && !has_zero_byte(v ^ (ONES * b'\\' as u64))
}

fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\n' | b'\r' | b'\t')
}

/// A short, printable rendering of what was found, for error messages.
fn describe(found: &[u8]) -> String {
    if found.is_empty() {
        return "the end of the chunk".to_string();
    }
    let head: String =
        String::from_utf8_lossy(&found[..found.len().min(16)]).chars().map(|c| if c.is_control() { '?' } else { c }).collect();
    format!("{head:?}")
}
