package data

import (
	"bytes"
	"io"
	"io/fs"
	"os"
	"runtime"
	"slices"
)

// countRecords makes a quick pass over a dataset file and counts the objects
// in each top-level array, without decoding them. Loading uses the counts to
// allocate each kind's slice once at its final size: at a million records,
// growing the slices instead copies hundreds of megabytes and, at the moment
// of each growth, holds the old and the new array at once. The counts are
// only a capacity hint; a malformed file just gets a wrong hint.
func countRecords(r io.Reader) ([8]int, error) {
	lay, err := countLayout(r, defaultTuning().checkpointEvery)
	return lay.counts, err
}

// layout is what the counting pass learns about a file: the records per
// section and where some of them start and end, so that two decoders can
// each take a part of the file (see decodeParallel). Like the counts, it is
// a hint: a malformed file gets a wrong layout, and its decoding then finds
// a problem and falls back to one decoder.
type layout struct {
	counts [8]int
	// order lists the sections in the order the file gives them.
	order []int
	// dup is set when a section's array appears twice.
	dup bool
	// first is the start of each section's first record; lastEnd is just
	// past the '}' of its last record.
	first, lastEnd [8]position
	// checkpoints are every tuning.checkpointEvery-th record of each
	// section.
	checkpoints []checkpoint
}

// checkpoint is record index of section sec: where it starts and where the
// record before it ends.
type checkpoint struct {
	sec, index     int
	start, prevEnd position
}

// countLayout is the layout of the file r reads, with a checkpoint every
// every records.
func countLayout(r io.Reader, every int) (layout, error) {
	c := newCounter(every)
	// 256 KB reads for big files; a small file (the embedded ones are a few
	// KB each) gets a buffer its size instead, since every load counts
	// every file.
	size := 256 << 10
	if st, ok := r.(interface{ Stat() (fs.FileInfo, error) }); ok {
		if fi, err := st.Stat(); err == nil && fi.Size() < int64(size) {
			size = int(fi.Size()) + 1
		}
	}
	buf := make([]byte, size)
	for {
		n, err := r.Read(buf)
		c.feed(buf[:n])
		if err == io.EOF {
			return c.lay, nil
		}
		if err != nil {
			return c.lay, err
		}
	}
}

// counter is the state of the counting pass between reads.
type counter struct {
	lay               layout
	base              int64 // offset of the next byte fed
	line              int
	lineStart         int64
	prevEnd           position
	depth, cur        int
	inString, collect bool
	// slashes counts the backslashes just before the current point of a
	// string, across reads: an odd run escapes the next quote.
	slashes int
	key     []byte
	// A counter that starts in the middle of a file (see countFile) counts
	// the records of the array it starts in, whose section it cannot know,
	// as section specSection.
	specCount   int
	specLastEnd position
	// every is how often, in records, a checkpoint is noted.
	every int
}

// specSection stands for the section a counter started in the middle of.
const specSection = 8

func newCounter(every int) *counter { return &counter{line: 1, cur: -1, every: every} }

// countFile is countLayout over a file, with the second half of a large
// file counted at the same time as the first. The second counter starts
// just after a newline past the middle: outside any string, since a string
// cannot hold a raw newline, and, it assumes, between two records of a
// top-level array. When the first counter gets there, it checks that
// assumption; if it does not hold, the first counter simply goes on to the
// end of the file, so the result is always that of one pass.
//
// p, when set, counts the bytes read; tune gives the file size from which
// the halves are counted at once and how often checkpoints are noted.
func countFile(f *os.File, p *Progress, tune tuning) (layout, error) {
	st, err := f.Stat()
	if err != nil {
		return layout{}, err
	}
	size := st.Size()
	if size < tune.minSplitCount || runtime.GOMAXPROCS(0) < 2 {
		// One pass, whose buffer countLayout sizes from the file: the
		// progress moves once, at its end.
		defer p.add(size)
		return countLayout(f, tune.checkpointEvery)
	}
	probe := make([]byte, 1<<20)
	n, err := f.ReadAt(probe, size/2)
	if err != nil && err != io.EOF {
		return layout{}, err
	}
	nl := bytes.IndexByte(probe[:n], '\n')
	if nl < 0 {
		defer p.add(size)
		return countLayout(f, tune.checkpointEvery)
	}
	split := size/2 + int64(nl) + 1
	second := &counter{line: 1, lineStart: split, base: split, depth: 2, cur: specSection, every: tune.checkpointEvery}
	var secondErr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		_, secondErr = feedFrom(second, p.reader(io.NewSectionReader(f, split, size-split)))
	}()
	first, err := feedFrom(newCounter(tune.checkpointEvery), p.reader(io.NewSectionReader(f, 0, split)))
	<-done
	if err != nil {
		return layout{}, err
	}
	if secondErr == nil && !first.inString && first.depth == 2 && first.cur >= 0 {
		return first.join(second), nil
	}
	// The guess was wrong (or the file is malformed): count the rest in order.
	first, err = feedFrom(first, p.reader(io.NewSectionReader(f, split, size-split)))
	return first.lay, err
}

