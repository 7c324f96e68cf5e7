package main

import (
	"testing"

	"github.com/charmbracelet/lipgloss"

	"github.com/dcx-explorer/dcx/data"
	"github.com/dcx-explorer/dcx/model"
)

// A visitor's bad search is reported as their search, not as a --query flag
// they never typed; a good one opens the app.
func TestSessionModelQuery(t *testing.T) {
	ds, err := data.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	newModel := sessionModel(model.NewEngine(ds))
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
