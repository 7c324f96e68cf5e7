// Package data loads, validates, encodes and embeds dcx's dataset files.
//
// A dataset is one JSON file or a folder of them (merged, files in name
// order). Decoding is strict and streams: unknown or misspelt fields, wrong
// types, missing required fields and null are problems with a file, line,
// column and JSON path; a file is read through a fixed buffer, never held
// whole. Validation then checks ids, references, evidence, dates, money and
// ranges, and every problem found is reported at once as Errors.
package data

import (
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"

	"github.com/dcx-explorer/dcx/model"
)

// go generate ./data makes, in this order: the snapshot codec, from the
// model's types (a model change may leave the old one unable to compile);
// research.json, from the research notes and their row maps (see
// data/notes); and the snapshot the app starts from, from the JSON,
// research.json included (see prepared.go). The generators are built
// without the snapshot (-tags nosnapshot), which they may make stale or
// replace.
//
//go:generate go run ./snapshot/internal/gen -out snapshot/codec_gen.go
//go:generate go run -tags nosnapshot ./notes/cmd/notes gen -data .
//
//go:generate go run -tags nosnapshot ./snapshot/cmd/snapshot -out prepared/dataset.snap

//go:embed dataset/*.json
var embedded embed.FS

// documents holds the documents the embedded dataset quotes (the two seed
// articles and the research notes), so that any copy of dcx can check that
// every quote is verbatim.
//
//go:embed documents/*
var documents embed.FS

// embeddedDir is how problems in the embedded files name them: the path
// from the repository root, where a developer would open them.
const embeddedDir = "data/dataset"

// embeddedOnce reads the embedded dataset on first use, from its snapshot
// when that is current, else from the JSON. The variable is never
// reassigned and its result is set once: the embedded files cannot change,
// so every caller, every test included, is given the same read-only
// dataset.
var embeddedOnce = sync.OnceValues(func() (*model.Dataset, error) {
	if ds, err := fromSnapshot(); err == nil {
		return ds, nil
	}
	return Options{}.loadFiles(embeddedFiles())
})

// Embedded returns the dataset built into the binary. It is parsed and built
// once per process and shared read-only: every SSH session uses the same
// one, so callers must not modify it.
func Embedded() (*model.Dataset, error) { return embeddedOnce() }

// LoadEmbedded loads the dataset built into the binary afresh, with o (to
// validate it, quotes included, as `dcx validate` does with no path).
// Embedded's shared copy is not touched.
func (o Options) LoadEmbedded() (*model.Dataset, error) { return o.loadFiles(embeddedFiles()) }

func embeddedFiles() []dataFile {
	names, _ := fs.Glob(embedded, "dataset/*.json") // sorted; the pattern is valid
	files := make([]dataFile, len(names))
	for i, n := range names {
		files[i] = dataFile{
			name: path.Join(embeddedDir, path.Base(n)),
			open: func() (io.ReadCloser, error) { return embedded.Open(n) },
		}
	}
	return files
}

// Options tune loading. The zero value is what Load uses.
type Options struct {
	// CheckQuotes makes every quote citing a source with a "file" (a seed
	// article, the research notes) be checked as a verbatim substring of that
	// document. Documents are looked up in QuoteDir when it is set, then among
	// the copies built into dcx (data/documents). Validate always checks.
	CheckQuotes bool
	// QuoteDir is a folder of further documents for CheckQuotes.
	QuoteDir string
	// Progress, when set, is kept up to date while the load runs.
	Progress *Progress
	// MaxSize bounds the bytes of the dataset's files together: 0 means
	// DefaultMaxSize, a negative value no bound. Regular files are
	// measured before anything is read; a stream stops with an error once
	// it has given more.
	MaxSize int64
	// tune, set only by tests, replaces defaultTuning (see tuning).
	tune *tuning
}

// DefaultMaxSize is the MaxSize of the zero Options: four times a
// million-record synthetic dataset (about 60 MB), and a bound on the memory
// a file given by mistake (or by someone else) can make a load take.
const DefaultMaxSize = 256 << 20

// maxSize is MaxSize with its default, or -1 for no bound.
func (o Options) maxSize() int64 {
	switch {
	case o.MaxSize == 0:
		return DefaultMaxSize
	case o.MaxSize < 0:
		return -1
	}
	return o.MaxSize
}

// tooLarge is the error for a dataset over its size bound.
func tooLarge(name string, limit int64) error {
	return fmt.Errorf("%s: the dataset is larger than the limit of %s (--max-data-size)", name, byteSize(limit))
}

// limitedReader reads r and fails once more than left bytes came through:
// a stream's size is only known by reading it.
type limitedReader struct {
	r     io.Reader
	left  int64
	name  string
	limit int64
}

