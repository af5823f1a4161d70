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
    use core::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

    unsafe extern "C" {
        static mut __arena_start: u8;
        static mut __arena_end: u8;
    }

    /// The global allocator of every add-in.
    pub struct StackPreferringAllocator {
        arena: UnsafeCell<Arena>,
        busy: AtomicBool,
        /// The arena's bounds, readable without taking `busy` (they never
        /// change after `init`).
        start: AtomicUsize,
        end: AtomicUsize,
    }

    // SAFETY: the calculator runs one thread; `busy` turns re-entry from a
    // timer interrupt into an allocation failure instead of a data race.
    unsafe impl Sync for StackPreferringAllocator {}

    #[global_allocator]
    static ALLOCATOR: StackPreferringAllocator = StackPreferringAllocator {
        arena: UnsafeCell::new(Arena::empty()),
        busy: AtomicBool::new(false),
        start: AtomicUsize::new(0),
        end: AtomicUsize::new(0),
    };

    /// Alignment the OS heap guarantees.
    const OS_HEAP_ALIGN: usize = 4;

    impl StackPreferringAllocator {
        fn with_arena<R>(&self, fallback: R, f: impl FnOnce(&mut Arena) -> R) -> R {
            // The target has no compare-and-swap; with one thread, a load
            // then a store only leaves a window for a timer interrupt
            // between the two instructions.
            if self.busy.load(Ordering::Acquire) {
                return fallback;
            }
            self.busy.store(true, Ordering::Release);
            // SAFETY: `busy` guarantees exclusive access.
            let result = f(unsafe { &mut *self.arena.get() });
            self.busy.store(false, Ordering::Release);
            result
        }

        fn in_arena(&self, pointer: *const u8) -> bool {
            let address = pointer as usize;
            address >= self.start.load(Ordering::Relaxed)
                && address < self.end.load(Ordering::Relaxed)
        }
    }

    // SAFETY: blocks come from the arena (disjoint, aligned as the layout
    // asks, never handed out twice) or from the OS heap for layouts it can
    // align; `dealloc` and `realloc` send each pointer back to where it came
    // from by its address.
    unsafe impl GlobalAlloc for StackPreferringAllocator {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            let from_arena = self.with_arena(None, |arena| arena.allocate(layout));
            if let Some(pointer) = from_arena {
                return pointer.as_ptr();
            }
            if layout.align() <= OS_HEAP_ALIGN && layout.size() <= i32::MAX as usize {
                // SAFETY: plain OS allocation; null on failure.
                return unsafe { crate::syscall::sys_malloc(layout.size().max(1) as i32) };
            }
            ptr::null_mut()
        }

        unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
            let Some(pointer) = NonNull::new(pointer) else {
                return;
            };
            if self.in_arena(pointer.as_ptr()) {
                // SAFETY: the pointer came from this arena with this layout
                // (GlobalAlloc's contract). Freed during re-entry (busy), it
                // is leaked: never handed to the OS heap.
                self.with_arena((), |arena| unsafe { arena.deallocate(pointer, layout) });
            } else {
                // SAFETY: not ours, so it came from sys_malloc.
                unsafe { crate::syscall::sys_free(pointer.as_ptr()) };
            }
        }

        unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            if let Some(block) = NonNull::new(pointer) {
                let resized = self.in_arena(pointer)
                    && self.with_arena(false, |arena| {
                        // SAFETY: GlobalAlloc's contract for `pointer`/`layout`.
                        unsafe { arena.resize_in_place(block, layout, new_size) }
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
            ALLOCATOR.with_arena((), |arena| {
                *arena = Arena::new(start, size);
                ALLOCATOR.start.store(arena.start(), Ordering::Relaxed);
                ALLOCATOR.end.store(arena.end(), Ordering::Relaxed);
            });
        }
    }

    pub fn stats() -> super::Stats {
        ALLOCATOR.with_arena(super::Stats::default(), |arena| {
            let (free, largest, blocks) = arena.free_stats();
            super::Stats {
                capacity: arena.capacity(),
                free,
                largest_free: largest,
                free_blocks: blocks,
            }
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

/// The result of [`bench`]: how long the allocator took.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Bench {
    /// RTC ticks (1/128 s) the run took.
    pub ticks: u32,
    /// Allocations plus frees performed.
    pub operations: u32,
}

impl Bench {
    /// Average CPU cycles per allocation or free at `clock_hz` (58 MHz by
    /// default on the calculator).
    pub fn cycles_per_operation(&self, clock_hz: u32) -> u64 {
        if self.operations == 0 {
            return 0;
        }
        let cycles =
            u64::from(self.ticks) * u64::from(clock_hz) / u64::from(crate::time::TICKS_PER_SECOND);
        cycles / u64::from(self.operations)
    }
}

/// Sizes the benchmark cycles through: mostly small, some large.
#[cfg(any(test, target_os = "none"))]
const BENCH_SIZES: [usize; 8] = [8, 24, 100, 16, 512, 40, 2048, 12];

/// Runs `pairs` allocation/free pairs of mixed sizes through the global
/// allocator (keeping up to 16 blocks alive, so the free list fragments)
/// and measures them with the RTC. For the emulator's benchmark harness;
/// the calculator only (it reads the clock).
#[cfg(target_os = "none")]
pub fn bench(pairs: u32) -> Bench {
    use alloc::alloc::{alloc, dealloc, Layout};
    let mut slots: [Option<(*mut u8, Layout)>; 16] = [None; 16];
    let mut operations = 0u32;
    let start = crate::time::Instant::now();
    for i in 0..pairs as usize {
        let slot = &mut slots[i.wrapping_mul(7) % 16];
        if let Some((pointer, layout)) = slot.take() {
            // SAFETY: allocated below with this layout, freed once.
            unsafe { dealloc(pointer, layout) };
            operations += 1;
        }
        let layout =
            Layout::from_size_align(BENCH_SIZES[i % BENCH_SIZES.len()], 4).expect("valid layout");
        // SAFETY: non-zero size.
        let pointer = unsafe { alloc(layout) };
        if !pointer.is_null() {
            *slot = Some((core::hint::black_box(pointer), layout));
        }
        operations += 1;
    }
    for (pointer, layout) in slots.iter_mut().filter_map(Option::take) {
        // SAFETY: allocated above with this layout, freed once.
        unsafe { dealloc(pointer, layout) };
        operations += 1;
    }
    Bench {
        ticks: start.elapsed_ticks(),
        operations,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    prizm_test! {
        fn bench_arithmetic() {
            let result = Bench { ticks: 128, operations: 58 };
            assert_eq!(result.cycles_per_operation(58_000_000), 1_000_000);
            assert_eq!(Bench::default().cycles_per_operation(58_000_000), 0);
            assert!(BENCH_SIZES.iter().all(|&size| size > 0));
        }
    }
}
