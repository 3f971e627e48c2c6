//! The snapshot's `strings` table, kept as one byte buffer plus offsets (no allocation per
//! string), and the streaming decoder of JSON string literals that fills it.

/// Strings longer than this are cut when stored. Names of constructors, properties and
/// functions are far shorter; the long ones are heap contents (tokens, payloads) that a
/// report must not print whole anyway, and keeping them would cost memory for nothing.
pub const MAX_STORED_STRING_BYTES: usize = 1024;

#[derive(Debug, Default)]
pub struct StringTable {
    bytes: Vec<u8>,
    /// `ends[i]` is where string `i` stops in `bytes`; it starts where `i - 1` stops.
    ends: Vec<u64>,
    /// Strings whose stored text was cut at `MAX_STORED_STRING_BYTES`.
    truncated: Vec<u32>,
}

impl StringTable {
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    pub fn get(&self, index: u32) -> &str {
        let i = index as usize;
        if i >= self.ends.len() {
            return "";
        }
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        let end = self.ends[i] as usize;
        // Every string was checked (or repaired) as UTF-8 when it was closed.
        std::str::from_utf8(&self.bytes[start..end]).unwrap_or("")
    }

    pub fn was_truncated(&self, index: u32) -> bool {
        self.truncated.binary_search(&index).is_ok()
    }

    pub fn memory_bytes(&self) -> usize {
        self.bytes.capacity() + self.ends.capacity() * 8
    }

    #[cfg(test)]
    pub fn from_strs(list: &[&str]) -> StringTable {
        let mut t = StringTable::default();
        for s in list {
            t.bytes.extend_from_slice(s.as_bytes());
            t.ends.push(t.bytes.len() as u64);
        }
        t
    }
}

/// Decodes one JSON string literal at a time (the opening quote already consumed) into a
/// `StringTable`, across chunk boundaries: an escape or a `\uXXXX` may be split anywhere.
#[derive(Debug, Default)]
pub struct StringDecoder {
    start: usize,
    stored: usize,
    cut: bool,
    escape: Escape,
    /// A high surrogate waiting for its low half; JS strings may hold lone surrogates, which
    /// V8 writes as `\uD8xx` escapes, so an unpaired one becomes U+FFFD rather than an error.
    pending_high: Option<u16>,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum Escape {
    #[default]
    None,
    Backslash,
    Unicode {
        digits: u8,
        value: u16,
    },
}

pub enum StringStep {
    /// The chunk ended inside the string.
    NeedMore,
    /// The closing quote was at `consumed - 1`.
    Closed { consumed: usize },
    /// A byte that cannot stand here, at this index of the chunk.
    BadEscape { at: usize },
}

impl StringDecoder {
    pub fn begin(&mut self, table: &StringTable) {
        *self = StringDecoder { start: table.bytes.len(), ..StringDecoder::default() };
    }

    fn push(&mut self, table: &mut StringTable, bytes: &[u8]) {
        let room = MAX_STORED_STRING_BYTES.saturating_sub(self.stored);
        if bytes.len() > room {
            self.cut = true;
        }
        let take = bytes.len().min(room);
        table.bytes.extend_from_slice(&bytes[..take]);
        self.stored += take;
    }

    fn push_char(&mut self, table: &mut StringTable, c: char) {
        let mut buf = [0u8; 4];
        self.push(table, c.encode_utf8(&mut buf).as_bytes());
    }

    fn push_unit(&mut self, table: &mut StringTable, unit: u16) {
        if let Some(high) = self.pending_high.take() {
            if (0xDC00..0xE000).contains(&unit) {
                let c = 0x10000 + (((high as u32) - 0xD800) << 10) + (unit as u32 - 0xDC00);
                self.push_char(table, char::from_u32(c).unwrap_or('\u{FFFD}'));
                return;
            }
            self.push_char(table, '\u{FFFD}');
        }
        if (0xD800..0xDC00).contains(&unit) {
            self.pending_high = Some(unit);
        } else if (0xDC00..0xE000).contains(&unit) {
            self.push_char(table, '\u{FFFD}');
        } else {
            self.push_char(table, char::from_u32(unit as u32).unwrap_or('\u{FFFD}'));
        }
    }

    fn flush_pending(&mut self, table: &mut StringTable) {
        if self.pending_high.take().is_some() {
            self.push_char(table, '\u{FFFD}');
        }
    }