func (l *limitedReader) Read(p []byte) (int, error) {
	if l.left < 0 {
		return 0, tooLarge(l.name, l.limit)
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	if l.left < 0 {
		return n, tooLarge(l.name, l.limit)
	}
	return n, err
}

func (l *limitedReader) Close() error {
	if c, ok := l.r.(io.Closer); ok {
		return c.Close()
	}
	return nil
}

// Load reads, validates and builds the dataset at path: a .json file or a
// folder whose .json files are merged in name order. Invalid data gives an
// error of type Errors listing every problem; a file that cannot be read
// gives the I/O error.
func Load(path string) (*model.Dataset, error) { return Options{}.Load(path) }

// Validate loads the dataset the paths form together (each a file or a
// folder), quotes checked, and returns nil, an Errors, or an I/O error.
func Validate(paths ...string) error { return Options{CheckQuotes: true}.Validate(paths...) }

// Load is Load with options.
func (o Options) Load(path string) (*model.Dataset, error) {
	files, err := listFiles(path)
	if err != nil {
		return nil, err
	}
	return o.loadFiles(files)
}

// Validate is Validate with options.
func (o Options) Validate(paths ...string) error {
	if len(paths) == 0 {
		return errors.New("validate: no path given")
	}
	var files []dataFile
	for _, p := range paths {
		fs, err := listFiles(p)
		if err != nil {
			return err
		}
		files = append(files, fs...)
	}
	_, err := o.loadFiles(files)
	return err
}

// Read loads a dataset from one stream (standard input, a network body);
// name is what problems call the file. When r is an io.Seeker (a
// *bytes.Reader, an *os.File of a regular file), it is read twice (a quick
// count first) and problems found after decoding point at the offending
// value; otherwise (a pipe, a FIFO, a terminal) it is read once and they
// point at the start of their record.
func Read(r io.Reader, name string) (*model.Dataset, error) {
	return Options{}.loadFiles([]dataFile{streamFile(r, name)})
}

// Read is Read with options.
func (o Options) Read(r io.Reader, name string) (*model.Dataset, error) {
	return o.loadFiles([]dataFile{streamFile(r, name)})
}

func streamFile(r io.Reader, name string) dataFile {
	used := false
	start := int64(-1)
	return dataFile{name: name, open: func() (io.ReadCloser, error) {
		rs, ok := r.(io.ReadSeeker)
		if !ok {
			if used {
				return nil, errors.New("stream cannot be read twice")
			}
			used = true
			return io.NopCloser(r), nil
		}
		if start < 0 {
			// Offsets in the dataset count from where the stream was when
			// Read was called.
			var err error
			if start, err = rs.Seek(0, io.SeekCurrent); err != nil {
				return nil, err
			}
		} else if _, err := rs.Seek(start, io.SeekStart); err != nil {
			return nil, err
		}
		return &offsetSeeker{rs: rs, start: start}, nil
	}}
}

// offsetSeeker is a stream seen from start on, seekable and closable, so
// that problems in it can be positioned exactly.
type offsetSeeker struct {
	rs    io.ReadSeeker
	start int64
}

func (o *offsetSeeker) Read(p []byte) (int, error) { return o.rs.Read(p) }
func (o *offsetSeeker) Close() error               { return nil }

func (o *offsetSeeker) Seek(off int64, whence int) (int64, error) {
	if whence == io.SeekStart {
		off += o.start
	}
	n, err := o.rs.Seek(off, whence)
	return n - o.start, err
}

// dataFile is one file of a dataset: the name problems give it and a way to
// open it (again, when a problem's exact position is looked up).
type dataFile struct {
	name string
	open func() (io.ReadCloser, error)
	// stream is set by the load for a file that can only be read once (a
	// pipe, a FIFO, a terminal): it is never opened again.
	stream bool
}

// startsWithObject reports whether the first byte of rs past white space
// (looked for in the first 4 KB) can start a dataset, and rewinds rs.
func startsWithObject(rs io.ReadSeeker) bool {
	buf := make([]byte, 4<<10)
	n, _ := io.ReadFull(rs, buf)
	if _, err := rs.Seek(0, io.SeekStart); err != nil {
		return false
	}
	for _, c := range buf[:n] {
		switch c {
		case ' ', '\t', '\r', '\n':
			continue
		}
		return c == '{'
	}
	return true
}

func listFiles(p string) ([]dataFile, error) {
	st, err := os.Stat(p)
	if err != nil {
		return nil, err
	}
	osFile := func(name string) dataFile {
		return dataFile{name: name, open: func() (io.ReadCloser, error) { return os.Open(name) }}
	}
	if !st.IsDir() {
		return []dataFile{osFile(p)}, nil
	}
	entries, err := os.ReadDir(p) // sorted by name: merging is deterministic
	if err != nil {
		return nil, err
	}
	var files []dataFile
	for _, e := range entries {
		if e.IsDir() || !strings.EqualFold(filepath.Ext(e.Name()), ".json") {
			continue
		}
		files = append(files, osFile(filepath.Join(p, e.Name())))
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("%s: no .json files in this folder", p)
	}
	return files, nil
}
