//! A snapshot parsed on its own thread while the hunt goes on (its next calls, V8's next
//! snapshot), so parsing overlaps the work it would otherwise follow.

use crate::analysis::Snapshot;
use crate::error::{LeakhuntError, Result};
use crate::snapshot::{ParseMode, SnapshotParser};

/// The parsed snapshot; with `census`, reduced to its ids and each emitter's listener counts.
fn finish_parse(parser: SnapshotParser, parse_mode: ParseMode, census: bool) -> Result<Snapshot> {
    let snapshot = Snapshot::from_parsed(parser.finish()?, parse_mode)?;
    if !census {
        return Ok(snapshot);
    }
    let listeners = match &snapshot {
        Snapshot::Full(s) => crate::listeners::census(&s.graph),
        Snapshot::Ids(..) | Snapshot::Watermark(_) => Default::default(),
    };
    Ok(Snapshot::Ids(snapshot.ids().into_owned(), Some(listeners)))
}

/// A snapshot being parsed on its own thread while the caller goes on (the hunt's next calls,
/// V8's next snapshot), so parsing overlaps the work it would otherwise follow. Chunks are
/// copied into a channel: the copy is cheap next to the parse, and the caller's buffers are
/// free to go at once.
#[cfg(not(target_family = "wasm"))]
pub struct SnapshotInProgress {
    chunks: Option<std::sync::mpsc::SyncSender<Vec<u8>>>,
    cancelled: std::sync::Arc<std::sync::atomic::AtomicBool>,
    thread: Option<std::thread::JoinHandle<Result<Snapshot>>>,
}

/// Chunks queued for the parser before a writer waits (V8's chunks are 64 kB or less).
#[cfg(not(target_family = "wasm"))]
const CHUNKS_IN_FLIGHT: usize = 256;

/// A writer into a snapshot being parsed, to hand to another thread.
#[derive(Clone)]
pub struct ChunkSink(std::sync::mpsc::SyncSender<Vec<u8>>);

#[cfg(not(target_family = "wasm"))]
impl ChunkSink {
    /// Queues a chunk; a parser that stopped (failed or cancelled) drops it.
    pub fn write(&self, chunk: &[u8]) {
        let _ = self.0.send(chunk.to_vec());
    }
}

#[cfg(not(target_family = "wasm"))]
impl SnapshotInProgress {
    /// `census`: parse in full, count each emitter's listeners, then keep only the ids (and
    /// the counts): what a baseline needs to tell listener growth, at an ids snapshot's size.
    pub fn start(source: &str, mode: ParseMode, census: bool) -> Result<SnapshotInProgress> {
        use std::sync::atomic::Ordering;
        // Bounded: a writer that outruns the parser waits (V8's stream, a remote socket, which
        // then stops reading), rather than piling the snapshot up in memory.
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<u8>>(CHUNKS_IN_FLIGHT);
        let cancelled = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let stop = cancelled.clone();
        let parse_mode = if census { ParseMode::Full } else { mode };
        let mut parser = SnapshotParser::new(source, parse_mode, None);
        let thread = std::thread::Builder::new()
            .name("leakhunt-parse".into())
            .spawn(move || {
                crate::error::catch_panic(move || {
                    for chunk in rx {
                        if stop.load(Ordering::Relaxed) {
                            return Err(LeakhuntError::Cancelled("the snapshot's parse was stopped before its end".into()));
                        }
                        parser.write(&chunk)?;
                    }
                    finish_parse(parser, parse_mode, census)
                })
            })
            .map_err(|e| LeakhuntError::Internal(format!("cannot start a parser thread: {e}")))?;
        Ok(SnapshotInProgress { chunks: Some(tx), cancelled, thread: Some(thread) })
    }

    /// Queues a chunk. A parse error is reported by `finish`, not here: once the parser has
    /// failed, later chunks are dropped.
    pub fn write(&self, chunk: &[u8]) {
        if let Some(tx) = &self.chunks {
            let _ = tx.send(chunk.to_vec());
        }
    }

    /// A writer for another thread; the input ends when this and every sink are gone.
    pub fn sink(&self) -> Option<ChunkSink> {
        self.chunks.clone().map(ChunkSink)
    }

    /// Ends the input; the parse goes on in the background.
    pub fn end_input(&mut self) {
        self.chunks = None;
    }

