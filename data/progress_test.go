package data

import (
	"bytes"
	"strings"
	"sync"
	"testing"
)

// stageLog loads path with tune and a Progress, polled all along from another
// goroutine as a loading note would, and returns the stages the load went
// through with the bytes each read, and the total it gave.
func stageLog(t *testing.T, path string, tune tuning) (stages []string, read []int64, total int64, err error) {
	t.Helper()
	p := &Progress{observe: func(s Stage, done int64) {
		stages = append(stages, s.String())
		read = append(read, done)
	}}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		last := StageStarting
		for {
			select {
			case <-stop:
				return
			default:
			}
			s, done, _ := p.Snapshot()
			if s < last || done < 0 {
				t.Errorf("progress went back: %s after %s, %d bytes", s, last, done)
				return
			}
			last = s
		}
	}()
	_, err = Options{Progress: p}.withTuning(tune).Load(path)
	close(stop)
	wg.Wait()
	stage, _, total := p.Snapshot()
	if stage != StageDone {
		t.Errorf("stage after Load: %s, want done", stage)
	}
	return stages, read, total, err
}

// A load says which stage it is in and how many of the file's bytes each
// stage has read: every byte once while scanning and while reading (a
// little more with two decoders, which each read a buffer past the records
// they leave to the other), and reading starts again when problems send
// the file back to one decoder.
func TestProgress(t *testing.T) {
	t.Parallel()
	path, b := synthFile(t)
	size := int64(len(b))
	two := splitTuning().minParallel
	cases := []struct {
		name        string
		path        string
		minParallel int
		stages      string
		invalid     bool
	}{
		{"two decoders", path, two, "starting scanning reading checking", false},
		{"one decoder", path, 1 << 30, "starting scanning reading checking", false},
		{"two decoders, then one", func() string {
			c := bytes.Clone(b)
			i := indexFrom(t, c, len(c)/2, `"kind":`)
			copy(c[i:], `"kinD":`)
			return writeTemp(t, c)
		}(), two, "starting scanning reading reading checking", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			tune := splitTuning()
			tune.minParallel = c.minParallel
			stages, read, total, err := stageLog(t, c.path, tune)
			if (err != nil) != c.invalid {
				t.Fatalf("error %v, want one: %v", err, c.invalid)
			}
			if got := strings.Join(stages, " "); got != c.stages {
				t.Fatalf("stages %q, want %q", got, c.stages)
			}
			if total != size {
				t.Errorf("total %d, want the file's size %d", total, size)
			}
			if read[1] != size {
				t.Errorf("scanning read %d bytes, want %d", read[1], size)
			}
			last := read[len(read)-2] // the last reading stage
			switch {
			case c.minParallel > 1<<20 || c.invalid:
				if last != size {
					t.Errorf("one decoder read %d bytes, want %d", last, size)
				}
			case last < size || last > size+16*scanBufSize:
				t.Errorf("two decoders read %d bytes, want %d to %d", last, size, size+16*scanBufSize)
			}
		})
	}
}

// Without a Progress nothing is counted, and a nil one reads as starting.
func TestProgressNil(t *testing.T) {
	t.Parallel()
	var p *Progress
	if s, done, total := p.Snapshot(); s != StageStarting || done != 0 || total != 0 {
		t.Errorf("nil Progress: %s %d %d", s, done, total)
	}
	r := strings.NewReader("x")
	if p.reader(r) != r {
		t.Error("a nil Progress wraps readers")
	}
	p.enter(StageReading) // must not panic
	p.add(1)
}
