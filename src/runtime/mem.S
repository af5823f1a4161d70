/* memcpy, memmove and memset for the SH-4A.
 *
 * compiler_builtins' portable versions (weak symbols; these override them)
 * move one 32-bit word per loop pass, five instructions and six cycles a
 * word, and its byte loops are dearer still. Add-ins spend much of their
 * time moving pixels (a frame of VRAM is 166 KB), so these move 32 bytes a
 * loop pass with displacement addressing: about 1.4 instructions a word.
 *
 * Calling convention: r4 destination, r5 source or fill byte, r6 length;
 * the destination comes back in r0. Only r0-r7 (caller-saved) are used, no
 * stack, no calls.
 */

/* r2 = the 32-byte blocks in the r6 bytes left, r6 = what they leave;
 * on to `none` when there are no blocks. Uses r1. */
    .macro BLOCKS_OF_32 none
    mov     r6, r2
    shlr2   r2
    shlr2   r2
    shlr    r2
    mov     #31, r1
    tst     r2, r2
    bt/s    \none
     and    r1, r6
    .endm

    .section .text.prizm_mem, "ax"
    .align 2

/* void *memmove(void *dst, const void *src, size_t n)
 * Forward through memcpy when that cannot overwrite unread source bytes
 * (dst at or below src, or past its end), else backward from the ends. */
    .global _memmove
    .type _memmove, @function
_memmove:
    cmp/hi  r5, r4          /* T = dst > src */
    bf      _memcpy
    mov     r5, r1
    add     r6, r1          /* r1 = src + n */
    cmp/hs  r1, r4          /* T = dst >= src + n */
    bt      _memcpy
    mov     r4, r3          /* the result */
    add     r6, r4          /* r4, r5: the ends */
    mov     r1, r5
    /* Words only when both ends share their alignment and it pays. */
    mov     r4, r0
    xor     r5, r0
    tst     #3, r0
    bf      .Lmove_bytes
    mov     #16, r1
    cmp/hs  r1, r6
    bf      .Lmove_bytes
.Lmove_align:               /* bytes until the ends are word-aligned */
    mov     r4, r0
    tst     #3, r0
    bt      .Lmove_words
    add     #-1, r5
    mov.b   @r5, r1
    add     #-1, r6
    bra     .Lmove_align
     mov.b  r1, @-r4
.Lmove_words:
    BLOCKS_OF_32 .Lmove_word
.Lmove_block:               /* each word is read before anything below it is written */
    add     #-32, r5
    mov.l   @(28,r5), r0
    mov.l   @(24,r5), r1
    mov.l   @(20,r5), r7
    mov.l   r0, @-r4
    mov.l   r1, @-r4
    mov.l   r7, @-r4
    mov.l   @(16,r5), r0
    mov.l   @(12,r5), r1
    mov.l   @(8,r5), r7
    mov.l   r0, @-r4
    mov.l   r1, @-r4
    mov.l   r7, @-r4
    mov.l   @(4,r5), r0
    mov.l   @r5, r1
    mov.l   r0, @-r4
    dt      r2
    bf/s    .Lmove_block
     mov.l  r1, @-r4
.Lmove_word:
    mov     #4, r1
    cmp/hs  r1, r6
    bf      .Lmove_bytes
    add     #-4, r5
    mov.l   @r5, r0
    add     #-4, r6
    bra     .Lmove_word
     mov.l  r0, @-r4
.Lmove_bytes:
    tst     r6, r6
    bt      .Lmove_done
.Lmove_byte:
    add     #-1, r5
    mov.b   @r5, r1
    dt      r6
    bf/s    .Lmove_byte
     mov.b  r1, @-r4
.Lmove_done:
    rts
     mov    r3, r0
    .size _memmove, . - _memmove

/* void *memcpy(void *dst, const void *src, size_t n) */
    .global _memcpy
    .type _memcpy, @function
_memcpy:
    mov     r4, r3          /* the result */
    mov     #16, r1
    cmp/hs  r1, r6
    bf      .Lcopy_short
.Lcopy_align:               /* bytes until dst is word-aligned (n stays >= 13) */
    mov     r4, r0
    tst     #3, r0
    bt      .Lcopy_aligned
    mov.b   @r5+, r1
    mov.b   r1, @r4
    add     #1, r4
    bra     .Lcopy_align
     add    #-1, r6
