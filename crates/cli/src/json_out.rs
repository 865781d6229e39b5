//! Compact JSON output for the result document, through serde: the bytes
//! `serde_json::to_writer` writes, produced with fewer instructions.
//!
//! Why not serde_json itself: a 10,000-step run writes about 50 MB of
//! result, mostly short strings (ARNs, reasons) and object keys, and
//! `serde_json` checks every byte of every string and key for escapes
//! one at a time and hands each piece to the writer on its own: over a
//! third of a whole run. simd-json's and sonic-rs's serializers were
//! measured too and were slower on these short strings (their SIMD works
//! on 16- to 32-byte blocks). This writer checks 8 bytes at a time (SWAR),
//! writes object keys (`&'static str` field names) through the same
//! check, and collects into a buffer flushed in 64 KB blocks.
//!
//! It implements the data model the result document uses; integers are
//! written by `itoa` and floats are handed to `serde_json` (the result
//! has none today), so the output is byte for byte serde_json's (see the
//! tests, which compare the two on arbitrary values).

use std::fmt::{self, Display, Write as _};
use std::io::{self, Write};

use serde::ser::{self, Serialize};

/// Writes `value` as compact JSON to `out`, as `serde_json::to_writer` does.
pub fn to_writer<W: Write, T: Serialize + ?Sized>(out: W, value: &T) -> io::Result<()> {
    let mut w = JsonWriter { buf: Vec::with_capacity(FLUSH_AT + 4096), out, scratch: String::new(), flush_at: FLUSH_AT, raw: false };
    value.serialize(&mut w).map_err(|e| e.0)?;
    w.flush()
}

/// Appends `value` as compact JSON to `buf` (the bytes [`to_writer`]
/// writes for it), for a thread that writes its part of a document into
/// memory: see [`Raw`].
pub fn append<T: Serialize + ?Sized>(buf: &mut Vec<u8>, value: &T) -> io::Result<()> {
    let mut w = JsonWriter { buf: std::mem::take(buf), out: io::sink(), scratch: String::new(), flush_at: usize::MAX, raw: false };
    let written = value.serialize(&mut w).map_err(|e| e.0);
    *buf = w.buf;
    written
}

/// JSON this writer made already (by [`append`]), written as it is: one
/// element of a sequence may so hold several, separated by commas. Only
/// this writer knows it (through a struct of a name of its own, the way
/// `serde_json`'s `RawValue` works); other serializers write it as a
/// struct.
pub struct Raw<'a>(pub &'a [u8]);

const RAW: &str = "$trustwalk::json_out::Raw";

impl Serialize for Raw<'_> {
    fn serialize<S: ser::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use ser::SerializeStruct;
        let mut st = s.serialize_struct(RAW, 1)?;
        st.serialize_field(RAW, &Bytes(self.0))?;
        st.end()
    }
}

struct Bytes<'a>(&'a [u8]);

impl Serialize for Bytes<'_> {
    fn serialize<S: ser::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(self.0)
    }
}

/// The buffer is written out once it holds this much.
const FLUSH_AT: usize = 1 << 16;

struct JsonWriter<W> {
    buf: Vec<u8>,
    out: W,
    /// Where `collect_str` writes a `Display` value before it is escaped.
    scratch: String,
    /// The buffer is written out once it holds this much.
    flush_at: usize,
    /// The next bytes are a [`Raw`]'s.
    raw: bool,
}

impl<W: Write> JsonWriter<W> {
    fn flush(&mut self) -> io::Result<()> {
        self.out.write_all(&self.buf)?;
        self.buf.clear();
        Ok(())
    }

    #[inline]
    fn maybe_flush(&mut self) -> Result<(), Error> {
        if self.buf.len() >= self.flush_at {
            self.flush().map_err(Error)?;
        }
        Ok(())
    }
}

/// An I/O error, or a message from a `Serialize` implementation.
#[derive(Debug)]
pub struct Error(io::Error);

