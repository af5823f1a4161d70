/* SHA-256 compression function (FIPS 180-4 section 6.2.2) for the SH-4A.
 *
 *   void prizm_lock_sha256_compress(uint32_t state[8], const uint32_t block[16]);
 *
 * The words are big-endian, which is what an SH-4A load gives. Cost: about
 * 4,600 instructions per block, each counted as one cycle by the emulator.
 *
 * How it is fast:
 * - All 64 rounds are unrolled and the eight working variables stay in
 *   r4-r11; instead of moving them each round, the next round names them
 *   differently (ROUND's arguments rotate), so eight rounds bring the
 *   names back.
 * - The message schedule lives in a 16-word window on the stack, written
 *   in place as rounds 16-63 compute W[i] from W[i-16], W[i-15], W[i-7]
 *   and W[i-2]; every access is mov.l @(disp,r15).
 * - The SH-4A rotates by one bit only (rotr/rotl); swap.w rotates by 16.
 *   Each big sigma is factored into nested rotations that stay near 16 or
 *   near 0, for example
 *     S1(e) = rotr6(e ^ rotr19(e ^ rotr18(e)))
 *     S0(a) = rotr2(a ^ rotr20(a ^ rotl9(a)))
 *   and the two rotations far from both (by 6 and by 9) are built from
 *   two shld with shift counts kept in r3, r12, r13 and r14.
 *
 * Registers: r0 round-constant pointer, r1 r2 scratch, r3 = -6, r12 = 26,
 * r13 = 9, r14 = -23 (shld: a negative count shifts right), r4-r11 the
 * working variables, r15 the stack with W at @(0..60,r15). r8-r14 are
 * saved and restored (the SH calling convention keeps them). */

	.section .text.prizm_lock_sha256_compress,"ax",@progbits
	.global _prizm_lock_sha256_compress
	.type _prizm_lock_sha256_compress, @function

/* r1 = S1(e) = rotr6(e) ^ rotr11(e) ^ rotr25(e); clobbers r2. */
	.macro BIG_SIGMA1 e
	swap.w	\e, r1		/* rotr16(e) */
	rotr	r1
	rotr	r1		/* rotr18(e) */
	xor	\e, r1
	swap.w	r1, r1
	rotr	r1
	rotr	r1
	rotr	r1		/* rotr19(e ^ rotr18(e)) */
	xor	\e, r1
	mov	r1, r2		/* rotr6 of that: (x << 26) | (x >> 6) */
	shld	r12, r2
	shld	r3, r1
	or	r2, r1
	.endm

/* r1 = S0(a) = rotr2(a) ^ rotr13(a) ^ rotr22(a); clobbers r2. */
	.macro BIG_SIGMA0 a
	mov	\a, r1		/* rotl9(a) = (a << 9) | (a >> 23) */
	mov	\a, r2
	shld	r13, r1
	shld	r14, r2
	or	r2, r1
	xor	\a, r1
	swap.w	r1, r1
	rotr	r1
	rotr	r1
	rotr	r1
	rotr	r1		/* rotr20(a ^ rotl9(a)) */
	xor	\a, r1
	rotr	r1
	rotr	r1		/* rotr2 of that */
	.endm

/* W[i] = W[i-16] + s0(W[i-15]) + W[i-7] + s1(W[i-2]), written over
 * W[i-16] in the window; h += W[i]. Clobbers r1 r2. */
	.macro SCHEDULE h, i
	mov.l	@(((\i+14)&15)*4,r15), r1	/* W[i-2] */
	mov	r1, r2
	shlr8	r2
	shlr2	r2		/* x >> 10 */
	swap.w	r1, r1
	rotr	r1		/* rotr17(x) */
	xor	r1, r2
	rotr	r1
	rotr	r1		/* rotr19(x) */
	xor	r1, r2		/* r2 = s1(W[i-2]) */
	mov.l	@(((\i+9)&15)*4,r15), r1	/* W[i-7] */
	add	r1, r2
	mov.l	@(((\i)&15)*4,r15), r1		/* W[i-16] */
	add	r1, r2
	mov.l	r2, @(((\i)&15)*4,r15)
	add	r2, \h
	mov.l	@(((\i+1)&15)*4,r15), r1	/* W[i-15] */
	mov	r1, r2
	shlr2	r2
	shlr	r2		/* x >> 3 */
	swap.w	r1, r1
	rotr	r1
	rotr	r1		/* rotr18(x) */
	xor	r1, r2
	swap.w	r1, r1		/* rotr34 = rotr2 */
	rotr	r1
	rotr	r1
	rotr	r1
	rotr	r1
	rotr	r1		/* rotr7(x) */
	xor	r1, r2		/* r2 = s0(W[i-15]) */
	add	r2, \h
	mov.l	@(((\i)&15)*4,r15), r1
	add	r2, r1
	mov.l	r1, @(((\i)&15)*4,r15)
	.endm

