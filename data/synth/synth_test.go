package synth_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/dcx-explorer/dcx/data"
	"github.com/dcx-explorer/dcx/data/synth"
	"github.com/dcx-explorer/dcx/model"
	"github.com/dcx-explorer/dcx/search"
)

func TestWriteEqualsGenerate(t *testing.T) {
	t.Parallel()
	for _, n := range []int{1, 2, 7, 60, 100, 150, 1000, 5000} {
		var buf bytes.Buffer
		if err := synth.Write(&buf, n, 42); err != nil {
			t.Fatalf("n=%d: Write: %v", n, err)
		}
		var fromWrite model.Dataset
		dec := json.NewDecoder(bytes.NewReader(buf.Bytes()))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&fromWrite); err != nil {
			t.Fatalf("n=%d: decoding Write output: %v", n, err)
		}
		want, err := json.Marshal(synth.Generate(n, 42))
		if err != nil {
			t.Fatal(err)
		}
		got, err := json.Marshal(&fromWrite)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("n=%d: Write and Generate differ (%d vs %d bytes)", n, len(got), len(want))
		}
	}
}

func TestGenerateCountsValidatesAndIsDeterministic(t *testing.T) {
	t.Parallel()
	for _, n := range []int{1, 3, 10, 90, 101, 500, 3000} {
		var buf bytes.Buffer
		if err := synth.Write(&buf, n, 3); err != nil {
			t.Fatal(err)
		}
		ds, err := data.Read(bytes.NewReader(buf.Bytes()), "synth.json")
		if err != nil {
			msg := err.Error()
			if len(msg) > 2000 {
				msg = msg[:2000]
			}
			t.Fatalf("n=%d: the data package rejects the dataset:\n%s", n, msg)
		}
		if ds.Len() != n {
			t.Errorf("n=%d: %d records", n, ds.Len())
		}
	}
	a, _ := json.Marshal(synth.Generate(800, 5))
	b, _ := json.Marshal(synth.Generate(800, 5))
	c, _ := json.Marshal(synth.Generate(800, 6))
	if !bytes.Equal(a, b) {
		t.Error("same seed, different datasets")
	}
	if bytes.Equal(a, c) {
		t.Error("different seeds, same dataset")
	}
}

func TestGenerateSpreadsOverKinds(t *testing.T) {
	t.Parallel()
	ds := synth.Generate(5000, 1)
	if err := ds.Build(); err != nil {
		t.Fatal(err)
	}
	for _, k := range model.Kinds() {
		if len(ds.ByKind(k)) == 0 {
			t.Errorf("no %s records", k)
		}
	}
	currencies := map[string]bool{}
	for _, in := range ds.Investments {
		currencies[in.Amount.Currency] = true
	}
	if len(currencies) < 5 {
		t.Errorf("investments use %d currencies, want several", len(currencies))
	}
	// The benchmark query must match something at every size.
	for _, n := range []int{1000, 5000} {
		ds := synth.Generate(n, 9)
		if err := ds.Build(); err != nil {
			t.Fatal(err)
		}
		recs, _, err := search.Run(ds, "ulsan aws")
		if err != nil || len(recs) == 0 {
			t.Errorf("n=%d: ulsan aws: %d records, %v", n, len(recs), err)
		}
	}
	// Evidence in Italian, German or French carries an English translation.
	translated := 0
	for _, f := range ds.Facilities {
		if ev := f.Evidence[0]; ev.Quote != ev.Translation && strings.Contains(ev.Translation, " MW data center in ") {
			translated++
		}
	}
	if translated == 0 {
		t.Error("no translated evidence")
	}
}
