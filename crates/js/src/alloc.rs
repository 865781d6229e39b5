//! The memory allocator of the WebAssembly module: Rust's own (dlmalloc),
//! except that the module's memory grows by at least half its size at a
//! time instead of by what one allocation needs.
//!
//! Why: each `memory.grow` costs a browser or Node about a millisecond
//! once the memory is past some tens of MiB (measured in Node 20: 8,000
//! grows of one page from 1 MiB to 500 MiB take 12 s), and std's
//! allocator grows by the allocation's size, 64 KiB at a time for small
//! ones. A 40,000-step simulation, whose results take hundreds of MiB,
//! spent most of its time growing memory, more the larger it got. Growing
//! geometrically makes that a few dozen grows (≤ 50% more memory than
//! needed, the usual price of doubling, as `Vec` pays).

use core::alloc::{GlobalAlloc, Layout};
use core::arch::wasm32;
use core::cell::UnsafeCell;
use core::ptr;

use dlmalloc::{Allocator, Dlmalloc};

const PAGE: usize = 64 * 1024;

/// Where dlmalloc gets memory from: `memory.grow`, geometrically.
struct Geometric;

// SAFETY: `alloc` returns memory that nothing else uses (freshly grown
// pages, zeroed by WebAssembly) or null; nothing is ever given back.
unsafe impl Allocator for Geometric {
    fn alloc(&self, size: usize) -> (*mut u8, usize, u32) {
        let needed = size.div_ceil(PAGE);
        let more = needed.max(wasm32::memory_size(0) / 2);
        // When the larger grow fails (near the 4 GiB limit), only what is needed.
        for pages in [more, needed] {
            let prev = wasm32::memory_grow(0, pages);
            if prev != usize::MAX {
                let start = prev * PAGE;
                let len = pages * PAGE;
                // The last bytes of the address space: a pointer may not wrap to 0.
                let len = if start.wrapping_add(len) == 0 { len - 16 } else { len };
                return (start as *mut u8, len, 0);
            }
        }
        (ptr::null_mut(), 0, 0)
    }

    fn remap(&self, _ptr: *mut u8, _old: usize, _new: usize, _can_move: bool) -> *mut u8 {
        ptr::null_mut()
    }

    fn free_part(&self, _ptr: *mut u8, _old: usize, _new: usize) -> bool {
        false
    }

    fn free(&self, _ptr: *mut u8, _size: usize) -> bool {
        false
    }

    fn can_release_part(&self, _flags: u32) -> bool {
        false
    }

    fn allocates_zeros(&self) -> bool {
        true
    }

    fn page_size(&self) -> usize {
        PAGE
    }
}

struct Global(UnsafeCell<Dlmalloc<Geometric>>);

// SAFETY: this module is built without the `atomics` target feature (see
// the `cfg` in lib.rs): there is one thread, and an allocator call never
// calls another, so the cell is never borrowed twice.
unsafe impl Sync for Global {}

// SAFETY: forwards to dlmalloc, which keeps GlobalAlloc's contract.
unsafe impl GlobalAlloc for Global {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        unsafe { (*self.0.get()).malloc(layout.size(), layout.align()) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        unsafe { (*self.0.get()).calloc(layout.size(), layout.align()) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { (*self.0.get()).free(ptr, layout.size(), layout.align()) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        unsafe { (*self.0.get()).realloc(ptr, layout.size(), layout.align(), new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Global = Global(UnsafeCell::new(Dlmalloc::new_with_allocator(Geometric)));