/* One round: T1 = h + S1(e) + Ch(e,f,g) + K[i] + W[i]; d += T1;
 * h = T1 + S0(a) + Maj(a,b,c). The caller renames the registers for the
 * next round (h becomes a, d becomes e). */
	.macro ROUND a, b, c, d, e, f, g, h, i
	.if (\i) >= 16
	SCHEDULE \h, \i
	.else
	mov.l	@(((\i)&15)*4,r15), r1
	add	r1, \h
	.endif
	mov.l	@r0+, r1	/* K[i] */
	add	r1, \h
	mov	\f, r1		/* Ch = g ^ (e & (f ^ g)) */
	xor	\g, r1
	and	\e, r1
	xor	\g, r1
	add	r1, \h
	BIG_SIGMA1 \e
	add	r1, \h
	add	\h, \d
	BIG_SIGMA0 \a
	add	r1, \h
	mov	\a, r1		/* Maj = (a & b) | (c & (a | b)) */
	or	\b, r1
	and	\c, r1
	mov	\a, r2
	and	\b, r2
	or	r2, r1
	add	r1, \h
	.endm

	.macro EIGHT_ROUNDS i
	ROUND r4, r5, r6, r7, r8, r9, r10, r11, (\i)
	ROUND r11, r4, r5, r6, r7, r8, r9, r10, (\i+1)
	ROUND r10, r11, r4, r5, r6, r7, r8, r9, (\i+2)
	ROUND r9, r10, r11, r4, r5, r6, r7, r8, (\i+3)
	ROUND r8, r9, r10, r11, r4, r5, r6, r7, (\i+4)
	ROUND r7, r8, r9, r10, r11, r4, r5, r6, (\i+5)
	ROUND r6, r7, r8, r9, r10, r11, r4, r5, (\i+6)
	ROUND r5, r6, r7, r8, r9, r10, r11, r4, (\i+7)
	.endm

	.align 2
_prizm_lock_sha256_compress:
	/* mov.l @(disp,pc) reaches 1020 bytes forward: the constant's
	 * address sits here, jumped over, not after the 9 KiB of rounds. */
	mov.l	.Lround_constants_address, r0
	bra	.Lbody
	mov.l	r8, @-r15
	.align 2
.Lround_constants_address:
	.long	.Lround_constants
.Lbody:
	mov.l	r9, @-r15
	mov.l	r10, @-r15
	mov.l	r11, @-r15
	mov.l	r12, @-r15
	mov.l	r13, @-r15
	mov.l	r14, @-r15
	mov.l	r4, @-r15	/* the state pointer, for the end */
	add	#-64, r15	/* the schedule window */
	.irp n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	mov.l	@r5+, r1
	mov.l	r1, @(\n*4,r15)
	.endr
	mov.l	@(4,r4), r5
	mov.l	@(8,r4), r6
	mov.l	@(12,r4), r7
	mov.l	@(16,r4), r8
	mov.l	@(20,r4), r9
	mov.l	@(24,r4), r10
	mov.l	@(28,r4), r11
	mov.l	@r4, r4
	mov	#-6, r3
	mov	#26, r12
	mov	#9, r13
	mov	#-23, r14

	EIGHT_ROUNDS 0
	EIGHT_ROUNDS 8
	EIGHT_ROUNDS 16
	EIGHT_ROUNDS 24
	EIGHT_ROUNDS 32
	EIGHT_ROUNDS 40
	EIGHT_ROUNDS 48
	EIGHT_ROUNDS 56

	add	#64, r15
	mov.l	@r15+, r1	/* state pointer */
	mov.l	@r1, r2
	add	r2, r4
	mov.l	r4, @r1
	mov.l	@(4,r1), r2
	add	r2, r5
	mov.l	r5, @(4,r1)
	mov.l	@(8,r1), r2
	add	r2, r6
	mov.l	r6, @(8,r1)
	mov.l	@(12,r1), r2
	add	r2, r7
	mov.l	r7, @(12,r1)
	mov.l	@(16,r1), r2
	add	r2, r8
	mov.l	r8, @(16,r1)
	mov.l	@(20,r1), r2
	add	r2, r9
	mov.l	r9, @(20,r1)
	mov.l	@(24,r1), r2
	add	r2, r10
	mov.l	r10, @(24,r1)
	mov.l	@(28,r1), r2
	add	r2, r11
	mov.l	r11, @(28,r1)
	mov.l	@r15+, r14
	mov.l	@r15+, r13
	mov.l	@r15+, r12
	mov.l	@r15+, r11
	mov.l	@r15+, r10
	mov.l	@r15+, r9
	rts
	mov.l	@r15+, r8
	.size _prizm_lock_sha256_compress, . - _prizm_lock_sha256_compress

	.section .rodata.prizm_lock_sha256_round_constants,"a",@progbits
	.align 2
.Lround_constants:
	.long	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5
	.long	0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5
	.long	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3
	.long	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174
	.long	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc
	.long	0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da
	.long	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7
	.long	0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967
	.long	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13
	.long	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85
	.long	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3
	.long	0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070
	.long	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5
	.long	0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3
	.long	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208
	.long	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
