package data

import (
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"sort"
	"strings"

	"github.com/dcx-explorer/dcx/model"
)

// loader holds what one load needs besides the dataset: where each record
// came from, and the problems so far.
type loader struct {
	opts  Options
	tune  tuning
	files []dataFile
	ds    *model.Dataset
	locs  [8][]recLoc // per section, parallel to the dataset's slices
	probs []Problem
	// dropped counts problems left out of probs and pending past
	// MaxProblems.
	dropped int
	// fatal are the syntax errors that ended a file, listed past the cap.
	fatal []Problem
	// pending are problems found after decoding: positioned by re-reading
	// their record once all are known.
	pending []pending
}

type pending struct {
	sec, rec int    // section and index in the dataset's slice
	rel      string // path inside the record: "evidence[0].quote"
	value    string
	msg      string
}

func (o Options) loadFiles(files []dataFile) (*model.Dataset, error) {
	l := &loader{opts: o, tune: o.tuning(), files: files, ds: &model.Dataset{}}
	prog := o.Progress
	defer prog.enter(StageDone)
	// A first quick pass counts the records so each kind's slice is
	// allocated once (see countRecords); streams that cannot be rewound
	// skip it and are kept open for decoding.
	readers := make([]io.ReadCloser, len(files))
	defer func() {
		for _, rc := range readers {
			if rc != nil {
				rc.Close()
			}
		}
	}()
	var counts [8]int
	var lay layout
	var total int64
	limit := o.maxSize()
	prog.enter(StageScanning)
	for i, f := range files {
		rc, err := f.open()
		if err != nil {
			return nil, err
		}
		rs, ok := rc.(io.ReadSeeker)
		size := int64(-1)
		if f, isFile := rc.(*os.File); isFile {
			st, err := f.Stat()
			if err != nil {
				rc.Close()
				return nil, err
			}
			// A pipe, a FIFO or /dev/stdin "seeks" but opening it again
			// gives another reader (or waits for one): read it once.
			ok = ok && st.Mode().IsRegular()
			size = st.Size()
		} else if sz, isSized := rc.(interface{ Size() int64 }); isSized && ok {
			size = sz.Size()
		}
		if !ok {
			files[i].stream = true
			readers[i] = rc
			if limit >= 0 {
				readers[i] = &limitedReader{r: rc, left: limit - total, name: f.name, limit: limit}
			}
			continue
		}
		if size >= 0 {
			total += size
			if limit >= 0 && total > limit {
				rc.Close()
				return nil, tooLarge(f.name, limit)
			}
			prog.setTotal(total)
		}
		lay = layout{}
		if file, isFile := rc.(*os.File); !startsWithObject(rs) {
			// Not JSON from its first byte: decoding says so at once,
			// where counting would read the whole file first.
		} else if isFile {
			lay, err = countFile(file, prog, l.tune)
		} else {
			lay, err = countLayout(rs, l.tune.checkpointEvery)
		}
		rc.Close()
		if err != nil {
			return nil, err
		}
		for k := range counts {
			counts[k] += lay.counts[k]
		}
	}
	l.allocate(counts)
	intern := map[string]*internTable{}
	complete := true
	prog.enter(StageReading)
	sequential := files
	if len(files) == 1 && readers[0] == nil && l.decodeParallel(files[0], lay) {
		sequential = nil
	}
	for i, f := range sequential {
		rc := readers[i]
		if rc == nil {
			var err error
			if rc, err = f.open(); err != nil {
				return nil, err
			}
		}
		d := &decoder{s: l.scanner(rc), file: f.name, intern: intern}
		if !d.decodeFile(l.ds, &l.locs, i) {
			complete = false
			// decodeFile's last problem is the syntax error that stopped it.
			l.fatal = append(l.fatal, d.probs[len(d.probs)-1])
		}
		rc.Close()
		readers[i] = nil
		l.probs = append(l.probs, d.probs...)
		l.dropped += d.dropped
	}
	// After a syntax error a file is cut short, and checking references
	// against half a dataset would bury the one real problem in noise.
	prog.enter(StageChecking)
	built := false
	if complete {
		built = l.validate()
		l.resolve()
	}
	if len(l.probs) > 0 {
		return nil, Errors(l.probs).capped(l.dropped, l.fatal)
	}
	if !built {
		// Unreachable in practice (validation reports why Build failed), but
		// never hand out an unbuilt dataset.
		return nil, Errors{{File: files[0].name, Line: 1, Col: 1, Msg: "dataset could not be built"}}
	}
	return l.ds, nil
}