.Lcopy_aligned:
    mov     r5, r0
    tst     #3, r0
    bf      .Lcopy_unaligned
    BLOCKS_OF_32 .Lcopy_word
.Lcopy_block:
    mov.l   @r5+, r0
    mov.l   @r5+, r1
    mov.l   @r5+, r7
    mov.l   r0, @r4
    mov.l   r1, @(4,r4)
    mov.l   r7, @(8,r4)
    mov.l   @r5+, r0
    mov.l   @r5+, r1
    mov.l   @r5+, r7
    mov.l   r0, @(12,r4)
    mov.l   r1, @(16,r4)
    mov.l   r7, @(20,r4)
    mov.l   @r5+, r0
    mov.l   @r5+, r1
    mov.l   r0, @(24,r4)
    mov.l   r1, @(28,r4)
    dt      r2
    bf/s    .Lcopy_block
     add    #32, r4
.Lcopy_word:
    mov     #4, r1
    cmp/hs  r1, r6
    bf      .Lcopy_bytes
    mov.l   @r5+, r0
    mov.l   r0, @r4
    add     #4, r4
    bra     .Lcopy_word
     add    #-4, r6
.Lcopy_unaligned:           /* r0 = src, not word-aligned; dst is */
    tst     #1, r0
    bf      .Lcopy_bytes    /* odd source: bytes */
    mov     r6, r2          /* src = 2 mod 4: two halfwords make each word */
    shlr2   r2              /* r2 = words (at least 3) */
    mov     #3, r1
    and     r1, r6
.Lcopy_halves:
    mov.w   @r5+, r0        /* big-endian: the first is the high half */
    mov.w   @r5+, r1
    shll16  r0
    extu.w  r1, r1
    or      r1, r0
    mov.l   r0, @r4
    dt      r2
    bf/s    .Lcopy_halves
     add    #4, r4
.Lcopy_bytes:
    tst     r6, r6
    bt      .Lcopy_done
.Lcopy_byte:
    mov.b   @r5+, r1
    mov.b   r1, @r4
    dt      r6
    bf/s    .Lcopy_byte
     add    #1, r4
.Lcopy_done:
    rts
     mov    r3, r0
.Lcopy_short:               /* under 16 bytes: words if both are aligned, then bytes */
    mov     r4, r0
    or      r5, r0
    tst     #3, r0
    bt      .Lcopy_word
    bra     .Lcopy_bytes
     nop
    .size _memcpy, . - _memcpy

/* void *memset(void *dst, int c, size_t n) */
    .global _memset
    .type _memset, @function
_memset:
    mov     r4, r3          /* the result */
    extu.b  r5, r5
    swap.b  r5, r1
    or      r1, r5
    swap.w  r5, r1
    or      r1, r5          /* the byte in all four lanes */
    mov     #16, r1
    cmp/hs  r1, r6
    bt      .Lset_align
    mov     r4, r0          /* under 16 bytes: words if aligned, then bytes */
    tst     #3, r0
    bt      .Lset_word
    bra     .Lset_bytes
     nop
.Lset_align:                /* bytes until dst is word-aligned (n stays >= 13) */
    mov     r4, r0
    tst     #3, r0
    bt      .Lset_aligned
    mov.b   r5, @r4
    add     #1, r4
    bra     .Lset_align
     add    #-1, r6
.Lset_aligned:
    BLOCKS_OF_32 .Lset_word
.Lset_block:
    mov.l   r5, @r4
    mov.l   r5, @(4,r4)
    mov.l   r5, @(8,r4)
    mov.l   r5, @(12,r4)
    mov.l   r5, @(16,r4)
    mov.l   r5, @(20,r4)
    mov.l   r5, @(24,r4)
    mov.l   r5, @(28,r4)
    dt      r2
    bf/s    .Lset_block
     add    #32, r4
.Lset_word:
    mov     #4, r1
    cmp/hs  r1, r6
    bf      .Lset_bytes
    mov.l   r5, @r4
    add     #4, r4
    bra     .Lset_word
     add    #-4, r6
.Lset_bytes:
    tst     r6, r6
    bt      .Lset_done
.Lset_byte:
    mov.b   r5, @r4
    dt      r6
    bf/s    .Lset_byte
     add    #1, r4
.Lset_done:
    rts
     mov    r3, r0
    .size _memset, . - _memset
