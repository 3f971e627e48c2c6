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
        let mut bytes = 0u64;
        let params = serde_json::json!({ "reportProgress": false });
        self.call_with("HeapProfiler.takeHeapSnapshot", params, &mut |text| {
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
            let text = match self.socket.read().map_err(|e| self.lost(e))? {
                Message::Text(text) => text,
                Message::Close(_) => {
                    return Err(LeakhuntError::Inspector(format!("the target closed the inspector connection ({})", self.url)))
                }
                _ => continue, // pings are answered by the library; no binary frames in this protocol
            };
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
