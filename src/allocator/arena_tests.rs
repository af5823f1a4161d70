//! Model-checked tests of the arena: randomized allocate / resize / free
//! sequences, every step checked against a list of the live blocks.

use super::*;
use alloc::alloc::{alloc, dealloc};
use alloc::vec::Vec;

/// A small, seeded PRNG (xorshift64*), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, bound: usize) -> usize {
        (self.next() >> 33) as usize % bound
    }
}

/// Memory for an arena, from the global allocator, freed on drop.
struct Region {
    base: *mut u8,
    layout: Layout,
}

impl Region {
    fn new(size: usize) -> Region {
        let layout = Layout::from_size_align(size, 256).unwrap();
        // SAFETY: non-zero size.
        let base = unsafe { alloc(layout) };
        assert!(!base.is_null());
        Region { base, layout }
    }
}

impl Drop for Region {
    fn drop(&mut self) {
        // SAFETY: allocated in `new` with this layout.
        unsafe { dealloc(self.base, self.layout) };
    }
}

/// A live block in the model.
#[derive(Clone, Copy)]
struct Live {
    address: usize,
    layout: Layout,
    seed: u8,
}

impl Live {
    fn end(&self) -> usize {
        self.address + block_size(self.layout)
    }

    fn fill(&self) {
        for i in 0..self.layout.size() {
            // SAFETY: the block is ours and `size` bytes long.
            unsafe { *((self.address + i) as *mut u8) = self.seed.wrapping_add(i as u8) };
        }
    }

    /// Checks the first `length` bytes still hold the pattern.
    fn check(&self, length: usize) {
        for i in 0..length {
            // SAFETY: as in `fill`.
            let byte = unsafe { *((self.address + i) as *const u8) };
            assert_eq!(
                byte,
                self.seed.wrapping_add(i as u8),
                "block at {:#x} corrupted at byte {i}",
                self.address
            );
        }
    }
}

/// The free list as (address, size) pairs, checking its own invariants:
/// address order, granule alignment, inside the region, fully coalesced.
fn free_blocks(arena: &Arena) -> Vec<(usize, usize)> {
    let mut blocks = Vec::new();
    let mut block = arena.head;
    while !block.is_null() {
        // SAFETY: free-list nodes are valid.
        let (size, next) = unsafe { ((*block).size, (*block).next) };
        let address = block as usize;
        assert!(address.is_multiple_of(GRANULE) && size.is_multiple_of(GRANULE) && size >= GRANULE);
        assert!(address >= arena.start && address + size <= arena.end);
        if let Some(&(previous, previous_size)) = blocks.last() {
            assert!(
                previous + previous_size < address,
                "free blocks touch or overlap: not coalesced"
            );
        }
        blocks.push((address, size));
        block = next;
    }
    blocks
}

/// Checks the whole state: live blocks inside the arena, aligned, not
/// overlapping each other or the free list, and no byte lost.
fn check_state(arena: &Arena, live: &[Live]) {
    let free = free_blocks(arena);
    let mut spans: Vec<(usize, usize)> = live.iter().map(|b| (b.address, b.end())).collect();
    for block in live {
        assert_eq!(
            block.address % block.layout.align(),
            0,
            "alignment not honoured"
        );
        assert!(block.address >= arena.start && block.end() <= arena.end);
    }
    spans.extend(
        free.iter()
            .map(|&(address, size)| (address, address + size)),
    );
    spans.sort_unstable();
    for pair in spans.windows(2) {
        assert!(
            pair[0].1 <= pair[1].0,
            "blocks overlap: {:x?} and {:x?}",
            pair[0],
            pair[1]
        );
    }
    let free_bytes: usize = free.iter().map(|&(_, size)| size).sum();
    let live_bytes: usize = live.iter().map(|b| block_size(b.layout)).sum();
    assert_eq!(free_bytes + live_bytes, arena.capacity(), "bytes lost");
    assert_eq!(arena.free_stats().0, free_bytes);
}

fn random_layout(rng: &mut Rng) -> Layout {
    let align = 1 << rng.below(9); // 1..=256
    let size = match rng.below(10) {
        0 => 0,
        1..=5 => 1 + rng.below(32),
        6..=8 => 1 + rng.below(512),
        _ => 1 + rng.below(6000),
    };
    Layout::from_size_align(size, align).unwrap()
}

