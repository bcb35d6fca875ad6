/* Assembler CU: line info but no DW_TAG_subprogram, so names come from the symbol table. */
	.text
	.globl	_start
	.type	_start, @function
_start:
	xor	%edi, %edi
	call	kfix_main
	call	kfix_halt
	.size	_start, . - _start
	.section .note.GNU-stack,"",@progbits