// feedFrom feeds c everything r holds.
func feedFrom(c *counter, r io.Reader) (*counter, error) {
	buf := make([]byte, 256<<10)
	for {
		n, err := r.Read(buf)
		c.feed(buf[:n])
		if err == io.EOF {
			return c, nil
		}
		if err != nil {
			return c, err
		}
	}
}

// join is the layout of the whole file, from c (the first part) and next,
// which started where c stopped, between records of c's current section.
func (c *counter) join(next *counter) layout {
	lay := c.lay
	lay.order = slices.Clone(lay.order)
	lay.checkpoints = slices.Clone(lay.checkpoints)
	shift := func(p position) position {
		p.line += c.line - 1
		return p
	}
	before := lay.counts
	for _, cp := range next.lay.checkpoints {
		if cp.sec == specSection {
			cp.sec = c.cur
		}
		cp.index += before[cp.sec]
		cp.start, cp.prevEnd = shift(cp.start), shift(cp.prevEnd)
		lay.checkpoints = append(lay.checkpoints, cp)
	}
	if next.specCount > 0 {
		lay.counts[c.cur] += next.specCount
		lay.lastEnd[c.cur] = shift(next.specLastEnd)
	}
	for k, n := range next.lay.counts {
		if n == 0 {
			continue
		}
		if before[k] == 0 {
			lay.first[k] = shift(next.lay.first[k])
		}
		lay.counts[k] += n
		lay.lastEnd[k] = shift(next.lay.lastEnd[k])
	}
	for _, sec := range next.lay.order {
		if slices.Contains(lay.order, sec) {
			lay.dup = true
		}
		lay.order = append(lay.order, sec)
	}
	lay.dup = lay.dup || next.lay.dup
	return lay
}

func (c *counter) pos(off int64) position {
	return position{off: off, line: c.line, col: int(off-c.lineStart) + 1}
}

// feed counts the next bytes of the file.
func (c *counter) feed(b []byte) {
	lay := &c.lay
	counts := &lay.counts
	// Newlines inside strings are syntax errors, so counting only those
	// outside them gives the lines the decoder sees on a valid file.
	for i := 0; i < len(b); i++ {
		if c.inString {
			j := bytes.IndexByte(b[i:], '"')
			seg := b[i:]
			if j >= 0 {
				seg = b[i : i+j]
			}
			if c.collect {
				c.key = appendKey(c.key, seg)
			}
			c.slashes = trailingSlashes(seg, c.slashes)
			if j < 0 {
				break
			}
			i += j
			if c.slashes%2 == 1 {
				if c.collect {
					c.key = appendKey(c.key, []byte{'"'})
				}
				c.slashes = 0
				continue
			}
			c.inString = false
			continue
		}
		switch b[i] {
		case '"':
			c.inString, c.slashes = true, 0
			c.collect = c.depth == 1
			c.key = c.key[:0]
		case '\n':
			c.line++
			c.lineStart = c.base + int64(i) + 1
		case '[':
			if c.depth == 1 {
				c.cur = sectionIndex(c.key)
				if c.cur >= 0 {
					if slices.Contains(lay.order, c.cur) {
						lay.dup = true
					}
					lay.order = append(lay.order, c.cur)
				}
			}
			c.depth++
		case '{':
			if c.depth == 2 && c.cur >= 0 {
				at := c.pos(c.base + int64(i))
				k := &c.specCount
				if c.cur != specSection {
					k = &counts[c.cur]
				}
				if *k == 0 {
					if c.cur != specSection {
						lay.first[c.cur] = at
					}
				} else if *k%c.every == 0 {
					lay.checkpoints = append(lay.checkpoints, checkpoint{sec: c.cur, index: *k, start: at, prevEnd: c.prevEnd})
				}
				*k++
			}
			c.depth++
		case '}', ']':
			c.depth--
			if c.depth == 2 && c.cur >= 0 && b[i] == '}' {
				c.prevEnd = c.pos(c.base + int64(i) + 1)
				if c.cur == specSection {
					c.specLastEnd = c.prevEnd
				} else {
					lay.lastEnd[c.cur] = c.prevEnd
				}
			}
			if c.depth <= 1 {
				c.cur = -1
			}
		}
	}
	c.base += int64(len(b))
}

// maxCountKey bounds the bytes of a top-level string the counting pass
// keeps to recognise a section's key: section keys are short, and a
// top-level string can be a huge "$schema" value, which is never held.
const maxCountKey = 32

// appendKey appends seg to key, keeping at most maxCountKey+1 bytes: a key
// that long matches no section.
func appendKey(key, seg []byte) []byte {
	if room := maxCountKey + 1 - len(key); room > 0 {
		key = append(key, seg[:min(room, len(seg))]...)
	}
	return key
}

// trailingSlashes is the run of backslashes at the end of seg, continuing
// the run of prev when seg is nothing but backslashes.
func trailingSlashes(seg []byte, prev int) int {
	n := 0
	for j := len(seg) - 1; j >= 0 && seg[j] == '\\'; j-- {
		n++
	}
	if n == len(seg) {
		return prev + n
	}
	return n
}

func sectionIndex(key []byte) int {
	for i, s := range sections {
		if s.key == string(key) {
			return i
		}
	}
	return -1
}
