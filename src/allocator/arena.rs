//! The allocation algorithm, free of any platform detail so that it is
//! tested on the host: an address-ordered free list over one region, first
//! fit, blocks split on allocation and coalesced with both neighbours on
//! free. Allocated blocks carry no header (GlobalAlloc hands the layout back
//! on free), so every byte not in use is on the free list.

use core::alloc::Layout;
use core::mem::{align_of, size_of};
use core::ptr::{self, NonNull};

/// A free block, stored in the free memory itself.
#[repr(C)]
struct FreeBlock {
    size: usize,
    next: *mut FreeBlock,
}

/// Every block is a multiple of this and aligned to it.
pub const GRANULE: usize = size_of::<FreeBlock>();
const _: () = assert!(GRANULE.is_power_of_two() && GRANULE >= align_of::<FreeBlock>());

/// A region of memory managed as a free list.
pub struct Arena {
    head: *mut FreeBlock,
    start: usize,
    end: usize,
}

// SAFETY: the arena owns its region; callers serialise access.
unsafe impl Send for Arena {}

/// The size a request occupies in the arena.
fn block_size(layout: Layout) -> usize {
    layout.size().max(1).next_multiple_of(GRANULE)
}

impl Arena {
    /// An arena with no memory (every allocation fails).
    pub const fn empty() -> Self {
        Arena {
            head: ptr::null_mut(),
            start: 0,
            end: 0,
        }
    }

    /// Takes over `[start, start + size)`, trimmed to the granule.
    ///
    /// # Safety
    /// The region must be valid, writable, unused by anything else for the
    /// arena's lifetime, and not wrap the address space.
    pub unsafe fn new(start: *mut u8, size: usize) -> Self {
        let begin = (start as usize).next_multiple_of(GRANULE);
        let end = (start as usize + size) & !(GRANULE - 1);
        if end <= begin {
            return Self::empty();
        }
        let block = begin as *mut FreeBlock;
        // SAFETY: the region is ours, aligned to GRANULE and large enough.
        unsafe {
            block.write(FreeBlock {
                size: end - begin,
                next: ptr::null_mut(),
            })
        };
        Arena {
            head: block,
            start: begin,
            end,
        }
    }

    /// True if `pointer` lies in this arena's region.
    pub fn contains(&self, pointer: *const u8) -> bool {
        (self.start..self.end).contains(&(pointer as usize))
    }

    /// First address of the managed region.
    pub fn start(&self) -> usize {
        self.start
    }

    /// Address just past the managed region.
    pub fn end(&self) -> usize {
        self.end
    }

    /// Bytes managed by the arena.
    pub fn capacity(&self) -> usize {
        self.end - self.start
    }

    /// Walks the free list: (total free bytes, largest free block, blocks).
    pub fn free_stats(&self) -> (usize, usize, usize) {
        let (mut total, mut largest, mut count) = (0, 0, 0);
        let mut block = self.head;
        while !block.is_null() {
            // SAFETY: free-list nodes are valid by the arena's invariant.
            let (size, next) = unsafe { ((*block).size, (*block).next) };
            total += size;
            largest = largest.max(size);
            count += 1;
            block = next;
        }
        (total, largest, count)
    }

    /// The largest allocation (with alignment `GRANULE`) that would succeed.
    pub fn largest_allocation(&self) -> usize {
        self.free_stats().1
    }

    /// Allocates, or returns `None` when no free block fits.
    pub fn allocate(&mut self, layout: Layout) -> Option<NonNull<u8>> {
        let size = block_size(layout);
        let align = layout.align().max(GRANULE);
        let mut previous: *mut FreeBlock = ptr::null_mut();
        let mut block = self.head;
        while !block.is_null() {
            // SAFETY: `block` is a valid free-list node.
            let (block_start, block_size, next) =
                unsafe { (block as usize, (*block).size, (*block).next) };
            let block_end = block_start + block_size;
            // Blocks and sizes are granule multiples and `align` is a
            // power of two ≥ GRANULE, so the front padding and the tail are
            // each either empty or a valid free block.
            let payload = block_start.next_multiple_of(align);
            if let Some(payload_end) = payload.checked_add(size) {
                if payload_end <= block_end {
                    let front = payload - block_start;
                    let back = block_end - payload_end;
                    // Unlink the block, then give back the unused parts.
                    let mut link = next;
                    if back >= GRANULE {
                        let tail = payload_end as *mut FreeBlock;
                        // SAFETY: the tail lies inside the block being split.
                        unsafe {
                            tail.write(FreeBlock {
                                size: back,
                                next: link,
                            })
                        };
                        link = tail;
                    }
                    if front >= GRANULE {
                        // SAFETY: the front remainder is the old block head.
                        unsafe {
                            (*block).size = front;
                            (*block).next = link
                        };
                    } else if previous.is_null() {
                        self.head = link;
                    } else {
                        // SAFETY: `previous` is a valid node.
                        unsafe { (*previous).next = link };
                    }
                    debug_assert!(back % GRANULE == 0 && front % GRANULE == 0);
                    return NonNull::new(payload as *mut u8);
                }
            }
            previous = block;
            block = next;
        }
        None
    }

