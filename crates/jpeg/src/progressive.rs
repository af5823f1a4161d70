//! Progressive and multi-scan sequential images (filled in below).

use crate::decoder::{Decoder, Layout, Options, Pixels, Summary};
use crate::error::{Error, ErrorKind, Feature, Result};
use crate::source::ByteSource;

impl<S: ByteSource> Decoder<S> {
    pub(crate) fn decode_multi_scan<F: FnMut(u32, Pixels<'_>)>(
        &mut self,
        _options: &Options,
        _layout: &Layout,
        _sink: &mut F,
    ) -> Result<Summary> {
        Err(Error::new(ErrorKind::Unsupported(Feature::Lossless), 0, None))
    }
}
