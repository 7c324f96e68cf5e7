// Package snapshot stores a dataset in a compact binary form that decodes
// in a few milliseconds, for the dataset built into dcx.
//
// The embedded JSON is the dataset's source of truth, and reading it
// strictly (every problem with its file, line and path) costs about 30 ms
// for 2.4 MB, most of it in the tokenizer: more than the whole budget of the
// app's first frame. `go generate ./data` therefore loads and validates the
// JSON once, quotes included, and writes its records here; at start-up the
// app decodes this form instead, with no tokenizing, no validation (already
// done) and every string a substring of the snapshot (no copy).
//
// A snapshot starts with two fingerprints, and Decode refuses one whose
// fingerprints differ from the caller's: the checksum of the JSON it was
// made from (an edited file makes the snapshot stale) and the shape of the
// model's types (a new field makes it unreadable). The caller then reads
// the JSON.
//
// The encoding follows the Go types field by field in declaration order,
// skipping unexported fields and those tagged json:"-" (derived ones, as the
// JSON does): strings and lengths as uvarints, ints as zig-zag varints,
// floats as their 8 IEEE bytes, bools as a byte, pointers as a presence
// byte, slices as length+1 (0 for nil, so that nil and empty survive the
// round trip). The code that does it, codec_gen.go, is generated from the
// types (go generate ./data, before it makes the snapshot): typed code
// decodes the embedded dataset in well under half the time the same walk
// by reflection took.
package snapshot

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"reflect"
	"sync"

	"github.com/dcx-explorer/dcx/data/snapshot/internal/shape"
	"github.com/dcx-explorer/dcx/model"
)

// magic starts every snapshot; the last byte is the format's version.
const magic = "dcx-snapshot\x00\x01"

// headerLen is the magic, the types' fingerprint (8 bytes) and the source
// checksum (4 bytes).
const headerLen = len(magic) + 8 + 4

// ErrStale says that a snapshot was made from other JSON files or for other
// model types than the caller's: `go generate ./data` makes a current one.
var ErrStale = errors.New("snapshot is stale: run go generate ./data")

// errCodecStale says that codec_gen.go was generated for other types.
var errCodecStale = errors.New("snapshot: codec_gen.go is stale: run go generate ./data")

// types is the fingerprint of the model's types as compiled.
var types = sync.OnceValue(func() uint64 { return shape.Fingerprint(reflect.TypeFor[model.Dataset]()) })

// Encode returns the snapshot of ds's stored fields (what its JSON files
// hold; Build derives the rest), made from JSON files whose checksum is
// source.
func Encode(ds *model.Dataset, source uint32) ([]byte, error) {
	if types() != generatedFor {
		return nil, errCodecStale
	}
	b := make([]byte, 0, 2<<20)
	b = append(b, magic...)
	b = binary.LittleEndian.AppendUint64(b, types())
	b = binary.LittleEndian.AppendUint32(b, source)
	e := &encoder{b: b}
	encDataset(e, ds)
	return e.b, nil
}

// Decode returns the dataset in snapshot, not yet built (the caller runs
// model.Dataset.Build), or ErrStale when snapshot was made from files whose
// checksum is not source or for other types. Strings in the dataset share
// snapshot's memory. A damaged snapshot gives an error with the byte offset
// where decoding stopped, never a panic.
func Decode(snapshot string, source uint32) (*model.Dataset, error) {
	if types() != generatedFor {
		return nil, errCodecStale
	}
	if len(snapshot) < headerLen || snapshot[:len(magic)] != magic {
		return nil, errors.New("snapshot: not a dcx snapshot of this version")
	}
	d := &decoder{s: snapshot, off: len(magic)}
	if d.uint64() != types() || d.uint32() != source {
		return nil, ErrStale
	}
	ds := new(model.Dataset)
	decDataset(d, ds)
	if d.err == nil && d.off != len(d.s) {
		d.fail("%d bytes after the dataset", len(d.s)-d.off)
	}
	if d.err != nil {
		return nil, d.err
	}
	return ds, nil
}

type encoder struct{ b []byte }

func (e *encoder) uvarint(n uint64) { e.b = binary.AppendUvarint(e.b, n) }

func (e *encoder) int(n int64) { e.b = binary.AppendVarint(e.b, n) }

func (e *encoder) float(f float64) {
	e.b = binary.LittleEndian.AppendUint64(e.b, math.Float64bits(f))
}

func (e *encoder) str(s string) {
	e.uvarint(uint64(len(s)))
	e.b = append(e.b, s...)
}