// scanner reads r, one of the load's files, from its start, with the load's
// tuning, its bytes counted by the load's Progress.
func (l *loader) scanner(r io.Reader) *scanner {
	s := newScanner(l.opts.Progress.reader(r), position{line: 1, col: 1}, scanBufSize)
	s.discardAt = l.tune.discardAt
	return s
}

// allocate gives each section's slice (and its locations) the capacity the
// counting pass found.
func (l *loader) allocate(counts [8]int) {
	for k, sec := range sections {
		if counts[k] > 0 {
			sv := sec.slice(l.ds)
			sv.Set(reflect.MakeSlice(sv.Type(), 0, counts[k]))
			l.locs[k] = make([]recLoc, 0, counts[k])
		}
	}
}

// report records a problem found after decoding, in record rec of section sec.
func (l *loader) report(sec, rec int, rel, value, msg string) {
	l.pending = append(l.pending, pending{sec: sec, rec: rec, rel: rel, value: value, msg: msg})
}

// recordPath is the path of a record from the top of its file: facilities[3].
func (l *loader) recordPath(sec, rec int) string {
	return fmt.Sprintf("%s[%d]", sections[sec].key, l.locs[sec][rec].index)
}

// maxLocated bounds the problems per file whose exact position is looked up
// by re-reading: past it (a file that is wrong throughout) they point at the
// start of their record, which costs nothing.
const maxLocated = 10000

// resolve turns pending problems into positioned ones: it re-reads each
// affected record and follows the problem's path to the offending value.
func (l *loader) resolve() {
	byFile := map[int32][]pending{}
	for _, p := range l.pending {
		f := l.locs[p.sec][p.rec].file
		byFile[f] = append(byFile[f], p)
	}
	fileIdx := make([]int32, 0, len(byFile))
	for f := range byFile {
		fileIdx = append(fileIdx, f)
	}
	sort.Slice(fileIdx, func(i, j int) bool { return fileIdx[i] < fileIdx[j] })
	for _, fi := range fileIdx {
		ps := byFile[fi]
		sort.SliceStable(ps, func(i, j int) bool {
			return l.locs[ps[i].sec][ps[i].rec].off < l.locs[ps[j].sec][ps[j].rec].off
		})
		f := l.files[fi]
		var rs io.ReadSeeker
		if !f.stream {
			if rc, err := f.open(); err == nil {
				defer rc.Close()
				rs, _ = rc.(io.ReadSeeker)
			}
		}
		for i, p := range ps {
			loc := l.locs[p.sec][p.rec]
			at := loc.position()
			if rs != nil && i < maxLocated {
				at = locate(rs, at, p.rel)
			}
			full := l.recordPath(p.sec, p.rec)
			if p.rel != "" {
				full += "." + p.rel
				full = strings.ReplaceAll(full, ".[", "[")
			}
			l.probs = append(l.probs, Problem{File: f.name, Line: at.line, Col: at.col, Path: full, Value: p.value, Msg: p.msg})
		}
	}
	l.pending = nil
}

// locate re-reads the record starting at at and returns the position of the
// value rel names, or of the nearest enclosing value that exists (a missing
// field points at its object).
func locate(rs io.ReadSeeker, at position, rel string) position {
	elems, err := parsePath(rel)
	if err != nil {
		return at
	}
	if _, err := rs.Seek(at.off, io.SeekStart); err != nil {
		return at
	}
	s := newScanner(rs, at, 4<<10)
	best := at
	for _, e := range elems {
		c, ok := s.peek()
		if !ok {
			return best
		}
		found := false
		var stop = errors.New("found")
		switch {
		case e.key != "" && c == '{':
			s.pos++
			err = s.eachMember(func(key []byte, _ position) error {
				if string(key) == e.key {
					found = true
					return stop
				}
				return s.skipValue(1)
			})
		case e.key == "" && c == '[':
			s.pos++
			err = s.eachElement(func(i int, _ position) error {
				if i == e.idx {
					found = true
					return stop
				}
				return s.skipValue(1)
			})
		}
		if !found || err != stop {
			return best
		}
		s.peek()
		best = s.here()
	}
	return best
}
