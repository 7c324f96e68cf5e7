package data

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/dcx-explorer/dcx/data/synth"
	"github.com/dcx-explorer/dcx/model"
)

// BenchmarkLoad measures parsing, validating and building the embedded
// dataset, what every process start pays once.
func BenchmarkLoad(b *testing.B) {
	files := embeddedFiles()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := (Options{}).loadFiles(files); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEmbedded measures what Embedded does on a process's first call:
// the snapshot read, checked against the JSON's checksum, decoded and
// built. BenchmarkLoad, reading the same records from the JSON, is its
// reference:
//
//	go test ./data -run '^$' -bench 'BenchmarkLoad$|BenchmarkEmbedded$' -benchtime 100x
func BenchmarkEmbedded(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := fromSnapshot(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoadMillion loads a synthetic file of 1,000,000 records (about
// 700 MB, written once per run by synth): decoding, validation and
// model.Build. It reports the heap the loaded dataset holds (live-MB) and
// the bytes allocated along the way (B/op). Run it alone, it takes a while:
//
//	go test ./data -run '^$' -bench LoadMillion -benchtime 1x
func BenchmarkLoadMillion(b *testing.B) {
	const n = 1_000_000
	path := filepath.Join(b.TempDir(), "million.json")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(f)
	if err := synth.Write(w, n, 1); err != nil {
		b.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	f.Close()
	if st, err := os.Stat(path); err == nil {
		b.SetBytes(st.Size())
	}
	b.ReportAllocs()
	b.ResetTimer()
	var live uint64
	for b.Loop() {
		ds, err := Load(path)
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		var ms runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&ms)
		live = ms.HeapAlloc
		runtime.KeepAlive(ds)
		ds = nil
		runtime.GC()
		b.StartTimer()
	}
	b.ReportMetric(float64(live)/(1<<20), "live-MB")
}

// BenchmarkDecode decodes a synthetic file of 100,000 records (about 70 MB,
// in memory) with one decoder: the decoder alone, without the counting
// pass, validation or model.Build, for comparing changes to it in a few
// seconds where BenchmarkLoadMillion takes a minute and varies more:
//
//	go test ./data -run '^$' -bench 'BenchmarkDecode$' -benchtime 3x -count 6
func BenchmarkDecode(b *testing.B) {
	var buf bytes.Buffer
	if err := synth.Write(&buf, 100_000, 1); err != nil {
		b.Fatal(err)
	}
	raw := buf.Bytes()
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		l := &loader{ds: &model.Dataset{}}
		d := &decoder{s: newScanner(bytes.NewReader(raw), position{line: 1, col: 1}, scanBufSize), file: "synth.json", intern: map[string]*internTable{}}
		if !d.decodeFile(l.ds, &l.locs, 0) || len(d.probs) > 0 {
			b.Fatalf("decoding failed: %v", d.probs)
		}
	}
}