func (e *encoder) bool(v bool) {
	if v {
		e.b = append(e.b, 1)
	} else {
		e.b = append(e.b, 0)
	}
}

// length writes a slice's length, 0 for nil.
func (e *encoder) length(isNil bool, n int) {
	if isNil {
		e.uvarint(0)
		return
	}
	e.uvarint(uint64(n) + 1)
}

// decoder reads a snapshot; the first problem stops it (err), after which
// every read returns a zero value and consumes nothing.
type decoder struct {
	s   string
	off int
	err error
	arenas
}

// arena hands out slices of T carved from larger arrays: a dataset's tens
// of thousands of evidence lists, id lists and dates cost a few dozen
// allocations instead of one each. Everything carved lives as long as the
// dataset, so no array is kept alive by a value that outlives the rest.
type arena[T any] struct {
	free  []T
	chunk int // elements of the next array: doubling from 8 to arenaBytes
}

// arenaBytes bounds the arrays an arena allocates.
const arenaBytes = 32 << 10

// carve returns n zero elements whose capacity ends with them, so that an
// append by a reader copies instead of overwriting the next slice.
func (a *arena[T]) carve(n int) []T {
	if n == 0 {
		return []T{} // empty, not nil: the round trip keeps them apart
	}
	if len(a.free) < n {
		limit := max(16, arenaBytes/int(reflect.TypeFor[T]().Size()+1))
		a.chunk = min(max(2*a.chunk, 8), limit)
		if n >= a.chunk/4 {
			// A long list gets its own array rather than waste a chunk.
			return make([]T, n)
		}
		a.free = make([]T, a.chunk)
	}
	s := a.free[:n:n]
	a.free = a.free[n:]
	return s
}

func (d *decoder) fail(format string, args ...any) {
	if d.err == nil {
		d.err = fmt.Errorf("snapshot: at byte %d: %s", d.off, fmt.Sprintf(format, args...))
	}
}

func (d *decoder) uvarint() uint64 {
	var n uint64
	for shift := uint(0); shift < 64; shift += 7 {
		if d.err != nil {
			return 0
		}
		if d.off >= len(d.s) {
			d.fail("cut short in a number")
			return 0
		}
		c := d.s[d.off]
		d.off++
		n |= uint64(c&0x7f) << shift
		if c < 0x80 {
			return n
		}
	}
	d.fail("a number longer than 64 bits")
	return 0
}

func (d *decoder) int() int64 {
	u := d.uvarint()
	return int64(u>>1) ^ -int64(u&1)
}

// fixed returns the next n bytes, or "" past the end.
func (d *decoder) fixed(n int) string {
	if d.err != nil {
		return ""
	}
	if len(d.s)-d.off < n {
		d.fail("cut short in a number")
		return ""
	}
	s := d.s[d.off : d.off+n]
	d.off += n
	return s
}

func (d *decoder) uint64() uint64 {
	var v uint64
	for i, c := range []byte(d.fixed(8)) {
		v |= uint64(c) << (8 * i)
	}
	return v
}

func (d *decoder) uint32() uint32 {
	var v uint32
	for i, c := range []byte(d.fixed(4)) {
		v |= uint32(c) << (8 * i)
	}
	return v
}

func (d *decoder) float() float64 { return math.Float64frombits(d.uint64()) }

func (d *decoder) bool() bool {
	if d.err != nil {
		return false
	}
	if d.off >= len(d.s) {
		d.fail("cut short")
		return false
	}
	c := d.s[d.off]
	if c > 1 {
		d.fail("byte %d where a flag (0 or 1) belongs", c)
		return false
	}
	d.off++
	return c == 1
}

func (d *decoder) str() string {
	n := d.uvarint()
	if d.err != nil {
		return ""
	}
	if n > uint64(len(d.s)-d.off) {
		d.fail("a string of %d bytes with %d left", n, len(d.s)-d.off)
		return ""
	}
	s := d.s[d.off : d.off+int(n)]
	d.off += int(n)
	return s
}

// length reads a slice's stored length, of elements that take at least
// minSize bytes each; ok is false for a nil slice and after a problem. A
// length the bytes left cannot hold is damage, caught before anything is
// allocated for it: a damaged snapshot cannot make Decode allocate more
// than a small multiple of its size.
func (d *decoder) length(minSize int) (n int, ok bool) {
	u := d.uvarint()
	if d.err != nil || u == 0 {
		return 0, false
	}
	if u-1 > uint64((len(d.s)-d.off)/minSize) {
		d.fail("a list of %d elements of at least %d bytes with %d bytes left", u-1, minSize, len(d.s)-d.off)
		return 0, false
	}
	return int(u - 1), true
}