    /// Feeds bytes of the literal; on `Closed`, the string is in the table.
    pub fn feed(&mut self, table: &mut StringTable, bytes: &[u8]) -> StringStep {
        let mut i = 0;
        while i < bytes.len() {
            match self.escape {
                Escape::None => {
                    // Fast path: copy everything up to the next quote or backslash at once.
                    let run = bytes[i..].iter().position(|&b| b == b'"' || b == b'\\');
                    let end = run.map_or(bytes.len(), |r| i + r);
                    if end > i {
                        self.flush_pending(table);
                        self.push(table, &bytes[i..end]);
                    }
                    i = end;
                    if i == bytes.len() {
                        return StringStep::NeedMore;
                    }
                    if bytes[i] == b'"' {
                        self.close(table);
                        return StringStep::Closed { consumed: i + 1 };
                    }
                    self.escape = Escape::Backslash;
                    i += 1;
                }
                Escape::Backslash => {
                    let b = bytes[i];
                    let simple = match b {
                        b'"' => Some('"'),
                        b'\\' => Some('\\'),
                        b'/' => Some('/'),
                        b'b' => Some('\u{8}'),
                        b'f' => Some('\u{c}'),
                        b'n' => Some('\n'),
                        b'r' => Some('\r'),
                        b't' => Some('\t'),
                        b'u' => None,
                        _ => return StringStep::BadEscape { at: i },
                    };
                    match simple {
                        Some(c) => {
                            self.flush_pending(table);
                            self.push_char(table, c);
                            self.escape = Escape::None;
                        }
                        None => self.escape = Escape::Unicode { digits: 0, value: 0 },
                    }
                    i += 1;
                }
                Escape::Unicode { digits, value } => {
                    let b = bytes[i];
                    let d = match (b as char).to_digit(16) {
                        Some(d) => d as u16,
                        None => return StringStep::BadEscape { at: i },
                    };
                    let value = (value << 4) | d;
                    if digits == 3 {
                        self.escape = Escape::None;
                        self.push_unit(table, value);
                    } else {
                        self.escape = Escape::Unicode { digits: digits + 1, value };
                    }
                    i += 1;
                }
            }
        }
        StringStep::NeedMore
    }

    fn close(&mut self, table: &mut StringTable) {
        self.flush_pending(table);
        // Raw bytes were copied as they came; repair what is not UTF-8 (including a multi-byte
        // character cut at the storage limit) so `get` never fails.
        let text = &table.bytes[self.start..];
        if let Err(e) = std::str::from_utf8(text) {
            let fixed = if self.cut && e.error_len().is_none() {
                text[..e.valid_up_to()].to_vec()
            } else {
                String::from_utf8_lossy(text).into_owned().into_bytes()
            };
            table.bytes.truncate(self.start);
            table.bytes.extend_from_slice(&fixed);
        }
        if self.cut {
            table.truncated.push(table.ends.len() as u32);
        }
        table.ends.push(table.bytes.len() as u64);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_split(literal: &[u8], split: usize) -> String {
        let mut table = StringTable::default();
        let mut d = StringDecoder::default();
        d.begin(&table);
        let (a, b) = literal.split_at(split);
        match d.feed(&mut table, a) {
            StringStep::Closed { .. } => return table.get(0).to_string(),
            StringStep::BadEscape { .. } => panic!("bad escape"),
            StringStep::NeedMore => {}
        }
        match d.feed(&mut table, b) {
            StringStep::Closed { .. } => table.get(0).to_string(),
            _ => panic!("not closed"),
        }
    }

    #[test]
    fn escapes_decode_at_every_split_point() {
        let literal = br#"a\"b\\c\/\n\u00e9\ud83d\ude00z""#;
        for split in 0..=literal.len() {
            assert_eq!(decode_split(literal, split), "a\"b\\c/\né😀z", "split at {split}");
        }
    }

    #[test]
    fn lone_surrogates_become_replacement_characters() {
        assert_eq!(decode_split(br#"x\ud800y\udc00""#, 3), "x\u{FFFD}y\u{FFFD}");
        assert_eq!(decode_split(br#"\ud800""#, 1), "\u{FFFD}");
    }

    #[test]
    fn invalid_utf8_is_repaired_not_fatal() {
        assert_eq!(decode_split(b"a\xffb\"", 2), "a\u{FFFD}b");
    }

    #[test]
    fn long_strings_are_cut_on_a_character_boundary() {
        let mut literal = "é".repeat(MAX_STORED_STRING_BYTES).into_bytes();
        literal.push(b'"');
        let mut table = StringTable::default();
        let mut d = StringDecoder::default();
        d.begin(&table);
        assert!(matches!(d.feed(&mut table, &literal[..1001]), StringStep::NeedMore));
        assert!(matches!(d.feed(&mut table, &literal[1001..]), StringStep::Closed { .. }));
        let s = table.get(0);
        assert!(s.len() <= MAX_STORED_STRING_BYTES && s.chars().all(|c| c == 'é'));
        assert!(table.was_truncated(0));
    }
}