    /// Waits for the parse and returns the snapshot (or the first error met).
    pub fn finish(mut self) -> Result<Snapshot> {
        self.chunks = None;
        match self.thread.take().map(|t| t.join()) {
            Some(Ok(result)) => result,
            Some(Err(_)) => Err(LeakhuntError::Internal("the parser thread died".into())),
            None => Err(LeakhuntError::Usage("the snapshot was already finished".into())),
        }
    }
}

#[cfg(not(target_family = "wasm"))]
impl Drop for SnapshotInProgress {
    /// Dropped unfinished (an aborted hunt): the thread skips the chunks still queued and ends.
    fn drop(&mut self) {
        self.cancelled.store(true, std::sync::atomic::Ordering::Relaxed);
        self.chunks = None;
    }
}

/// In WebAssembly the snapshot is parsed as its chunks are written, on the writer's thread.
/// Under the WASI-threads runtime a parse thread waiting for its next chunk was never woken
/// (a channel's receiver parks, and the writer's unpark did not reach it), so the WASI build
/// gives up the overlap: what the parse costs is spent while V8 streams the snapshot.
#[cfg(target_family = "wasm")]
pub struct SnapshotInProgress {
    parser: std::cell::RefCell<Option<SnapshotParser>>,
    failed: std::cell::RefCell<Option<LeakhuntError>>,
    parse_mode: ParseMode,
    census: bool,
}

#[cfg(target_family = "wasm")]
impl ChunkSink {
    pub fn write(&self, chunk: &[u8]) {
        let _ = self.0.send(chunk.to_vec());
    }
}

#[cfg(target_family = "wasm")]
impl SnapshotInProgress {
    pub fn start(source: &str, mode: ParseMode, census: bool) -> Result<SnapshotInProgress> {
        let parse_mode = if census { ParseMode::Full } else { mode };
        let parser = SnapshotParser::new(source, parse_mode, None);
        Ok(SnapshotInProgress { parser: Some(parser).into(), failed: None.into(), parse_mode, census })
    }

    /// Parses a chunk; after an error, later chunks are dropped and `finish` reports it.
    pub fn write(&self, chunk: &[u8]) {
        let mut parser = self.parser.borrow_mut();
        if let Some(p) = parser.as_mut() {
            if let Err(e) = crate::error::catch_panic(|| p.write(chunk)) {
                *self.failed.borrow_mut() = Some(e);
                *parser = None;
            }
        }
    }

    /// No other thread writes here: a remote target's chunks need the native core.
    pub fn sink(&self) -> Option<ChunkSink> {
        None
    }

    pub fn end_input(&mut self) {}

    pub fn finish(self) -> Result<Snapshot> {
        if let Some(e) = self.failed.into_inner() {
            return Err(e);
        }
        let parser = self.parser.into_inner().ok_or_else(|| LeakhuntError::Usage("the snapshot was already finished".into()))?;
        let (parse_mode, census) = (self.parse_mode, self.census);
        crate::error::catch_panic(move || finish_parse(parser, parse_mode, census))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{edge, node, snapshot_json};

    fn small_snapshot_json() -> String {
        let nodes = [node("synthetic", "", 1, 0), node("object", "Thing", 3, 16), node("string", "hello", 5, 24)];
        let edges = [edge(0, "element", "1", 1), edge(1, "property", "name", 2)];
        snapshot_json(&nodes, &edges)
    }

    #[test]
    fn a_snapshot_parsed_in_the_background_equals_one_parsed_in_place() {
        let text = small_snapshot_json();
        let mut pending = SnapshotInProgress::start("test", ParseMode::Full, false).unwrap();
        for chunk in text.as_bytes().chunks(7) {
            pending.write(chunk);
        }
        pending.end_input();
        let snapshot = pending.finish().unwrap();
        let mut parser = crate::snapshot::SnapshotParser::new("test", ParseMode::Full, None);
        parser.write(text.as_bytes()).unwrap();
        let direct = Snapshot::from_parsed(parser.finish().unwrap(), ParseMode::Full).unwrap();
        assert_eq!(snapshot.node_count(), direct.node_count());
        assert_eq!(snapshot.edge_count(), direct.edge_count());
    }

    #[test]
    fn a_background_parse_error_comes_out_of_finish() {
        let pending = SnapshotInProgress::start("test", ParseMode::Ids, false).unwrap();
        pending.write(b"{\"snapshot\": [1, 2");
        let err = pending.finish().err().expect("a truncated snapshot must fail");
        assert!(err.to_string().contains("test"), "{err}");
    }
}
