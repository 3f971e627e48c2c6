//! A client of V8's inspector protocol over WebSocket: a Node process started with `--inspect`
//! (or sent SIGUSR1), a Chrome or Electron page. Only what a hunt needs: commands answered one
//! at a time, and heap snapshots, whose chunks go from the socket into the caller's sink as they
//! arrive, so a snapshot is never one string anywhere. Blocking I/O, meant for a worker thread.
//!
//! The WebSocket is `tungstenite`'s: the protocol's framing, masking, fragmentation and close
//! handshake are easy to get subtly wrong, and it is small, synchronous (the next frame is read
//! only when the sink has taken the last, which is the backpressure) and widely used.

use crate::error::{LeakhuntError, Result};
use serde::Deserialize;
use serde_json::Value;
use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;
use tungstenite::protocol::WebSocketConfig;
use tungstenite::{Message, WebSocket};

/// How long to wait for a message before the target counts as gone. A snapshot of a large
/// heap can take minutes before its first chunk; V8 sends nothing meanwhile.
const READ_TIMEOUT: Duration = Duration::from_secs(600);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

pub struct Inspector {
    socket: WebSocket<TcpStream>,
    url: String,
    next_id: u64,
}

/// An incoming message: a command's answer (`id`) or an event (`method`).
#[derive(Deserialize)]
struct Incoming {
    id: Option<u64>,
    method: Option<String>,
    result: Option<Value>,
    error: Option<Value>,
}

/// An `addHeapSnapshotChunk` event, read without building a JSON value around the chunk.
#[derive(Deserialize)]
struct ChunkEvent {
    params: ChunkParams,
}

#[derive(Deserialize)]
struct ChunkParams {
    chunk: String,
}

/// A `heapStatsUpdate` (triplets: interval, objects, bytes) or `lastSeenObjectId` event.
#[derive(Deserialize)]
struct WalkEvent {
    method: String,
    params: WalkParams,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WalkParams {
    stats_update: Option<Vec<u64>>,
    last_seen_object_id: Option<u32>,
}

/// What a heap walk tells: `analysis::Watermark`'s fields.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Walk {
    pub last_seen_object_id: u32,
    pub object_count: u64,
    pub total_size: u64,
}

impl Inspector {
    /// Opens the WebSocket at `url` (`ws://host:port/…`).
    pub fn connect(url: &str) -> Result<Inspector> {
        let failed = |what: String| LeakhuntError::Inspector(format!("cannot connect to {url}: {what}"));
        let rest = url.strip_prefix("ws://").ok_or_else(|| failed("not a ws:// URL (wss:// is not supported)".into()))?;
        let authority = rest.split('/').next().unwrap_or_default();
        let addresses: Vec<_> = authority.to_socket_addrs().map_err(|e| failed(e.to_string()))?.collect();
        let mut last = None;
        let mut stream = None;
        for address in addresses {
            match TcpStream::connect_timeout(&address, CONNECT_TIMEOUT) {
                Ok(s) => {
                    stream = Some(s);
                    break;
                }
                Err(e) => last = Some(e),
            }
        }
        let stream = stream.ok_or_else(|| failed(last.map_or_else(|| "no address".to_string(), |e| e.to_string())))?;
        stream.set_read_timeout(Some(READ_TIMEOUT)).map_err(|e| failed(e.to_string()))?;
        stream.set_nodelay(true).map_err(|e| failed(e.to_string()))?;
        // Answers can be large (a script's source); chunks are small. Neither comes near this.
        let config = WebSocketConfig::default().max_message_size(Some(256 << 20)).max_frame_size(Some(256 << 20));
        let (socket, _) = tungstenite::client::client_with_config(url, stream, Some(config)).map_err(|e| failed(e.to_string()))?;
        Ok(Inspector { socket, url: url.to_string(), next_id: 1 })
    }

    /// Sends a command and waits for its answer; events in between are dropped.
    pub fn call(&mut self, method: &str, params: Value) -> Result<Value> {
        self.call_with(method, params, &mut |_| Ok(()))
    }

    /// Takes a heap snapshot, each chunk handed to `write` as it arrives; the text's size.
    pub fn take_snapshot(&mut self, write: &mut dyn FnMut(&[u8]) -> Result<()>) -> Result<u64> {
        self.snapshot_by("HeapProfiler.takeHeapSnapshot", write)
    }

    /// Stops tracking heap objects, which V8 does only after sending a snapshot: taken as
    /// `take_snapshot` takes one.
    pub fn stop_tracking_into(&mut self, write: &mut dyn FnMut(&[u8]) -> Result<()>) -> Result<u64> {
        self.snapshot_by("HeapProfiler.stopTrackingHeapObjects", write)
    }

