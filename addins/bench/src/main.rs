//! Benchmarks, printed on the debug channel (run by `tools/bench.sh` in the
//! emulator, whose virtual clock advances at 58 MHz) and on screen:
//!
//! 1. memory: the largest single allocation and the total usable bytes with
//!    the stack-preferring allocator, against the OS heap alone;
//! 2. speed: cycles per allocation/free for our allocator, the OS heap and
//!    the well-known `linked_list_allocator` on the same workload;
//! 3. cycles per SHA-256 block and per PBKDF2-HMAC-SHA256 iteration: the
//!    lock crate's (SH-4A assembly) beside RustCrypto's `sha2`/`pbkdf2`
//!    (what CGlock 1.0 used), and the iteration count CGlock calibrates;
//! 4. a CPU-bound loop (integer maths, memory, branches) whose instruction
//!    count the emulator reports as emulated MIPS.
#![cfg_attr(not(test), no_std)]
#![cfg_attr(not(test), no_main)]

#[cfg(not(test))]
mod device {
    extern crate alloc;

    use alloc::alloc::{alloc, dealloc, Layout};
    use alloc::vec::Vec;
    use core::fmt::Write as _;
    use core::hint::black_box;

    use prizm::display::{self, TextColor};
    use prizm::{debug_println, syscall, time};

    prizm::entry!(main);

    /// What the speed benchmark needs from an allocator.
    trait Allocator {
        fn allocate(&mut self, layout: Layout) -> *mut u8;
        fn free(&mut self, pointer: *mut u8, layout: Layout);
    }

    struct Global;
    impl Allocator for Global {
        fn allocate(&mut self, layout: Layout) -> *mut u8 {
            // SAFETY: non-zero sizes only (see SIZES).
            unsafe { alloc(layout) }
        }
        fn free(&mut self, pointer: *mut u8, layout: Layout) {
            // SAFETY: allocated by `allocate` with this layout.
            unsafe { dealloc(pointer, layout) }
        }
    }

    struct OsHeap;
    impl Allocator for OsHeap {
        fn allocate(&mut self, layout: Layout) -> *mut u8 {
            // SAFETY: plain OS allocation, null on failure.
            unsafe { syscall::sys_malloc(layout.size() as i32) }
        }
        fn free(&mut self, pointer: *mut u8, _layout: Layout) {
            // SAFETY: came from sys_malloc.
            unsafe { syscall::sys_free(pointer) }
        }
    }

    struct LinkedList(linked_list_allocator::Heap);
    impl Allocator for LinkedList {
        fn allocate(&mut self, layout: Layout) -> *mut u8 {
            self.0
                .allocate_first_fit(layout)
                .map_or(core::ptr::null_mut(), |p| p.as_ptr())
        }
        fn free(&mut self, pointer: *mut u8, layout: Layout) {
            if let Some(pointer) = core::ptr::NonNull::new(pointer) {
                // SAFETY: allocated from this heap with this layout.
                unsafe { self.0.deallocate(pointer, layout) }
            }
        }
    }

    const SIZES: [usize; 8] = [8, 24, 100, 16, 512, 40, 2048, 12];
    const PAIRS: usize = 20_000;

    /// Mixed alloc/free pairs keeping up to 32 blocks alive. Returns cycles
    /// per operation at 58 MHz (from RTC ticks of the virtual clock).
    fn speed(allocator: &mut dyn Allocator) -> u32 {
        let mut slots: [Option<(*mut u8, Layout)>; 32] = [None; 32];
        let mut operations = 0u32;
        let start = time::Instant::now();
        for i in 0..PAIRS {
            let slot = &mut slots[i.wrapping_mul(13) % 32];
            if let Some((pointer, layout)) = slot.take() {
                allocator.free(pointer, layout);
                operations += 1;
            }
            let layout = Layout::from_size_align(SIZES[i % SIZES.len()], 4).unwrap();
            let pointer = black_box(allocator.allocate(layout));
            if !pointer.is_null() {
                // SAFETY: at least 8 bytes were just allocated.
                unsafe { pointer.write(i as u8) };
                *slot = Some((pointer, layout));
            }
            operations += 1;
        }
        for (pointer, layout) in slots.iter_mut().filter_map(Option::take) {
            allocator.free(pointer, layout);
            operations += 1;
        }
        let ticks = start.elapsed_ticks() as u64;
        (ticks * 58_000_000 / 128 / operations as u64) as u32
    }

    /// Allocates `chunk`-byte blocks until the allocator refuses; returns
    /// the total and frees everything.
    fn total_usable(allocator: &mut dyn Allocator, chunk: usize) -> usize {
        let layout = Layout::from_size_align(chunk, 4).unwrap();
        let mut blocks: Vec<*mut u8> = Vec::with_capacity(1024);
        loop {
            let pointer = allocator.allocate(layout);
            if pointer.is_null() || blocks.len() == blocks.capacity() {
                if !pointer.is_null() {
                    allocator.free(pointer, layout);
                }
                break;
            }
            blocks.push(pointer);
        }
        let total = blocks.len() * chunk;
        for pointer in blocks {
            allocator.free(pointer, layout);
        }
        total
    }

    /// The largest block the allocator gives, by bisection.
    fn largest(allocator: &mut dyn Allocator) -> usize {
        let (mut low, mut high) = (0usize, 1usize << 20);
        while high - low > 64 {
            let middle = (low + high) / 2;
            let layout = Layout::from_size_align(middle, 4).unwrap();
            let pointer = allocator.allocate(layout);
            if pointer.is_null() {
                high = middle;
            } else {
                allocator.free(pointer, layout);
                low = middle;
            }
        }
        low
    }

