//! The OS heap: `sys_malloc` 0x1F44, `sys_free` 0x1F42, `sys_realloc` 0x1F46.
//!
//! The 128 KiB at `0x881E0000` are handed out first-fit in 4-byte units.
//! The bookkeeping lives in the emulator, not in guest memory, so a buffer
//! overrun cannot corrupt it, and freeing something that is not an
//! allocated block stops the run with a report.
//!
//! `sys_realloc` is modelled sanely (the real one is not POSIX-compliant
//! and may lose the contents when growing): `realloc(NULL, n)` allocates,
//! `realloc(p, 0)` frees and returns NULL, shrinking and growing into free
//! space right after the block happen in place, and otherwise the block
//! moves *with* its contents. A move is noted as a warning, because the
//! calculator's OS may not keep the contents in that case.
//!
//! New and freed memory holds the fill pattern (0xA5).

use std::collections::BTreeMap;

use super::{Action, Ctx, SysErr};
use crate::memory::{HEAP_BASE, HEAP_SIZE};

/// The allocator's state.
#[derive(Debug, Clone, Default)]
pub struct Heap {
    /// Allocated blocks: address → size in bytes (rounded up to 4).
    blocks: BTreeMap<u32, u32>,
}

/// What `realloc` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Realloc {
    /// Resized in place.
    InPlace(u32),
    /// Moved: copy `copy` bytes from `from` to `to`.
    Moved {
        /// Old address.
        from: u32,
        /// New address.
        to: u32,
        /// Bytes to keep.
        copy: u32,
    },
    /// No room: the old block is untouched.
    Failed,
    /// The pointer is not an allocated block.
    Invalid,
}

fn round(size: u32) -> u32 {
    size.max(1).saturating_add(3) & !3
}

impl Heap {
    /// Allocates `size` bytes; `None` when no gap is large enough.
    pub fn alloc(&mut self, size: u32) -> Option<u32> {
        let size = round(size);
        if size > HEAP_SIZE {
            return None;
        }
        let mut cursor = HEAP_BASE;
        for (&addr, &len) in &self.blocks {
            if addr - cursor >= size {
                break;
            }
            cursor = addr + len;
        }
        if cursor + size > HEAP_BASE + HEAP_SIZE {
            return None;
        }
        self.blocks.insert(cursor, size);
        Some(cursor)
    }

    /// Frees a block; returns its size, or `None` if `addr` is not a block.
    pub fn free(&mut self, addr: u32) -> Option<u32> {
        self.blocks.remove(&addr)
    }

    /// Resizes a block (see the module documentation).
    pub fn realloc(&mut self, addr: u32, size: u32) -> Realloc {
        let Some(&old) = self.blocks.get(&addr) else {
            return Realloc::Invalid;
        };
        let new = round(size);
        let limit = self
            .blocks
            .range(addr + 1..)
            .next()
            .map(|(next, _)| *next)
            .unwrap_or(HEAP_BASE + HEAP_SIZE);
        if u64::from(addr) + u64::from(new) <= u64::from(limit) {
            self.blocks.insert(addr, new);
            return Realloc::InPlace(addr);
        }
        self.blocks.remove(&addr);
        match self.alloc(size) {
            Some(to) => Realloc::Moved {
                from: addr,
                to,
                copy: old.min(new),
            },
            None => {
                self.blocks.insert(addr, old);
                Realloc::Failed
            }
        }
    }

    /// Bytes allocated.
    pub fn used(&self) -> u32 {
        self.blocks.values().sum()
    }

    /// Number of live blocks.
    pub fn block_count(&self) -> usize {
        self.blocks.len()
    }
}

/// `void* sys_malloc(int size)`.
pub fn sys_malloc(ctx: &mut Ctx) -> Result<Action, SysErr> {
    let size = ctx.arg(0)? as i32;
    if size < 0 {
        return Ok(Action::Return(0));
    }
    let block = ctx
        .os
        .heap
        .alloc(size as u32)
        .map(|p| ctx.mem.model().shown(p));
    Ok(Action::Return(block.unwrap_or(0)))
}