    /// Returns a block to the free list, merging it with free neighbours.
    ///
    /// # Safety
    /// `pointer` must come from [`Arena::allocate`] on this arena with the
    /// same `layout`, and not be freed twice.
    pub unsafe fn deallocate(&mut self, pointer: NonNull<u8>, layout: Layout) {
        let start = pointer.as_ptr() as usize;
        let mut size = block_size(layout);
        // Find the neighbours in address order.
        let mut previous: *mut FreeBlock = ptr::null_mut();
        let mut next = self.head;
        while !next.is_null() && (next as usize) < start {
            previous = next;
            // SAFETY: valid node.
            next = unsafe { (*next).next };
        }
        // Merge with the following block.
        let mut link = next;
        if !next.is_null() && start + size == next as usize {
            // SAFETY: valid node.
            unsafe {
                size += (*next).size;
                link = (*next).next;
            }
        }
        // Merge with the preceding block, or insert a new one.
        // SAFETY: `previous`, when not null, is a valid node.
        if !previous.is_null() && previous as usize + unsafe { (*previous).size } == start {
            // SAFETY: valid node.
            unsafe {
                (*previous).size += size;
                (*previous).next = link;
            }
        } else {
            let block = start as *mut FreeBlock;
            // SAFETY: the freed block is ours again, granule-aligned and at
            // least a granule long.
            unsafe { block.write(FreeBlock { size, next: link }) };
            if previous.is_null() {
                self.head = block;
            } else {
                // SAFETY: valid node.
                unsafe { (*previous).next = block };
            }
        }
    }

    /// Grows or shrinks a block in place when its free neighbour allows it.
    /// Returns false (leaving everything unchanged) when it cannot.
    ///
    /// # Safety
    /// As for [`Arena::deallocate`].
    pub unsafe fn resize_in_place(
        &mut self,
        pointer: NonNull<u8>,
        layout: Layout,
        new_size: usize,
    ) -> bool {
        let start = pointer.as_ptr() as usize;
        let old = block_size(layout);
        let Ok(new_layout) = Layout::from_size_align(new_size, layout.align()) else {
            return false;
        };
        let new = block_size(new_layout);
        if new == old {
            return true;
        }
        if new < old {
            // Free the tail.
            let tail = Layout::from_size_align(old - new, GRANULE).unwrap();
            // SAFETY: the tail is part of our block, granule-aligned.
            unsafe { self.deallocate(NonNull::new_unchecked((start + new) as *mut u8), tail) };
            return true;
        }
        // Grow into the free block right after us, if there is one.
        let end = start + old;
        let mut previous: *mut FreeBlock = ptr::null_mut();
        let mut block = self.head;
        while !block.is_null() && (block as usize) < end {
            previous = block;
            // SAFETY: valid node.
            block = unsafe { (*block).next };
        }
        if block.is_null() || block as usize != end {
            return false;
        }
        // SAFETY: valid node.
        let (free_size, next) = unsafe { ((*block).size, (*block).next) };
        let needed = new - old;
        if free_size < needed {
            return false;
        }
        let remaining = free_size - needed;
        let link = if remaining >= GRANULE {
            let rest = (end + needed) as *mut FreeBlock;
            // SAFETY: inside the free block we are consuming.
            unsafe {
                rest.write(FreeBlock {
                    size: remaining,
                    next,
                })
            };
            rest
        } else if remaining == 0 {
            next
        } else {
            return false;
        };
        if previous.is_null() {
            self.head = link;
        } else {
            // SAFETY: valid node.
            unsafe { (*previous).next = link };
        }
        true
    }
}

#[cfg(test)]
#[path = "arena_tests.rs"]
mod tests;
