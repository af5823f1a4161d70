/* Start-up code of every add-in. The OS calls the first byte of the image
 * (the add-in ROM base, placed first by link.ld) as an ordinary function with two
 * arguments in r4 and r5. We copy .data from its load image in ROM to RAM,
 * zero .bss, tell the OS we started, and call into Rust. Returning from here
 * returns to the OS.
 *
 * build.rs defines SYSCALL_ENTRY and SYSCALL_ADDIN_STARTED (the number of
 * GlibAddinAplExecutionCheck) from prizm-platform. */

	.section .text.entry, "ax", @progbits
	.global _start
	.type _start, @function
	.align 2
_start:
	/* r8, r9, r14 and PR belong to the OS (callee-saved). */
	mov.l	r14, @-r15
	mov.l	r9, @-r15
	mov.l	r8, @-r15
	sts.l	pr, @-r15
	mov	r4, r8
	mov	r5, r9

	/* .data: word copy from ROM (4-aligned by link.ld). */
	mov.l	.Ldata_load, r0
	mov.l	.Ldata_start, r1
	mov.l	.Ldata_end, r2
1:	cmp/hs	r2, r1
	bt	2f
	mov.l	@r0+, r3
	mov.l	r3, @r1
	bra	1b
	add	#4, r1

	/* .bss: word clear. */
2:	mov.l	.Lbss_start, r1
	mov.l	.Lbss_end, r2
	mov	#0, r3
3:	cmp/hs	r2, r1
	bt	4f
	mov.l	r3, @r1
	bra	3b
	add	#4, r1

	/* GlibAddinAplExecutionCheck(0, 1, 1), as the OS's own SDK does;
	 * skipped when linked to run as a Linux test program under qemu. */
4:	mov.l	.Lno_os, r0
	tst	r0, r0
	bf	5f
	mov	#0, r4
	mov	#1, r5
	mov	#1, r6
	mov.l	.Lsyscall, r2
	jsr	@r2
	mov	#SYSCALL_ADDIN_STARTED, r0

5:	/* prizm_start(r4, r5) runs the allocator set-up and the add-in's main. */
	mov	r8, r4
	mov	r9, r5
	mov.l	.Lprizm_start, r0
	jsr	@r0
	nop

	lds.l	@r15+, pr
	mov.l	@r15+, r8
	mov.l	@r15+, r9
	rts
	mov.l	@r15+, r14

	.align 2
.Ldata_load:	.long __data_load
.Ldata_start:	.long __data_start
.Ldata_end:	.long __data_end
.Lbss_start:	.long __bss_start
.Lbss_end:	.long __bss_end
.Lsyscall:	.long SYSCALL_ENTRY
.Lprizm_start:	.long _prizm_start
.Lno_os:	.long __linux_test_program
	.size _start, . - _start

/* rustc's GCC backend emits calls to `abort` for traps (for example
 * `unreachable` and failed bounds in release builds). It must not be a
 * Rust function of that name, so it lives here and jumps into Rust. */
	.section .text.abort, "ax", @progbits
	.global _abort
	.type _abort, @function
	.align 2
_abort:
	mov.l	.Lprizm_abort, r0
	jmp	@r0
	nop
	.align 2
.Lprizm_abort:	.long _prizm_abort
	.size _abort, . - _abort

/* Linux system calls for test programs: under qemu-sh4eb (the qemu test
 * layout) and in the project's emulator these carry test output. Never
 * called by a normal add-in on a calculator, where trapa would crash. */
	.section .text.linux_write, "ax", @progbits
	.global _prizm_linux_write
	.type _prizm_linux_write, @function
	.align 2
_prizm_linux_write:		/* (fd, buffer, length) -> written */
	mov	#4, r3
	trapa	#0x13
	rts
	nop
	.size _prizm_linux_write, . - _prizm_linux_write

	.section .text.linux_exit, "ax", @progbits
	.global _prizm_linux_exit
	.type _prizm_linux_exit, @function
	.align 2
_prizm_linux_exit:		/* (code) -> never */
	mov	#1, r3
	trapa	#0x11
0:	bra	0b
	nop
	.size _prizm_linux_exit, . - _prizm_linux_exit

/* The link layout as a value Rust can read (a symbol's address compared
 * with 0 could be folded away by the compiler). */
	.section .rodata.prizm_layout, "a", @progbits
	.global _prizm_linux_test_program
	.align 2
_prizm_linux_test_program:
	.long __linux_test_program
