package data

import (
	"errors"
	"io"
	"os"
	"runtime"
	"unsafe"
)

// errSplit stops a split decoder whose file is not laid out as the counting
// pass said; the file is then decoded again by one decoder.
var errSplit = errors.New("file layout differs from the counting pass")

// splitPlan is the part of a file one of two decoders leaves to the other:
// per section, a run of records it skips by seeking past them.
type splitPlan struct {
	rs      io.Seeker
	skips   [8]skipRule
	decoded int // records this decoder filled
}

// skipRule skips records [at, until) of a section: at record at (which must
// start at startOff), the scanner seeks to to, just past record until-1.
type skipRule struct {
	active    bool
	at, until int
	startOff  int64
	to        position
}

// decodeParallel decodes one large file with two decoders, each taking about
// half of its bytes, using the record boundaries the counting pass found.
// It only succeeds on a file without any problem: on anything else
// (a problem, a syntax error, a layout that does not match) it returns false
// with the dataset's slices emptied, and the caller decodes the file again
// with one decoder, so that problems, their order and their positions are
// exactly those of a sequential decode. The slices are given their final
// length first, so the decoders write disjoint records of the same arrays
// and the result is the same dataset, in the same order.
func (l *loader) decodeParallel(f dataFile, lay layout) bool {
	total := 0
	for _, n := range lay.counts {
		total += n
	}
	if total < l.tune.minParallel || lay.dup || runtime.GOMAXPROCS(0) < 2 || len(lay.checkpoints) == 0 {
		return false
	}
	// Split at the checkpoint nearest the middle of the records' bytes.
	var end int64
	for _, sec := range lay.order {
		if lay.counts[sec] > 0 {
			end = max(end, lay.lastEnd[sec].off)
		}
	}
	cp := lay.checkpoints[0]
	for _, c := range lay.checkpoints[1:] {
		if abs64(c.start.off-end/2) < abs64(cp.start.off-end/2) {
			cp = c
		}
	}
	var a, b [8]skipRule
	after := false
	for _, sec := range lay.order {
		n := lay.counts[sec]
		whole := skipRule{active: n > 0, at: 0, until: n, startOff: lay.first[sec].off, to: lay.lastEnd[sec]}
		switch {
		case sec == cp.sec:
			a[sec] = skipRule{active: true, at: cp.index, until: n, startOff: cp.start.off, to: lay.lastEnd[sec]}
			b[sec] = skipRule{active: true, at: 0, until: cp.index, startOff: lay.first[sec].off, to: cp.prevEnd}
			after = true
		case after:
			a[sec] = whole
		default:
			b[sec] = whole
		}
	}

	var readers [2]*os.File
	defer func() {
		for _, r := range readers {
			if r != nil {
				r.Close()
			}
		}
	}()
	for i := range readers {
		rc, err := f.open()
		if err != nil {
			return false
		}
		fr, ok := rc.(*os.File)
		if !ok {
			rc.Close()
			return false
		}
		readers[i] = fr
	}
	for k, sec := range sections {
		sv := sec.slice(l.ds)
		sv.SetLen(lay.counts[k])
		l.locs[k] = l.locs[k][:lay.counts[k]]
		prefault(sv.UnsafePointer(), uintptr(sv.Len())*sv.Type().Elem().Size())
	}
	decoders := [2]*decoder{}
	oks := [2]bool{}
	for i, skips := range [2][8]skipRule{a, b} {
		decoders[i] = &decoder{
			s:      l.scanner(readers[i]),
			file:   f.name,
			intern: map[string]*internTable{},
			split:  &splitPlan{rs: readers[i], skips: skips},
		}
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		oks[1] = decoders[1].decodeFile(l.ds, &l.locs, 0)
	}()
	oks[0] = decoders[0].decodeFile(l.ds, &l.locs, 0)
	<-done
	ok := oks[0] && oks[1] && len(decoders[0].probs) == 0 && len(decoders[1].probs) == 0 &&
		decoders[0].split.decoded+decoders[1].split.decoded == total
	if !ok {
		// The file is read again from the start, by one decoder.
		l.opts.Progress.enter(StageReading)
		for k, sec := range sections {
			sv := sec.slice(l.ds)
			sv.Clear()
			sv.SetLen(0)
			l.locs[k] = l.locs[k][:0]
		}
	}
	return ok
}

// prefault touches every page of a new array before the decoders write it.
// Freshly mapped memory is faulted in on first write, and the two decoders
// faulting in pages of the same arrays at once spent 1.3 s of CPU on it at a
// million records, against 0.2 s for one thread touching them all first.
// The arrays are all zero, so writing a zero byte changes nothing.
func prefault(p unsafe.Pointer, size uintptr) {
	const page = 4096
	for off := uintptr(0); off < size; off += page {
		*(*byte)(unsafe.Add(p, off)) = 0
	}
}

func abs64(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}
