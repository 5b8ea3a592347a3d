//! A browser `File` as a seekable reader, in a Web Worker: each read is one
//! `FileReaderSync` call on a slice of the file (workers only), so only what
//! is asked for is ever in memory. Each call is a round trip: wrap it in a
//! `BufReader` sized for how the reader is used.

use std::io::{self, Read, Seek, SeekFrom};

use js_sys::Uint8Array;
use wasm_bindgen::JsValue;

/// A `File` as a seekable reader.
pub struct FileSource {
    file: web_sys::File,
    reader: web_sys::FileReaderSync,
    position: u64,
    size: u64,
}

impl FileSource {
    pub fn new(file: web_sys::File) -> Result<FileSource, JsValue> {
        Ok(FileSource {
            size: file.size() as u64,
            reader: web_sys::FileReaderSync::new()?,
            file,
            position: 0,
        })
    }
}

impl Read for FileSource {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.position >= self.size || buf.is_empty() {
            return Ok(0);
        }
        let end = self.size.min(self.position + buf.len() as u64);
        let failed = |what: &str| io::Error::other(format!("could not {what} the file"));
        let slice = self
            .file
            .slice_with_f64_and_f64(self.position as f64, end as f64)
            .map_err(|_| failed("slice"))?;
        let buffer = self
            .reader
            .read_as_array_buffer(&slice)
            .map_err(|_| failed("read"))?;
        let bytes = Uint8Array::new(&buffer);
        let read = bytes.length() as usize;
        bytes.copy_to(&mut buf[..read]);
        self.position += read as u64;
        Ok(read)
    }
}

impl Seek for FileSource {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let target = match to {
            SeekFrom::Start(at) => Some(at),
            SeekFrom::End(delta) => self.size.checked_add_signed(delta),
            SeekFrom::Current(delta) => self.position.checked_add_signed(delta),
        };
        self.position = target
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "seek before the start"))?;
        Ok(self.position)
    }
}