impl Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: Display>(msg: T) -> Self {
        Error(io::Error::other(msg.to_string()))
    }
}

const LO: u64 = 0x0101_0101_0101_0101;
const HI: u64 = 0x8080_8080_8080_8080;

/// Whether one of the 8 bytes of `w` (little-endian) is a control
/// character, `"` or `\`. May also say so when one is and a later byte
/// only looks like one (a borrow), never when none is: the caller then
/// looks at those bytes one by one.
#[inline]
fn needs_escape(w: u64) -> bool {
    let control = w.wrapping_sub(LO * 0x20);
    let quote = w ^ (LO * b'"' as u64);
    let backslash = w ^ (LO * b'\\' as u64);
    ((control | quote.wrapping_sub(LO) | backslash.wrapping_sub(LO)) & !w & HI) != 0
}

/// The escape serde_json writes for `b`, if it needs one.
#[inline]
fn escape(b: u8) -> Option<&'static [u8]> {
    Some(match b {
        b'"' => b"\\\"",
        b'\\' => b"\\\\",
        b'\n' => b"\\n",
        b'\r' => b"\\r",
        b'\t' => b"\\t",
        0x08 => b"\\b",
        0x0c => b"\\f",
        0..=0x1f => return Some(CONTROL.get(usize::from(b)).copied().unwrap_or(b"")),
        _ => return None,
    })
}

/// `\u00XX` for each control character (those without a short escape).
const CONTROL: [&[u8]; 32] = [
    b"\\u0000", b"\\u0001", b"\\u0002", b"\\u0003", b"\\u0004", b"\\u0005", b"\\u0006", b"\\u0007", b"\\b", b"\\t", b"\\n", b"\\u000b", b"\\f",
    b"\\r", b"\\u000e", b"\\u000f", b"\\u0010", b"\\u0011", b"\\u0012", b"\\u0013", b"\\u0014", b"\\u0015", b"\\u0016", b"\\u0017", b"\\u0018",
    b"\\u0019", b"\\u001a", b"\\u001b", b"\\u001c", b"\\u001d", b"\\u001e", b"\\u001f",
];

/// Appends `s` as a JSON string, quotes included.
#[inline]
fn write_str(buf: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    if is_clean(bytes) {
        buf.reserve(bytes.len() + 2);
        buf.push(b'"');
        buf.extend_from_slice(bytes);
        buf.push(b'"');
    } else {
        write_escaped(buf, bytes);
    }
}

/// Whether no byte of `bytes` needs an escape, 8 at a time: the last 8
/// bytes are read overlapping the chunk before them; 4 to 7 bytes are read
/// as two overlapping halves of one word, fewer one by one.
#[inline]
fn is_clean(bytes: &[u8]) -> bool {
    let n = bytes.len();
    if n >= 8 {
        let word = |chunk: &[u8]| u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
        let mut chunks = bytes.chunks_exact(8);
        if chunks.by_ref().any(|c| needs_escape(word(c))) {
            return false;
        }
        chunks.remainder().is_empty() || !needs_escape(word(bytes.get(n - 8..).unwrap_or_default()))
    } else if n >= 4 {
        let half = |chunk: Option<&[u8]>| u64::from(u32::from_le_bytes(chunk.and_then(|c| c.try_into().ok()).unwrap_or([0; 4])));
        !needs_escape(half(bytes.get(..4)) | (half(bytes.get(n - 4..)) << 32))
    } else {
        bytes.iter().all(|&b| b >= 0x20 && b != b'"' && b != b'\\')
    }
}

/// Appends `bytes` as a JSON string, escaping what needs it.
#[cold]
fn write_escaped(buf: &mut Vec<u8>, bytes: &[u8]) {
    buf.push(b'"');
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if let Some(esc) = escape(b) {
            buf.extend_from_slice(bytes.get(start..i).unwrap_or_default());
            buf.extend_from_slice(esc);
            start = i + 1;
        }
    }
    buf.extend_from_slice(bytes.get(start..).unwrap_or_default());
    buf.push(b'"');
}

