//! The stack-preferring global allocator.
//!
//! The OS heap is small (about 128 KiB) and its `realloc` is not
//! trustworthy, while the 512 KiB add-in RAM is mostly stack the add-in
//! never uses. At start-up the allocator takes the RAM between the end of
//! static data and a safety margin below the stack's top (`__arena_start`
//! .. `__arena_end` from `link.ld`) as its main arena, and falls back to the
//! OS heap when the arena is full. A failed allocation ends in the panic
//! screen ("memory allocation of N bytes failed"), never in corruption.

pub mod arena;

#[cfg(target_os = "none")]
mod global {
    use super::arena::Arena;
    use core::alloc::{GlobalAlloc, Layout};
    use core::cell::UnsafeCell;
    use core::ptr::{self, NonNull};
    use core::sync::atomic::{AtomicBool, Ordering};

    unsafe extern "C" {
        static mut __arena_start: u8;
        static mut __arena_end: u8;
    }

    /// The global allocator of every add-in.
    pub struct StackPreferringAllocator {
        arena: UnsafeCell<Arena>,
        busy: AtomicBool,
    }

    // SAFETY: the calculator runs one thread; `busy` turns re-entry from a
    // timer interrupt into an allocation failure instead of a data race.
    unsafe impl Sync for StackPreferringAllocator {}

    #[global_allocator]
    static ALLOCATOR: StackPreferringAllocator =
        StackPreferringAllocator { arena: UnsafeCell::new(Arena::empty()), busy: AtomicBool::new(false) };

    /// Alignment the OS heap guarantees.
    const OS_HEAP_ALIGN: usize = 4;

    impl StackPreferringAllocator {
        fn with_arena<R>(&self, fallback: R, f: impl FnOnce(&mut Arena) -> R) -> R {
            if self.busy.swap(true, Ordering::Acquire) {
                return fallback;
            }
            // SAFETY: `busy` guarantees exclusive access.
            let result = f(unsafe { &mut *self.arena.get() });
            self.busy.store(false, Ordering::Release);
            result
        }
    }

    unsafe impl GlobalAlloc for StackPreferringAllocator {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            let from_arena = self.with_arena(None, |arena| arena.allocate(layout));
            if let Some(pointer) = from_arena {
                return pointer.as_ptr();
            }
            if layout.align() <= OS_HEAP_ALIGN {
                // SAFETY: plain OS allocation; null on failure.
                return unsafe { crate::syscall::sys_malloc(layout.size().max(1) as i32) };
            }
            ptr::null_mut()
        }

        unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
            let Some(pointer) = NonNull::new(pointer) else { return };
            let in_arena = self.with_arena(false, |arena| arena.contains(pointer.as_ptr()));
            if in_arena {
                // SAFETY: the pointer came from this arena with this layout
                // (GlobalAlloc's contract).
                self.with_arena((), |arena| unsafe { arena.deallocate(pointer, layout) });
            } else {
                // SAFETY: not ours, so it came from sys_malloc.
                unsafe { crate::syscall::sys_free(pointer.as_ptr()) };
            }
        }

        unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            if let Some(block) = NonNull::new(pointer) {
                let resized = self.with_arena(false, |arena| {
                    // SAFETY: GlobalAlloc's contract for `pointer`/`layout`.
                    arena.contains(pointer) && unsafe { arena.resize_in_place(block, layout, new_size) }
                });
                if resized {
                    return pointer;
                }
            }
            // Move: never the OS's realloc, which may lose the contents.
            // SAFETY: GlobalAlloc's contract.
            unsafe {
                let new_layout = Layout::from_size_align_unchecked(new_size, layout.align());
                let new = self.alloc(new_layout);
                if !new.is_null() {
                    ptr::copy_nonoverlapping(pointer, new, layout.size().min(new_size));
                    self.dealloc(pointer, layout);
                }
                new
            }
        }
    }

    pub fn init() {
        // SAFETY: link.ld reserves __arena_start..__arena_end for us: above
        // .bss and below the stack's safety margin; nothing else uses it.
        unsafe {
            let start = &raw mut __arena_start;
            let end = &raw mut __arena_end as usize;
            let size = end.saturating_sub(start as usize);
            ALLOCATOR.with_arena((), |arena| *arena = Arena::new(start, size));
        }
    }

    pub fn stats() -> super::Stats {
        ALLOCATOR.with_arena(super::Stats::default(), |arena| {
            let (free, largest, blocks) = arena.free_stats();
            super::Stats { capacity: arena.capacity(), free, largest_free: largest, free_blocks: blocks }
        })
    }
}

/// A snapshot of the arena's state.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    /// Bytes the arena manages.
    pub capacity: usize,
    /// Bytes free in the arena.
    pub free: usize,
    /// The largest single allocation the arena can serve now.
    pub largest_free: usize,
    /// Number of free blocks (1 when nothing is fragmented).
    pub free_blocks: usize,
}

/// Sets up the arena; called by the runtime before `main`.
pub fn init() {
    #[cfg(target_os = "none")]
    global::init();
}

/// The arena's current state (all zero on the host).
pub fn stats() -> Stats {
    #[cfg(target_os = "none")]
    return global::stats();
    #[cfg(not(target_os = "none"))]
    Stats::default()
}
