//! Where the compressed bytes come from: a small `Read`+`Seek`-like trait.

use crate::error::ReadError;

/// A source of the JPEG file's bytes, read front to back with occasional
/// seeks (a re-decode of another region, an index checkpoint).
///
/// The calculator's file API implements this over a file handle; tests use
/// [`SliceSource`].
pub trait ByteSource {
    /// Reads up to `buf.len()` bytes into `buf`; `Ok(0)` means end of file.
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, ReadError>;
    /// Moves to absolute byte `position`; later reads start there.
    fn seek(&mut self, position: u64) -> Result<(), ReadError>;
    /// Reads up to `buf.len()` bytes from absolute byte `position` (later
    /// reads go on after them). The decoder calls this for the first read
    /// after a jump rather than [`seek`](Self::seek) and [`read`](Self::read):
    /// a source that can read at a position in one call (the calculator's
    /// file API can) saves a call per jump.
    fn read_at(&mut self, buf: &mut [u8], position: u64) -> Result<usize, ReadError> {
        self.seek(position)?;
        self.read(buf)
    }
    /// Asked before each MCU row of a sequential picture and before each
    /// MCU row a progressive picture outputs (a small file is read in one
    /// go, so reads alone come too seldom): an error stops the decode there
    /// with that error. A source that watches for a cancel key says so
    /// here as well as in its reads.
    fn proceed(&mut self) -> Result<(), ReadError> {
        Ok(())
    }
}

/// A cursor over bytes already in memory.
#[derive(Clone, Debug)]
pub struct SliceSource<'a> {
    data: &'a [u8],
    position: usize,
}

impl<'a> SliceSource<'a> {
    /// A cursor at the start of `data`.
    pub fn new(data: &'a [u8]) -> Self {
        SliceSource { data, position: 0 }
    }
}

impl ByteSource for SliceSource<'_> {
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, ReadError> {
        let rest = self.data.get(self.position..).unwrap_or(&[]);
        let n = rest.len().min(buf.len());
        buf[..n].copy_from_slice(&rest[..n]);
        self.position += n;
        Ok(n)
    }

    fn seek(&mut self, position: u64) -> Result<(), ReadError> {
        // Past the end is allowed (reads then return 0), as with files.
        self.position = usize::try_from(position).unwrap_or(usize::MAX);
        Ok(())
    }
}

impl<S: ByteSource + ?Sized> ByteSource for &mut S {
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, ReadError> {
        (**self).read(buf)
    }
    fn seek(&mut self, position: u64) -> Result<(), ReadError> {
        (**self).seek(position)
    }
    fn read_at(&mut self, buf: &mut [u8], position: u64) -> Result<usize, ReadError> {
        (**self).read_at(buf, position)
    }
    fn proceed(&mut self) -> Result<(), ReadError> {
        (**self).proceed()
    }
}

/// The calculator's file API: an open file in storage memory, read front to
/// back (feature `prizm`). The OS refuses seeks past the end of the file.
#[cfg(feature = "prizm")]
impl ByteSource for prizm::fs::File {
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, ReadError> {
        prizm::fs::File::read(self, buf).map_err(file_error)
    }

    fn seek(&mut self, position: u64) -> Result<(), ReadError> {
        let position = usize::try_from(position).map_err(|_| file_error(prizm::fs::FsError::InvalidSeek))?;
        prizm::fs::File::seek(self, position).map_err(file_error)
    }

    /// One `Bfile_ReadFile_OS` call with the position, not a seek and a read.
    fn read_at(&mut self, buf: &mut [u8], position: u64) -> Result<usize, ReadError> {
        let position = usize::try_from(position).map_err(|_| file_error(prizm::fs::FsError::InvalidSeek))?;
        prizm::fs::File::read_at(self, buf, position).map_err(file_error)
    }
}

#[cfg(feature = "prizm")]
fn file_error(e: prizm::fs::FsError) -> ReadError {
    ReadError { message: e.message(), code: e.code().unwrap_or(0) }
}