/// A sequence or map being written: whether the next entry is the first.
pub struct Compound<'a, W> {
    w: &'a mut JsonWriter<W>,
    first: bool,
    /// A [`Raw`]: its one field is written as it is, without a key.
    raw: bool,
}

impl<W: Write> Compound<'_, W> {
    #[inline]
    fn comma(&mut self) {
        if self.first {
            self.first = false;
        } else {
            self.w.buf.push(b',');
        }
    }

    #[inline]
    fn key(&mut self, key: &str) {
        self.comma();
        write_str(&mut self.w.buf, key);
        self.w.buf.push(b':');
    }
}

macro_rules! integers {
    ($($name:ident: $t:ty),*) => {$(
        #[inline]
        fn $name(self, v: $t) -> Result<(), Error> {
            self.buf.extend_from_slice(itoa::Buffer::new().format(v).as_bytes());
            Ok(())
        }
    )*};
}

impl<'a, W: Write> ser::Serializer for &'a mut JsonWriter<W> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'a, W>;
    type SerializeTuple = Compound<'a, W>;
    type SerializeTupleStruct = Compound<'a, W>;
    type SerializeTupleVariant = Compound<'a, W>;
    type SerializeMap = Compound<'a, W>;
    type SerializeStruct = Compound<'a, W>;
    type SerializeStructVariant = Compound<'a, W>;

    integers!(serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64, serialize_i128: i128,
        serialize_u8: u8, serialize_u16: u16, serialize_u32: u32, serialize_u64: u64, serialize_u128: u128);

    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.buf.extend_from_slice(if v { b"true" } else { b"false" });
        Ok(())
    }

    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        serde_json::to_writer(&mut self.buf, &v).map_err(|e| Error(e.into()))
    }

    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        serde_json::to_writer(&mut self.buf, &v).map_err(|e| Error(e.into()))
    }

    fn serialize_char(self, v: char) -> Result<(), Error> {
        write_str(&mut self.buf, v.encode_utf8(&mut [0; 4]));
        Ok(())
    }

    #[inline]
    fn serialize_str(self, v: &str) -> Result<(), Error> {
        write_str(&mut self.buf, v);
        Ok(())
    }

    fn serialize_bytes(self, v: &[u8]) -> Result<(), Error> {
        if std::mem::take(&mut self.raw) {
            if v.len() >= FLUSH_AT && self.flush_at != usize::MAX {
                // Large: straight to the output, not copied through the buffer.
                self.flush().map_err(Error)?;
                return self.out.write_all(v).map_err(Error);
            }
            self.buf.extend_from_slice(v);
            return self.maybe_flush();
        }
        use ser::SerializeSeq;
        let mut seq = self.serialize_seq(Some(v.len()))?;
        for b in v {
            seq.serialize_element(b)?;
        }
        seq.end()
    }

    fn serialize_none(self) -> Result<(), Error> {
        self.serialize_unit()
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), Error> {
        self.buf.extend_from_slice(b"null");
        Ok(())
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Error> {
        self.serialize_unit()
    }

    fn serialize_unit_variant(self, _name: &'static str, _index: u32, variant: &'static str) -> Result<(), Error> {
        self.serialize_str(variant)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _name: &'static str, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.buf.push(b'{');
        write_str(&mut self.buf, variant);
        self.buf.push(b':');
        value.serialize(&mut *self)?;
        self.buf.push(b'}');
        Ok(())
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<Compound<'a, W>, Error> {
        self.buf.push(b'[');
        Ok(Compound { w: self, first: true, raw: false })
    }

    fn serialize_tuple(self, len: usize) -> Result<Compound<'a, W>, Error> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<Compound<'a, W>, Error> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_variant(self, _name: &'static str, _index: u32, variant: &'static str, _len: usize) -> Result<Compound<'a, W>, Error> {
        self.buf.push(b'{');
        write_str(&mut self.buf, variant);
        self.buf.extend_from_slice(b":[");
        Ok(Compound { w: self, first: true, raw: false })
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Compound<'a, W>, Error> {
        self.buf.push(b'{');
        Ok(Compound { w: self, first: true, raw: false })
    }

    fn serialize_struct(self, name: &'static str, len: usize) -> Result<Compound<'a, W>, Error> {
        if name == RAW {
            return Ok(Compound { w: self, first: true, raw: true });
        }
        self.serialize_map(Some(len))
    }

    fn serialize_struct_variant(self, _name: &'static str, _index: u32, variant: &'static str, _len: usize) -> Result<Compound<'a, W>, Error> {
        self.buf.push(b'{');
        write_str(&mut self.buf, variant);
        self.buf.extend_from_slice(b":{");
        Ok(Compound { w: self, first: true, raw: false })
    }

    fn collect_str<T: Display + ?Sized>(self, value: &T) -> Result<(), Error> {
        let mut scratch = std::mem::take(&mut self.scratch);
        scratch.clear();
        let written = write!(scratch, "{value}");
        write_str(&mut self.buf, &scratch);
        self.scratch = scratch;
        written.map_err(|_| ser::Error::custom("a value could not be written as text"))
    }
}

