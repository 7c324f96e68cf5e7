package snapshot

import (
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"unsafe"

	"github.com/dcx-explorer/dcx/data/snapshot/internal/shape"
	"github.com/dcx-explorer/dcx/model"
)

// populated is a dataset in which every stored field of every type holds a
// value of its own: each string differs, ints run negative and positive,
// every pointer is set and every list has two elements, except that lists
// alternate between nil, empty and full so that all three are kept apart,
// and that lists nested deeper than maxDepth stay nil.
func populated() *model.Dataset { return populatedTo(3) }

func populatedTo(maxDepth int) *model.Dataset {
	ds := new(model.Dataset)
	n := 0
	var fill func(v reflect.Value, depth int)
	fill = func(v reflect.Value, depth int) {
		n++
		switch v.Kind() {
		case reflect.String:
			v.SetString("s" + strconv.Itoa(n) + " ünïcode")
		case reflect.Bool:
			v.SetBool(n%2 == 0)
		case reflect.Int:
			v.SetInt(int64(n * (1 - 2*(n%2)) * 1_000_003))
		case reflect.Float64:
			v.SetFloat(float64(n) + 0.25)
		case reflect.Pointer:
			p := reflect.New(v.Type().Elem())
			fill(p.Elem(), depth)
			v.Set(p)
		case reflect.Slice:
			switch {
			case depth > maxDepth || n%7 == 0:
				// left nil
			case n%7 == 1:
				v.Set(reflect.MakeSlice(v.Type(), 0, 0))
			default:
				s := reflect.MakeSlice(v.Type(), 2, 2)
				for i := range 2 {
					fill(s.Index(i), depth+1)
				}
				v.Set(s)
			}
		case reflect.Struct:
			for _, f := range shape.Stored(v.Type()) {
				fill(v.Field(f), depth)
			}
		}
	}
	fill(reflect.ValueOf(ds).Elem(), 0)
	return ds
}

func TestRoundTripEveryField(t *testing.T) {
	for name, ds := range map[string]*model.Dataset{
		"populated": populated(),
		"empty":     {},
		"empty lists": {
			Sources: []model.Source{}, Companies: []model.Company{{Aliases: []string{}}},
		},
	} {
		t.Run(name, func(t *testing.T) {
			b, err := Encode(ds, 42)
			if err != nil {
				t.Fatal(err)
			}
			got, err := Decode(string(b), 42)
			if err != nil {
				t.Fatal(err)
			}
			if path := firstDiff(reflect.ValueOf(got).Elem(), reflect.ValueOf(ds).Elem(), "dataset"); path != "" {
				t.Fatalf("the round trip changed %s", path)
			}
		})
	}
	// Every field was set: a field the codec skipped would be zero.
	ds := populated()
	if ds.Facilities[0].Capex == nil || ds.Facilities[0].Coords == nil || ds.Rates[0].Evidence[0].Cites == nil {
		t.Fatal("populated left fields it should have set")
	}
}

// firstDiff is the path of the first stored value where a and b differ,
// nil and empty lists apart, or "" when they are equal.
func firstDiff(a, b reflect.Value, path string) string {
	switch a.Kind() {
	case reflect.Pointer:
		if a.IsNil() || b.IsNil() {
			if a.IsNil() != b.IsNil() {
				return path + fmt.Sprintf(" (nil: %v, want %v)", a.IsNil(), b.IsNil())
			}
			return ""
		}
		return firstDiff(a.Elem(), b.Elem(), path)
	case reflect.Slice:
		if a.IsNil() != b.IsNil() || a.Len() != b.Len() {
			return path + fmt.Sprintf(" (nil %v, len %d; want nil %v, len %d)", a.IsNil(), a.Len(), b.IsNil(), b.Len())
		}
		for i := range a.Len() {
			if d := firstDiff(a.Index(i), b.Index(i), fmt.Sprintf("%s[%d]", path, i)); d != "" {
				return d
			}
		}
	case reflect.Struct:
		for _, f := range shape.Stored(a.Type()) {
			if d := firstDiff(a.Field(f), b.Field(f), path+"."+a.Type().Field(f).Name); d != "" {
				return d
			}
		}
	default:
		if !reflect.DeepEqual(a.Interface(), b.Interface()) {
			return fmt.Sprintf("%s (%v, want %v)", path, a.Interface(), b.Interface())
		}
	}
	return ""
}