/// Runs `steps` random operations on an arena of `capacity` bytes whose
/// region starts `offset` bytes into an aligned buffer.
/// Returns (failed allocations, in-place resizes) to show the paths ran.
fn run(seed: u64, steps: usize, capacity: usize, offset: usize) -> (usize, usize) {
    let region = Region::new(capacity + offset);
    // SAFETY: the region is ours for the arena's lifetime.
    let mut arena = unsafe { Arena::new(region.base.add(offset), capacity) };
    let mut rng = Rng(seed | 1);
    let mut live: Vec<Live> = Vec::new();
    let mut next_seed = 0u8;
    let (mut allocations, mut failures, mut in_place) = (0, 0, 0);
    check_state(&arena, &live);
    for _ in 0..steps {
        match rng.below(10) {
            0..=4 => {
                let layout = random_layout(&mut rng);
                match arena.allocate(layout) {
                    Some(pointer) => {
                        next_seed = next_seed.wrapping_add(37);
                        let block = Live {
                            address: pointer.as_ptr() as usize,
                            layout,
                            seed: next_seed,
                        };
                        block.fill();
                        live.push(block);
                        allocations += 1;
                    }
                    None => {
                        // Failing is allowed only when no free block can
                        // hold the request at its alignment.
                        let align = layout.align().max(GRANULE);
                        let fits = free_blocks(&arena).iter().any(|&(address, size)| {
                            address.next_multiple_of(align) + block_size(layout) <= address + size
                        });
                        assert!(
                            !fits,
                            "allocation of {layout:?} failed although a free block fits"
                        );
                        failures += 1;
                    }
                }
            }
            5..=7 if !live.is_empty() => {
                let block = live.swap_remove(rng.below(live.len()));
                block.check(block.layout.size());
                // SAFETY: allocated by this arena with this layout.
                unsafe {
                    arena.deallocate(
                        NonNull::new(block.address as *mut u8).unwrap(),
                        block.layout,
                    )
                };
            }
            8..=9 if !live.is_empty() => {
                let index = rng.below(live.len());
                let block = live[index];
                let new_size = random_layout(&mut rng).size();
                let pointer = NonNull::new(block.address as *mut u8).unwrap();
                // SAFETY: a live block of this arena with this layout.
                if unsafe { arena.resize_in_place(pointer, block.layout, new_size) } {
                    in_place += 1;
                    let resized = Live {
                        layout: Layout::from_size_align(new_size, block.layout.align()).unwrap(),
                        ..block
                    };
                    resized.check(block.layout.size().min(new_size));
                    resized.fill();
                    live[index] = resized;
                } else {
                    // What the global allocator does: move.
                    let layout = Layout::from_size_align(new_size, block.layout.align()).unwrap();
                    if let Some(new) = arena.allocate(layout) {
                        let copy = block.layout.size().min(new_size);
                        // SAFETY: distinct live blocks, both at least `copy` long.
                        unsafe {
                            ptr::copy_nonoverlapping(
                                block.address as *const u8,
                                new.as_ptr(),
                                copy,
                            );
                            arena.deallocate(pointer, block.layout);
                        }
                        let moved = Live {
                            address: new.as_ptr() as usize,
                            layout,
                            seed: block.seed,
                        };
                        moved.check(copy);
                        moved.fill();
                        live[index] = moved;
                    }
                }
            }
            _ => {}
        }
        check_state(&arena, &live);
    }
    assert!(
        allocations > steps / 4,
        "too few successful allocations ({allocations})"
    );
    // Free everything in random order: one block of the whole capacity.
    while !live.is_empty() {
        let block = live.swap_remove(rng.below(live.len()));
        block.check(block.layout.size());
        // SAFETY: allocated by this arena with this layout.
        unsafe {
            arena.deallocate(
                NonNull::new(block.address as *mut u8).unwrap(),
                block.layout,
            )
        };
        check_state(&arena, &live);
    }
    assert_eq!(
        free_blocks(&arena),
        [(arena.start, arena.capacity())],
        "not fully coalesced"
    );
    (failures, in_place)
}