impl<W: Write> ser::SerializeSeq for Compound<'_, W> {
    type Ok = ();
    type Error = Error;

    #[inline]
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.comma();
        value.serialize(&mut *self.w)?;
        self.w.maybe_flush()
    }

    fn end(self) -> Result<(), Error> {
        self.w.buf.push(b']');
        Ok(())
    }
}

impl<W: Write> ser::SerializeTuple for Compound<'_, W> {
    type Ok = ();
    type Error = Error;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        ser::SerializeSeq::serialize_element(self, value)
    }

    fn end(self) -> Result<(), Error> {
        ser::SerializeSeq::end(self)
    }
}

impl<W: Write> ser::SerializeTupleStruct for Compound<'_, W> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        ser::SerializeSeq::serialize_element(self, value)
    }

    fn end(self) -> Result<(), Error> {
        ser::SerializeSeq::end(self)
    }
}

impl<W: Write> ser::SerializeTupleVariant for Compound<'_, W> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        ser::SerializeSeq::serialize_element(self, value)
    }

    fn end(self) -> Result<(), Error> {
        self.w.buf.extend_from_slice(b"]}");
        Ok(())
    }
}

impl<W: Write> ser::SerializeMap for Compound<'_, W> {
    type Ok = ();
    type Error = Error;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.comma();
        key.serialize(MapKey(&mut *self.w))?;
        self.w.buf.push(b':');
        Ok(())
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        value.serialize(&mut *self.w)
    }

    fn end(self) -> Result<(), Error> {
        self.w.buf.push(b'}');
        Ok(())
    }
}

impl<W: Write> ser::SerializeStruct for Compound<'_, W> {
    type Ok = ();
    type Error = Error;

    #[inline]
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), Error> {
        if self.raw {
            self.w.raw = true;
            let written = value.serialize(&mut *self.w);
            self.w.raw = false;
            return written;
        }
        self.key(key);
        value.serialize(&mut *self.w)
    }

    fn end(self) -> Result<(), Error> {
        if !self.raw {
            self.w.buf.push(b'}');
        }
        Ok(())
    }
}

impl<W: Write> ser::SerializeStructVariant for Compound<'_, W> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), Error> {
        ser::SerializeStruct::serialize_field(self, key, value)
    }

    fn end(self) -> Result<(), Error> {
        self.w.buf.extend_from_slice(b"}}");
        Ok(())
    }
}

