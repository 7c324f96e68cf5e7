package data

import (
	"io"
	"sync/atomic"
)

// Progress follows a load from another goroutine: give one in
// Options.Progress and read it with Snapshot while Load runs (a loading
// note polls it a few times a second). At a million records a load takes
// seconds, and "reading 43 %" says more than a spinner.
//
// Bytes are counted as the loader reads them, a few hundred kilobytes at a
// time, so following a load costs nothing measurable. The zero value is
// ready to use; a Progress serves one load.
type Progress struct {
	stage atomic.Int32
	done  atomic.Int64
	total atomic.Int64
	// observe, set by tests, is told of each stage left and its bytes.
	observe func(left Stage, done int64)
}

// Stage is the part of a load under way.
type Stage int32

const (
	// StageStarting: the files are being opened.
	StageStarting Stage = iota
	// StageScanning: the quick pass that counts the records (bytes counted).
	StageScanning
	// StageReading: the records are being decoded (bytes counted).
	StageReading
	// StageChecking: ids are indexed, relations built and every rule
	// checked; no bytes are read.
	StageChecking
	// StageDone: the load has returned.
	StageDone
)

func (s Stage) String() string {
	switch s {
	case StageScanning:
		return "scanning"
	case StageReading:
		return "reading"
	case StageChecking:
		return "checking"
	case StageDone:
		return "done"
	}
	return "starting"
}

// Snapshot returns the stage and, while scanning or reading, the bytes read
// in that stage out of total (0 when the size is unknown, as for standard
// input). done can briefly pass total: a pass that finds its guess about the
// file wrong reads part of it again (see countFile, decodeParallel).
func (p *Progress) Snapshot() (stage Stage, done, total int64) {
	if p == nil {
		return StageStarting, 0, 0
	}
	return Stage(p.stage.Load()), p.done.Load(), p.total.Load()
}

// enter starts a stage, its byte count from zero.
func (p *Progress) enter(s Stage) {
	if p == nil {
		return
	}
	if p.observe != nil {
		p.observe(Stage(p.stage.Load()), p.done.Load())
	}
	p.done.Store(0)
	p.stage.Store(int32(s))
}

func (p *Progress) setTotal(n int64) {
	if p != nil {
		p.total.Store(n)
	}
}

func (p *Progress) add(n int64) {
	if p != nil {
		p.done.Add(n)
	}
}

// reader counts what r reads into p; with a nil p it is r itself.
func (p *Progress) reader(r io.Reader) io.Reader {
	if p == nil {
		return r
	}
	return &countingReader{r: r, p: p}
}

type countingReader struct {
	r io.Reader
	p *Progress
}

func (c *countingReader) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	c.p.done.Add(int64(n))
	return n, err
}