/// `void sys_free(void* p)`.
pub fn sys_free(ctx: &mut Ctx) -> Result<Action, SysErr> {
    let addr = ctx.mem.model().canonical(ctx.arg(0)?);
    if addr == 0 {
        return Ok(Action::Return(0));
    }
    match ctx.os.heap.free(addr) {
        Some(size) => {
            ctx.mem.fill_heap(addr, size as usize);
            Ok(Action::Return(0))
        }
        None => Err(SysErr::Fault(format!(
            "sys_free(0x{addr:08X}): not a block returned by sys_malloc (freed twice, or a wrong pointer)"
        ))),
    }
}

/// `void* sys_realloc(void* p, int size)`.
pub fn sys_realloc(ctx: &mut Ctx) -> Result<Action, SysErr> {
    let model = ctx.mem.model();
    let addr = model.canonical(ctx.arg(0)?);
    let size = ctx.arg(1)? as i32;
    if addr == 0 {
        if size < 0 {
            return Ok(Action::Return(0));
        }
        let block = ctx.os.heap.alloc(size as u32).map(|p| model.shown(p));
        return Ok(Action::Return(block.unwrap_or(0)));
    }
    if size <= 0 {
        if let Some(old) = ctx.os.heap.free(addr) {
            ctx.mem.fill_heap(addr, old as usize);
            return Ok(Action::Return(0));
        }
    }
    match ctx.os.heap.realloc(addr, size.max(0) as u32) {
        Realloc::InPlace(p) => Ok(Action::Return(model.shown(p))),
        Realloc::Moved { from, to, copy } => {
            ctx.mem.copy_heap(from, to, copy as usize);
            ctx.os.warn(format!(
                "sys_realloc moved a block from 0x{from:08X} to 0x{to:08X} keeping its contents; the calculator's OS may not keep them"
            ));
            Ok(Action::Return(model.shown(to)))
        }
        Realloc::Failed => Ok(Action::Return(0)),
        Realloc::Invalid => Err(SysErr::Fault(format!(
            "sys_realloc(0x{addr:08X}, {size}): not a block returned by sys_malloc"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_fit_allocation() {
        let mut heap = Heap::default();
        let a = heap.alloc(10).unwrap();
        let b = heap.alloc(1).unwrap();
        assert_eq!(a, HEAP_BASE);
        assert_eq!(b, HEAP_BASE + 12);
        assert_eq!(heap.free(a), Some(12));
        assert_eq!(heap.free(a), None);
        assert_eq!(heap.alloc(8), Some(HEAP_BASE));
        assert_eq!(heap.alloc(0), Some(HEAP_BASE + 8));
        assert_eq!(heap.used(), 8 + 4 + 4);
    }

    #[test]
    fn the_heap_is_128_kib() {
        let mut heap = Heap::default();
        assert_eq!(heap.alloc(HEAP_SIZE + 1), None);
        assert_eq!(heap.alloc(u32::MAX), None);
        let whole = heap.alloc(HEAP_SIZE).unwrap();
        assert_eq!(heap.alloc(4), None);
        heap.free(whole);
        let mut count = 0;
        while heap.alloc(1000).is_some() {
            count += 1;
        }
        assert_eq!(count, HEAP_SIZE / 1000);
    }

    #[test]
    fn realloc_in_place_and_moving() {
        let mut heap = Heap::default();
        let a = heap.alloc(16).unwrap();
        assert_eq!(heap.realloc(a, 100), Realloc::InPlace(a));
        let b = heap.alloc(16).unwrap();
        assert_eq!(heap.realloc(a, 8), Realloc::InPlace(a));
        assert_eq!(
            heap.realloc(a, 200),
            Realloc::Moved {
                from: a,
                to: b + 16,
                copy: 8
            }
        );
        assert_eq!(heap.realloc(0x1234, 8), Realloc::Invalid);
        assert_eq!(heap.realloc(b, HEAP_SIZE), Realloc::Failed);
        assert_eq!(heap.block_count(), 2);
    }
}
