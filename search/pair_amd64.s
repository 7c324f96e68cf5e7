//go:build !purego

#include "textflag.h"

// BROADCAST fills SSE register x with 16 copies of the low byte of r.
#define BROADCAST(r, x) MOVQ r, x; PUNPCKLBW x, x; PUNPCKLBW x, x; PSHUFL $0, x, x

// PAIR unpacks the pair at off(R8) (a | b<<8 | d<<16, see pairBlocks3): a
// into xa, b into xb, and SI+d into p.
#define PAIR(off, xa, xb, p) \
	MOVQ off(R8), AX; \
	MOVQ AX, BX; ANDQ $0xff, BX; BROADCAST(BX, xa); \
	MOVQ AX, BX; SHRQ $8, BX; ANDQ $0xff, BX; BROADCAST(BX, xb); \
	SHRQ $16, AX; LEAQ (SI)(AX*1), p

// RETHIT returns, in ret, the position of the first hit: block offset DI
// plus the lowest set bit of the block's mask DX.
#define RETHIT(ret) BSFL DX, DX; ADDQ DI, DX; MOVQ DX, ret; RET

// PAIRWORDSARGS loads the arguments of pairWordsSSE2 and pairWordsAVX2:
// s into SI, a into AX, b into BX, d into R9, out into R8, words into CX.
#define PAIRWORDSARGS \
	MOVQ    s_base+0(FP), SI; \
	MOVBQZX a+24(FP), AX; \
	MOVBQZX b+25(FP), BX; \
	MOVQ    d+32(FP), R9; \
	MOVQ    out+40(FP), R8; \
	MOVQ    words+48(FP), CX

// PAIRMASK leaves in r the 16-bit mask of the positions of the block at
// address at where a (X0) is followed d bytes on (address atd) by b (X1).
#define PAIRMASK(at, atd, r) \
	MOVOU    at, X2; \
	MOVOU    atd, X3; \
	PCMPEQB  X0, X2; \
	PCMPEQB  X1, X3; \
	PAND     X3, X2; \
	PMOVMSKB X2, r

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
	BROADCAST(AX, X0)
	BROADCAST(BX, X1)

	LEAQ (SI)(R9*1), R10 // s + d
	SHLQ $4, CX          // end offset
	XORQ DI, DI

loop:
	CMPQ     DI, CX
	JAE      notfound
	PAIRMASK((SI)(DI*1), (R10)(DI*1), DX)
	TESTL    DX, DX
	JNZ      found
	ADDQ     $16, DI
	JMP      loop

found:
	RETHIT(ret+48(FP))

notfound:
	MOVQ $-1, ret+48(FP)
	RET

// func pairBlocks3(s []byte, pairs *[3]uint64, blocks int) int
//
// Returns the smallest i < 16*blocks at which one of three pairs occurs:
// s[i] == a && s[i+d] == b, each pair packed as a | b<<8 | d<<16. The
// caller guarantees 16*blocks + d <= len(s) for every d. One pass for the
// pieces of a typo (see findAny), instead of one per piece.
TEXT ·pairBlocks3(SB), NOSPLIT, $0-48
	MOVQ s_base+0(FP), SI
	MOVQ pairs+24(FP), R8
	MOVQ blocks+32(FP), CX

	PAIR(0, X0, X1, R10)
	PAIR(8, X2, X3, R11)
	PAIR(16, X4, X5, R12)

	SHLQ $4, CX
	XORQ DI, DI

loop3:
	CMPQ     DI, CX
	JAE      notfound3
	MOVOU    (SI)(DI*1), X6
	MOVO     X6, X7
	MOVO     X6, X8
	PCMPEQB  X0, X6
	PCMPEQB  X2, X7
	PCMPEQB  X4, X8
	MOVOU    (R10)(DI*1), X9
	PCMPEQB  X1, X9
	PAND     X9, X6
	MOVOU    (R11)(DI*1), X9
	PCMPEQB  X3, X9
	PAND     X9, X7
	MOVOU    (R12)(DI*1), X9
	PCMPEQB  X5, X9
	PAND     X9, X8
	POR      X7, X6
	POR      X8, X6
	PMOVMSKB X6, DX
	TESTL    DX, DX
	JNZ      found3
	ADDQ     $16, DI
	JMP      loop3

found3:
	RETHIT(ret+40(FP))

notfound3:
	MOVQ $-1, ret+40(FP)
	RET

// func pairWords(s []byte, a, b byte, d int, out *uint64, words int)
//
// Sets out[w], for w < words, to the 64-bit mask of the positions
// 64*w+k with s[64*w+k] == a && s[64*w+k+d] == b. The caller guarantees
// 64*words + d <= len(s). Where find stops at the first pair, this maps
// every pair of a text at once: the way to go when pairs are everywhere.
TEXT ·pairWordsSSE2(SB), NOSPLIT, $0-56
	PAIRWORDSARGS

	BROADCAST(AX, X0)
	BROADCAST(BX, X1)
	LEAQ (SI)(R9*1), R10 // s + d
	XORQ DI, DI

wloop:
	CMPQ DI, CX
	JAE  wdone
	PAIRMASK(0(SI), 0(R10), AX)
	PAIRMASK(16(SI), 16(R10), BX)
	PAIRMASK(32(SI), 32(R10), DX)
	PAIRMASK(48(SI), 48(R10), R11)
	SHLQ $16, BX
	ORQ  BX, AX
	SHLQ $32, DX
	ORQ  DX, AX
	SHLQ $48, R11
	ORQ  R11, AX
	MOVQ AX, (R8)(DI*8)
	ADDQ $64, SI
	ADDQ $64, R10
	INCQ DI
	JMP  wloop

wdone:
	RET

// func pairWordsAVX2(s []byte, a, b byte, d int, out *uint64, words int)
//
// pairWordsSSE2 with 32 positions per compare, for processors with AVX2:
// the pass over a million records' text is what a keystroke of a common
// word costs, and half the instructions per byte make it quicker.
TEXT ·pairWordsAVX2(SB), NOSPLIT, $0-56
	PAIRWORDSARGS

	MOVQ         AX, X0
	VPBROADCASTB X0, Y0
	MOVQ         BX, X1
	VPBROADCASTB X1, Y1
	LEAQ (SI)(R9*1), R10 // s + d
	XORQ DI, DI

aloop:
	CMPQ      DI, CX
	JAE       adone
	VPCMPEQB  0(SI), Y0, Y2
	VPCMPEQB  0(R10), Y1, Y3
	VPAND     Y3, Y2, Y2
	VPMOVMSKB Y2, AX
	VPCMPEQB  32(SI), Y0, Y4
	VPCMPEQB  32(R10), Y1, Y5
	VPAND     Y5, Y4, Y4
	VPMOVMSKB Y4, BX
	SHLQ      $32, BX
	ORQ       BX, AX
	MOVQ      AX, (R8)(DI*8)
	ADDQ      $64, SI
	ADDQ      $64, R10
	INCQ      DI
	JMP       aloop

adone:
	VZEROUPPER
	RET