    /// An object-id watermark (see `analysis::Watermark`): V8's `lastSeenObjectId` after the
    /// next heap walk, and the objects that walk counted when this call started the tracking
    /// (`fresh`; the first walk's one id interval then holds them all). While V8 tracks heap
    /// objects the target walks its heap on a timer, about 20 times a second.
    pub fn heap_walk(&mut self, fresh: bool) -> Result<Walk> {
        if fresh {
            self.call("HeapProfiler.enable", serde_json::json!({}))?;
            self.call("HeapProfiler.startTrackingHeapObjects", serde_json::json!({ "trackAllocations": false }))?;
        } else {
            // Walks made before now wait in the socket: a command's answer comes after them,
            // and `call` drops them on the way.
            self.call("Runtime.evaluate", serde_json::json!({ "expression": "0" }))?;
        }
        let mut counted: Option<(u64, u64)> = None;
        loop {
            let text = self.read_text()?;
            if !text.starts_with("{\"method\"") {
                continue;
            }
            let event: WalkEvent = serde_json::from_str(&text).map_err(|e| self_error(&format!("an event that is not JSON: {e}")))?;
            match event.method.as_str() {
                "HeapProfiler.heapStatsUpdate" => {
                    let update = event.params.stats_update.unwrap_or_default();
                    let objects = update.chunks_exact(3).fold((0, 0), |(n, size), t| (n + t[1], size + t[2]));
                    counted = Some(objects);
                }
                "HeapProfiler.lastSeenObjectId" => {
                    let last_seen_object_id =
                        event.params.last_seen_object_id.ok_or_else(|| self_error("a lastSeenObjectId event without its id"))?;
                    let (object_count, total_size) = counted.filter(|_| fresh).unwrap_or_default();
                    return Ok(Walk { last_seen_object_id, object_count, total_size });
                }
                _ => {}
            }
        }
    }

    fn snapshot_by(&mut self, method: &str, write: &mut dyn FnMut(&[u8]) -> Result<()>) -> Result<u64> {
        let mut bytes = 0u64;
        let params = serde_json::json!({ "reportProgress": false });
        self.call_with(method, params, &mut |text| {
            if !text.contains("\"HeapProfiler.addHeapSnapshotChunk\"") {
                return Ok(());
            }
            let event: ChunkEvent =
                serde_json::from_str(text).map_err(|e| self_error(&format!("a snapshot chunk that is not JSON: {e}")))?;
            bytes += event.params.chunk.len() as u64;
            write(event.params.chunk.as_bytes())
        })?;
        Ok(bytes)
    }

    fn call_with(&mut self, method: &str, params: Value, on_event: &mut dyn FnMut(&str) -> Result<()>) -> Result<Value> {
        let id = self.next_id;
        self.next_id += 1;
        let request = serde_json::json!({ "id": id, "method": method, "params": params }).to_string();
        self.socket.send(Message::Text(request.into())).map_err(|e| self.lost(e))?;
        loop {
            let text = self.read_text()?;
            // Chunks are events too; they go to the sink before anything parses them as a whole.
            if text.starts_with("{\"method\"") {
                on_event(text.as_str())?;
                continue;
            }
            let message: Incoming =
                serde_json::from_str(text.as_str()).map_err(|e| self_error(&format!("a message that is not JSON: {e}")))?;
            if message.id != Some(id) {
                if message.method.is_some() && message.id.is_none() {
                    on_event(text.as_str())?;
                }
                continue;
            }
            if let Some(error) = message.error {
                let text = error.get("message").and_then(Value::as_str).unwrap_or("an error").to_string();
                return Err(LeakhuntError::Inspector(format!("{method} failed in the target: {text}")));
            }
            return Ok(message.result.unwrap_or(Value::Null));
        }
    }

    /// The next text message.
    fn read_text(&mut self) -> Result<tungstenite::Utf8Bytes> {
        loop {
            match self.socket.read().map_err(|e| self.lost(e))? {
                Message::Text(text) => return Ok(text),
                Message::Close(_) => {
                    return Err(LeakhuntError::Inspector(format!("the target closed the inspector connection ({})", self.url)))
                }
                _ => continue, // pings are answered by the library; no binary frames in this protocol
            }
        }
    }

    fn lost(&self, error: tungstenite::Error) -> LeakhuntError {
        let why = match &error {
            tungstenite::Error::Io(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => {
                format!("no answer for {} s", READ_TIMEOUT.as_secs())
            }
            tungstenite::Error::ConnectionClosed | tungstenite::Error::AlreadyClosed => "the connection closed".to_string(),
            other => other.to_string(),
        };
        LeakhuntError::Inspector(format!("lost the target's inspector ({}): {why}", self.url))
    }

    /// Closes the connection (the target's session ends: V8 forgets its object ids).
    pub fn close(&mut self) {
        let _ = self.socket.close(None);
        // Let the close handshake finish; a target that does not answer is not waited for.
        let _ = self.socket.get_ref().set_read_timeout(Some(Duration::from_secs(2)));
        while self.socket.read().is_ok() {}
    }
}

fn self_error(detail: &str) -> LeakhuntError {
    LeakhuntError::Inspector(format!("the target's inspector sent {detail}"))
}