// The strings of a decoded dataset are substrings of the snapshot: nothing
// is copied.
func TestStringsShareTheSnapshot(t *testing.T) {
	b, err := Encode(populated(), 1)
	if err != nil {
		t.Fatal(err)
	}
	blob := string(b)
	ds, err := Decode(blob, 1)
	if err != nil {
		t.Fatal(err)
	}
	lo := uintptr(unsafe.Pointer(unsafe.StringData(blob)))
	for _, s := range []string{ds.Sources[0].ID, ds.Facilities[1].Evidence[0].Quote, ds.Companies[0].Aliases[1]} {
		if p := uintptr(unsafe.Pointer(unsafe.StringData(s))); p < lo || p >= lo+uintptr(len(blob)) {
			t.Errorf("%q was copied out of the snapshot", s)
		}
	}
}

func TestStale(t *testing.T) {
	b, err := Encode(populated(), 7)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Decode(string(b), 8); !errors.Is(err, ErrStale) {
		t.Errorf("another source's checksum: %v, want ErrStale", err)
	}
	types := []byte(string(b))
	types[len(magic)] ^= 1
	if _, err := Decode(string(types), 7); !errors.Is(err, ErrStale) {
		t.Errorf("another shape of types: %v, want ErrStale", err)
	}
	version := []byte(string(b))
	version[len(magic)-1]++
	if _, err := Decode(string(version), 7); err == nil || errors.Is(err, ErrStale) {
		t.Errorf("another format version: %v, want a format error", err)
	}
}

// TestCodecCurrent fails when model's types changed since codec_gen.go was
// generated (the app would then read the JSON, slowly).
func TestCodecCurrent(t *testing.T) {
	if got := shape.Fingerprint(reflect.TypeFor[model.Dataset]()); got != generatedFor {
		t.Fatalf("codec_gen.go was generated for types %#x, model's are %#x: run go generate ./data", generatedFor, got)
	}
}

// Every cut of a snapshot is refused with the offset where decoding
// stopped, and no damaged byte makes Decode panic.
func TestDecodeDamaged(t *testing.T) {
	b, err := Encode(populatedTo(1), 3)
	if err != nil {
		t.Fatal(err)
	}
	for cut := range len(b) {
		_, err := Decode(string(b[:cut]), 3)
		if err == nil {
			t.Fatalf("a snapshot cut to %d of %d bytes decoded", cut, len(b))
		}
		if cut > headerLen && !strings.Contains(err.Error(), "at byte") {
			t.Fatalf("cut to %d bytes: %v, want the offset", cut, err)
		}
	}
	if _, err := Decode(string(b)+"x", 3); err == nil || !strings.Contains(err.Error(), "1 bytes after the dataset") {
		t.Errorf("a trailing byte: %v", err)
	}
	for i := headerLen; i < len(b); i++ {
		for _, flip := range []byte{0x01, 0x80, 0xff} {
			d := []byte(string(b))
			d[i] ^= flip
			_, _ = Decode(string(d), 3) // must not panic
		}
	}
}

// A length no remaining bytes can hold is refused before it is allocated.
func TestDecodeHugeLength(t *testing.T) {
	b, err := Encode(&model.Dataset{}, 3)
	if err != nil {
		t.Fatal(err)
	}
	// Sources claims 2^40 elements, in a snapshot of a few bytes.
	e := &encoder{b: []byte(string(b[:headerLen]))}
	e.uvarint(1<<40 + 1)
	_, err = Decode(string(e.b), 3)
	if err == nil || !strings.Contains(err.Error(), "a list of 1099511627776 elements") {
		t.Fatalf("got %v", err)
	}
}

// FuzzDecode: no input makes Decode panic, and whatever it accepts encodes
// back to a snapshot that decodes to the same dataset.
func FuzzDecode(f *testing.F) {
	for _, ds := range []*model.Dataset{{}, populatedTo(1)} {
		b, err := Encode(ds, 5)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
		f.Add(b[:len(b)/2])
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		ds, err := Decode(string(b), 5)
		if err != nil {
			return
		}
		again, err := Encode(ds, 5)
		if err != nil {
			t.Fatal(err)
		}
		back, err := Decode(string(again), 5)
		if err != nil {
			t.Fatalf("re-encoded snapshot refused: %v", err)
		}
		if path := firstDiff(reflect.ValueOf(back).Elem(), reflect.ValueOf(ds).Elem(), "dataset"); path != "" {
			t.Fatalf("re-encoding changed %s", path)
		}
	})
}

// BenchmarkDecode decodes a snapshot of a dataset with every field set.
func BenchmarkDecode(b *testing.B) {
	blob, err := Encode(populated(), 1)
	if err != nil {
		b.Fatal(err)
	}
	s := string(blob)
	b.SetBytes(int64(len(s)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode(s, 1); err != nil {
			b.Fatal(err)
		}
	}
}
