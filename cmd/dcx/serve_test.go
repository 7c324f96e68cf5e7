package main

import (
	"bytes"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/log"
	"github.com/dcx-explorer/dcx/data"
	"github.com/dcx-explorer/dcx/search"
	"github.com/dcx-explorer/dcx/ui"
)

// A visitor's bad search is reported as their search, not as a --query flag
// they never typed; a good one opens the app.
func TestSessionModelQuery(t *testing.T) {
	ds, err := data.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	newModel := sessionModel(newLiveCatalog(ui.NewCatalog(search.NewEngine(ds))).get)
	r := lipgloss.NewRenderer(nil)
	if _, err := newModel(nil, r, "country:KR"); err != nil {
		t.Fatalf("valid search: %v", err)
	}
	_, err = newModel(nil, r, "mw>=abc")
	want := `the search "mw>=abc": mw>=abc: "abc" is not a number (at column 5)`
	if err == nil || err.Error() != want {
		t.Fatalf("bad search: %v, want %s", err, want)
	}
}

// A reload swaps in a valid dataset for the sessions that start after it,
// leaves open sessions on theirs, and keeps serving the old one when the
// file has become invalid.
func TestLiveEngineReload(t *testing.T) {
	path := genFile(t, 40, 1)
	var stderr bytes.Buffer
	e := &env{stdout: io.Discard, stderr: &stderr, dataPath: path}
	ds, err := e.dataset()
	if err != nil {
		t.Fatal(err)
	}
	live := newLiveCatalog(ui.NewCatalog(search.NewEngine(ds)))
	var swaps []int
	live.swapped = func(gen int64, records int) { swaps = append(swaps, int(gen), records) }
	logger := log.NewWithOptions(&stderr, log.Options{})
	first := live.get()

	bigger := genFile(t, 90, 2)
	b, err := os.ReadFile(bigger)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	live.reload(e, logger)
	if live.get() == first || live.get().Engine().Dataset().Len() != 90 || live.generation() != 2 {
		t.Fatalf("after a valid reload: %d records, generation %d\n%s", live.get().Engine().Dataset().Len(), live.generation(), stderr.String())
	}
	if len(swaps) != 2 || swaps[0] != 2 || swaps[1] != 90 {
		t.Errorf("the metrics heard %v, want generation 2 with 90 records", swaps)
	}
	if first.Engine().Dataset().Len() != 40 {
		t.Fatal("the engine an open session holds changed under it")
	}

	if err := os.WriteFile(path, []byte(`{"version": 1, "sources": [{"id": "Bad Id"}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	stderr.Reset()
	before := live.get()
	live.reload(e, logger)
	if live.get() != before || live.generation() != 2 {
		t.Fatal("an invalid dataset replaced the one being served")
	}
	out := stderr.String()
	if !strings.Contains(out, "sources[0].id") || !strings.Contains(out, "still serving the previous dataset") {
		t.Fatalf("the problems and the decision are not in the log:\n%s", out)
	}

	// Sessions open on whatever is current when they start.
	newModel := sessionModel(live.get)
	if _, err := newModel(nil, lipgloss.NewRenderer(nil), ""); err != nil {
		t.Fatal(err)
	}
}
