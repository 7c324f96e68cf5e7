package main

import (
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/dcx-explorer/dcx/model"
)

// TestGeneratedCodeCurrent: codec_gen.go is what the generator writes for
// today's model types (go generate ./data makes it again).
func TestGeneratedCodeCurrent(t *testing.T) {
	want, err := generate(reflect.TypeFor[model.Dataset]())
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("../../codec_gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Fatal("data/snapshot/codec_gen.go is not what the generator writes now: run go generate ./data")
	}
}

type (
	withMap   struct{ M map[string]int }
	node      struct{ Next *node }
	noStored  struct{ hidden int }
	holdsNone struct{ L []noStored }
	withIface struct{ V any }
	withUint  struct{ N uint32 }
)

// The generator refuses what the format cannot hold, naming the field.
func TestGenerateRefuses(t *testing.T) {
	for _, c := range []struct {
		t    reflect.Type
		want string
	}{
		{reflect.TypeFor[withMap](), "cannot store a map (map[string]int) (field main.withMap.M)"},
		{reflect.TypeFor[node](), "recursive type main.node"},
		{reflect.TypeFor[holdsNone](), "struct main.noStored has no stored field"},
		{reflect.TypeFor[withIface](), "cannot store a interface"},
		{reflect.TypeFor[withUint](), "cannot store a uint32"},
	} {
		_, err := generate(c.t)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error with %q", c.t, err, c.want)
		}
	}
}

func TestMinSize(t *testing.T) {
	for _, c := range []struct {
		t    reflect.Type
		want int
	}{
		{reflect.TypeFor[string](), 1},
		{reflect.TypeFor[float64](), 8},
		{reflect.TypeFor[model.Coords](), 16},
		{reflect.TypeFor[model.Money](), 8 + 1 + 1},
		{reflect.TypeFor[[]model.Evidence](), 1},
		{reflect.TypeFor[*model.Date](), 1},
	} {
		if got := minSize(c.t); got != c.want {
			t.Errorf("minSize(%s) = %d, want %d", c.t, got, c.want)
		}
	}
}