/// A map key: JSON keys are strings, so integers and booleans are quoted,
/// as serde_json does; other kinds of key are an error (serde_json also
/// quotes floats: the result document has no float keys).
struct MapKey<'a, W>(&'a mut JsonWriter<W>);

macro_rules! quoted_integers {
    ($($name:ident: $t:ty),*) => {$(
        fn $name(self, v: $t) -> Result<(), Error> {
            self.0.buf.push(b'"');
            self.0.buf.extend_from_slice(itoa::Buffer::new().format(v).as_bytes());
            self.0.buf.push(b'"');
            Ok(())
        }
    )*};
}

fn key_must_be_a_string() -> Error {
    Error(io::Error::other("key must be a string"))
}

impl<W: Write> ser::Serializer for MapKey<'_, W> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = ser::Impossible<(), Error>;
    type SerializeTuple = ser::Impossible<(), Error>;
    type SerializeTupleStruct = ser::Impossible<(), Error>;
    type SerializeTupleVariant = ser::Impossible<(), Error>;
    type SerializeMap = ser::Impossible<(), Error>;
    type SerializeStruct = ser::Impossible<(), Error>;
    type SerializeStructVariant = ser::Impossible<(), Error>;

    quoted_integers!(serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64, serialize_i128: i128,
        serialize_u8: u8, serialize_u16: u16, serialize_u32: u32, serialize_u64: u64, serialize_u128: u128);

    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.0.buf.extend_from_slice(if v { b"\"true\"" } else { b"\"false\"" });
        Ok(())
    }

    fn serialize_f32(self, _v: f32) -> Result<(), Error> {
        Err(key_must_be_a_string())
    }

    fn serialize_f64(self, _v: f64) -> Result<(), Error> {
        Err(key_must_be_a_string())
    }

    fn serialize_char(self, v: char) -> Result<(), Error> {
        write_str(&mut self.0.buf, v.encode_utf8(&mut [0; 4]));
        Ok(())
    }

    fn serialize_str(self, v: &str) -> Result<(), Error> {
        write_str(&mut self.0.buf, v);
        Ok(())
    }

    fn serialize_bytes(self, _v: &[u8]) -> Result<(), Error> {
        Err(key_must_be_a_string())
    }

    fn serialize_none(self) -> Result<(), Error> {
        Err(key_must_be_a_string())
    }

    fn serialize_some<T: Serialize + ?Sized>(self, _value: &T) -> Result<(), Error> {
        Err(key_must_be_a_string())
    }

    fn serialize_unit(self) -> Result<(), Error> {
        Err(key_must_be_a_string())
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Error> {
        Err(key_must_be_a_string())
    }

    fn serialize_unit_variant(self, _name: &'static str, _index: u32, variant: &'static str) -> Result<(), Error> {
        self.serialize_str(variant)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _name: &'static str, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(self, _: &'static str, _: u32, _: &'static str, _: &T) -> Result<(), Error> {
        Err(key_must_be_a_string())
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq, Error> {
        Err(key_must_be_a_string())
    }

    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple, Error> {
        Err(key_must_be_a_string())
    }

    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeTupleStruct, Error> {
        Err(key_must_be_a_string())
    }

    fn serialize_tuple_variant(self, _: &'static str, _: u32, _: &'static str, _: usize) -> Result<Self::SerializeTupleVariant, Error> {
        Err(key_must_be_a_string())
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap, Error> {
        Err(key_must_be_a_string())
    }

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Error> {
        Err(key_must_be_a_string())
    }

    fn serialize_struct_variant(self, _: &'static str, _: u32, _: &'static str, _: usize) -> Result<Self::SerializeStructVariant, Error> {
        Err(key_must_be_a_string())
    }

    fn collect_str<T: Display + ?Sized>(self, value: &T) -> Result<(), Error> {
        self.0.serialize_str(&value.to_string())
    }
}

#[cfg(test)]
mod tests;
