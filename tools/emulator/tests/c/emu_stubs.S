/* The emulator's debug channel for the C test add-in: Emu_Exit (0x7F01)
 * and Emu_DebugWrite (0x7F00) through the syscall entry. */
	.text
	.global _emu_exit
	.align 2
_emu_exit:
	mov.l	1f, r2
	mov.l	2f, r0
	jmp	@r2
	nop
	.align 2
1:	.long	0x80020070
2:	.long	0x7F01
	.global _emu_debug_write
	.align 2
_emu_debug_write:
	mov.l	3f, r2
	mov.l	4f, r0
	jmp	@r2
	nop
	.align 2
3:	.long	0x80020070
4:	.long	0x7F00