    /// Cycles at 58 MHz for `work(count)`, per unit of `count`.
    fn cycles_per(count: u32, work: impl FnOnce(u32)) -> u32 {
        let start = time::Instant::now();
        work(count);
        let ticks = start.elapsed_ticks() as u64;
        (ticks * 58_000_000 / 128 / count as u64) as u32
    }

    /// SHA-256 blocks and PBKDF2 iterations, RustCrypto against ours,
    /// printed on the debug channel.
    fn hashing() {
        use prizm_lock::{crypto, sha256};
        use sha2::Digest as _;

        // About 0.6 s of calculator time each: 1/128 s ticks cost ~1%.
        const BLOCKS: u32 = 8000;
        const ITERATIONS: u32 = 4000;
        let data = [0x5Au8; 64 * 64];
        let rustcrypto_block = cycles_per(BLOCKS, |blocks| {
            let mut hasher = sha2::Sha256::new();
            for _ in 0..blocks / 64 {
                hasher.update(black_box(&data[..]));
            }
            black_box(hasher.finalize());
        });
        let ours_block = cycles_per(BLOCKS, |blocks| {
            let mut state = sha256::INITIAL_STATE;
            let block = [0x5A5A_5A5Au32; 16];
            for _ in 0..blocks {
                sha256::compress(&mut state, black_box(&block));
            }
            black_box(state);
        });
        let salt = [0x5Au8; crypto::SALT_LENGTH];
        let rustcrypto_iteration = cycles_per(ITERATIONS, |iterations| {
            let mut out = [0u8; 32];
            pbkdf2::pbkdf2_hmac::<sha2::Sha256>(b"1234", &salt, iterations, &mut out);
            black_box(out);
        });
        let ours_iteration = cycles_per(ITERATIONS, |iterations| {
            black_box(crypto::derive(b"1234", &salt, iterations));
        });
        let calibrated = crypto::calibrate(|trial| {
            let start = time::ticks();
            crypto::calibration_workload(trial);
            time::ticks_between(start, time::ticks())
        });
        debug_println!(
            "bench: cycles per SHA-256 block: RustCrypto {}, prizm-lock {}",
            rustcrypto_block,
            ours_block
        );
        debug_println!(
            "bench: cycles per PBKDF2 iteration: RustCrypto {}, prizm-lock {}",
            rustcrypto_iteration,
            ours_iteration
        );
        debug_println!(
            "bench: PBKDF2 iterations calibrated for 0.5 s: {}",
            calibrated
        );
    }

    /// Integer work the emulator's MIPS figure is taken from.
    fn cpu_loop(rounds: u32) -> u32 {
        let mut table = [0u32; 256];
        let mut hash = 0x811c_9dc5u32;
        for round in 0..rounds {
            for (i, entry) in table.iter_mut().enumerate() {
                hash = (hash ^ (i as u32 + round)).wrapping_mul(0x0100_0193);
                *entry = entry.rotate_left(5) ^ hash;
            }
            table.sort_unstable();
        }
        black_box(table[17] ^ hash)
    }

    // Draws only through the OS's text syscalls, so it never borrows VRAM.
    fn main(_calculator: prizm::Calculator) {
        let mut report = heapless::String::<512>::new();
        let stats = prizm::allocator::stats();
        let ours_largest = largest(&mut Global);
        let ours_total = total_usable(&mut Global, 1024);
        let os_largest = largest(&mut OsHeap);
        let os_total = total_usable(&mut OsHeap, 1024);
        let _ = writeln!(report, "bench: arena capacity {} bytes", stats.capacity);
        let _ = writeln!(
            report,
            "bench: largest allocation: ours {} bytes, OS heap {} bytes",
            ours_largest, os_largest
        );
        let _ = writeln!(
            report,
            "bench: total usable (1 KiB blocks): ours {} bytes, OS heap {} bytes",
            ours_total, os_total
        );

        // linked_list_allocator manages 64 KiB taken from our allocator
        // (after the capacity figures, so they are not reduced by it).
        let mut ll_memory: Vec<u8> = alloc::vec![0; 64 * 1024];
        // SAFETY: the buffer lives until the end of `main` and is used by
        // this heap only.
        let mut linked = LinkedList(unsafe {
            linked_list_allocator::Heap::new(ll_memory.as_mut_ptr(), ll_memory.len())
        });
        let ours = speed(&mut Global);
        let os = speed(&mut OsHeap);
        let ll = speed(&mut linked);
        let _ = writeln!(
            report,
            "bench: cycles per alloc/free: ours {ours}, OS heap {os}, linked_list_allocator {ll}"
        );
        debug_println!("{}", report.as_str().trim_end());
        hashing();

        let start = time::Instant::now();
        let result = cpu_loop(300);
        debug_println!(
            "bench: cpu loop done ({} ms at 58 MHz, check {:#x})",
            start.elapsed_ms(),
            result
        );

        display::clear();
        for (row, line) in report.lines().enumerate() {
            display::print_xy(
                1,
                row as i32 + 1,
                line.trim_start_matches("bench: "),
                TextColor::Black,
            );
        }
        display::put_display();
        prizm::debug::exit(0);
    }
}