/// The full model check costs billions of emulated instructions on SH-4;
/// the device runs a shorter version of the same sequences.
const STEPS: usize = if cfg!(target_os = "none") { 300 } else { 2500 };
const SEEDS: u64 = if cfg!(target_os = "none") { 2 } else { 6 };

prizm_test! {
    fn random_sequences_against_the_model() {
        for seed in 1..=SEEDS {
            let (_, in_place) = run(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15), STEPS, 64 * 1024, 0);
            assert!(in_place > 0);
        }
    }
}

prizm_test! {
    fn random_sequences_in_a_tight_arena() {
        // Small enough that allocations fail often and blocks fragment.
        for seed in 1..=SEEDS.min(4) {
            let (failures, in_place) = run(seed.wrapping_mul(0xD1B5_4A32_D192_ED03), STEPS, 12 * 1024, 0);
            assert!(failures > 0 && in_place > 0);
        }
    }
}

prizm_test! {
    fn unaligned_region_is_trimmed_to_the_granule() {
        let region = Region::new(4096);
        // SAFETY: the region is ours.
        let arena = unsafe { Arena::new(region.base.add(3), 1000) };
        assert_eq!(arena.start() % GRANULE, 0);
        assert_eq!(arena.end() % GRANULE, 0);
        assert!(arena.start() >= region.base as usize + 3);
        assert!(arena.end() <= region.base as usize + 1003);
        assert_eq!(free_blocks(&arena), [(arena.start(), arena.capacity())]);
        run(42, 1500, 5000, 5);
    }
}

prizm_test! {
    fn tiny_and_empty_arenas_fail_cleanly() {
        let mut empty = Arena::empty();
        assert!(empty.allocate(Layout::new::<u8>()).is_none());
        assert_eq!(empty.free_stats(), (0, 0, 0));
        let region = Region::new(256);
        // SAFETY: the region is ours.
        let mut tiny = unsafe { Arena::new(region.base.add(1), GRANULE) };
        assert_eq!(tiny.capacity(), 0, "less than a granule after trimming");
        assert!(tiny.allocate(Layout::new::<u8>()).is_none());
    }
}

prizm_test! {
    fn exact_fit_and_full_capacity() {
        let region = Region::new(1024);
        // SAFETY: the region is ours.
        let mut arena = unsafe { Arena::new(region.base, 1024) };
        let whole = Layout::from_size_align(1024, 256).unwrap();
        let block = arena.allocate(whole).unwrap();
        assert_eq!(arena.free_stats(), (0, 0, 0));
        assert!(arena.allocate(Layout::new::<u8>()).is_none());
        // SAFETY: allocated above with `whole`.
        unsafe {
            assert!(arena.resize_in_place(block, whole, 512));
            assert_eq!(arena.free_stats(), (512, 512, 1));
            assert!(arena.resize_in_place(block, Layout::from_size_align(512, 256).unwrap(), 1024));
            assert!(!arena.resize_in_place(block, whole, 2048));
            arena.deallocate(block, whole);
        }
        assert_eq!(arena.free_stats(), (1024, 1024, 1));
    }
}

prizm_test! {
    fn alignment_padding_stays_free() {
        let region = Region::new(4096);
        // SAFETY: the region is ours.
        let mut arena = unsafe { Arena::new(region.base, 4096) };
        let small = arena.allocate(Layout::from_size_align(1, 1).unwrap()).unwrap();
        let aligned = arena.allocate(Layout::from_size_align(64, 256).unwrap()).unwrap();
        assert_eq!(aligned.as_ptr() as usize % 256, 0);
        // The padding between the two blocks went back to the free list.
        let (free, _, blocks) = arena.free_stats();
        assert_eq!(free, 4096 - GRANULE - 64);
        assert_eq!(blocks, 2);
        // SAFETY: allocated above with these layouts.
        unsafe {
            arena.deallocate(small, Layout::from_size_align(1, 1).unwrap());
            arena.deallocate(aligned, Layout::from_size_align(64, 256).unwrap());
        }
        assert_eq!(free_blocks(&arena), [(arena.start, 4096)]);
    }
}
