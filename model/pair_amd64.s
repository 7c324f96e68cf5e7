//go:build !purego

#include "textflag.h"

// func pairBlocks(s []byte, a, b byte, d, blocks int) int
//
// Returns the smallest i < 16*blocks with s[i] == a && s[i+d] == b, or -1.
// The caller guarantees 16*blocks + d <= len(s). SSE2 only, which every
// amd64 processor has: 16 positions per step, both bytes compared at once.
TEXT ·pairBlocks(SB), NOSPLIT, $0-56
	MOVQ    s_base+0(FP), SI
	MOVBQZX a+24(FP), AX
	MOVBQZX b+25(FP), BX
	MOVQ    d+32(FP), R9
	MOVQ    blocks+40(FP), CX

	// Fill X0 with a and X1 with b, one copy per byte.
	MOVQ      AX, X0
	PUNPCKLBW X0, X0
	PUNPCKLBW X0, X0
	PSHUFL    $0, X0, X0
	MOVQ      BX, X1
	PUNPCKLBW X1, X1
	PUNPCKLBW X1, X1
	PSHUFL    $0, X1, X1

	LEAQ (SI)(R9*1), R10 // s + d
	SHLQ $4, CX          // end offset
	XORQ DI, DI

loop:
	CMPQ     DI, CX
	JAE      notfound
	MOVOU    (SI)(DI*1), X2
	MOVOU    (R10)(DI*1), X3
	PCMPEQB  X0, X2
	PCMPEQB  X1, X3
	PAND     X3, X2
	PMOVMSKB X2, DX
	TESTL    DX, DX
	JNZ      found
	ADDQ     $16, DI
	JMP      loop

found:
	BSFL DX, DX
	ADDQ DI, DX
	MOVQ DX, ret+48(FP)
	RET

notfound:
	MOVQ $-1, ret+48(FP)
	RET
